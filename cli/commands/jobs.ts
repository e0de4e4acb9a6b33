// The commands that read or change jobs once: list, get, create, update, abort, retry, delete.
import { oneOf, type Job, type JobFilter, type JobUpdate, type NewJob } from 'job-status-client';
import { parseAssignments, parseFilter, parseLimit, parseStatus, parseStatuses } from '../args';
import type { Context } from '../context';
import { EXIT, exitCodeOf, messageOf, UsageError } from '../errors';
import { jobDetails, jobsTable, type JobNode } from '../render';

/** The largest `--limit` (the service's largest page). */
export const MAX_LIMIT = 1000;
/** How many jobs `list` shows without `--limit`. */
export const DEFAULT_LIMIT = 50;

/** The flags that select jobs (list and watch). */
export interface SelectFlags {
  user?: string;
  status?: string;
  service?: string;
  filter?: string;
  limit?: string;
  sort?: string;
}

/** True when any selecting flag is given. */
export function hasSelection(flags: SelectFlags): boolean {
  return [flags.user, flags.status, flags.service, flags.filter].some((flag) => flag !== undefined);
}

/** The filter the selecting flags describe; a flag and `--filter` may not both set one field. */
export function filterOf(flags: SelectFlags): JobFilter {
  const filter: Record<string, unknown> = flags.filter ? { ...parseFilter(flags.filter) } : {};
  const set = (key: string, flag: string, value: unknown) => {
    if (Object.hasOwn(filter, key)) throw new UsageError(`${flag} and --filter both set "${key}"`);
    filter[key] = value;
  };
  if (flags.user !== undefined) set('user', '--user', flags.user);
  if (flags.service !== undefined) set('service', '--service', flags.service);
  if (flags.status !== undefined) {
    const statuses = parseStatuses(flags.status);
    set('status', '--status', statuses.length === 1 ? statuses[0] : oneOf(statuses));
  }
  return filter as JobFilter;
}

/** `--limit`, or {@link DEFAULT_LIMIT} without it. */
export function parseLimitOr(value: string | undefined, max: number): number {
  return value === undefined ? DEFAULT_LIMIT : parseLimit(value, max);
}

export async function list(ctx: Context, flags: SelectFlags): Promise<number> {
  const page = await ctx.client.listJobs(filterOf(flags), {
    limit: parseLimitOr(flags.limit, MAX_LIMIT),
    sort: flags.sort ?? '-created',
    signal: ctx.signal,
  });
  if (ctx.json) {
    ctx.print(JSON.stringify(page.jobs, null, 2));
    return EXIT.ok;
  }
  if (page.jobs.length === 0) {
    ctx.print(ctx.colors.dim('no jobs match'));
    return EXIT.ok;
  }
  ctx.print(jobsTable(page.jobs, ctx.colors, ctx.now()));
  const shown = page.jobs.length;
  const more = page.totalCount > shown ? ` (of ${page.totalCount}: --limit shows more)` : '';
  ctx.print(ctx.colors.dim(`${shown} job${shown === 1 ? '' : 's'}${more}`));
  return EXIT.ok;
}

/** How many jobs `get`'s tree reads at most, and how deep it goes. */
const TREE_MAX_JOBS = 200;
const TREE_MAX_DEPTH = 5;

/** The job and its descendants (children by `parentId`), breadth first, bounded. */
async function readTree(ctx: Context, job: Job): Promise<JobNode> {
  const root: JobNode = { job, children: [], more: 0 };
  let budget = TREE_MAX_JOBS;
  let level = [root];
  for (let depth = 0; depth < TREE_MAX_DEPTH && level.length > 0 && budget > 0; depth += 1) {
    const next: JobNode[] = [];
    for (const node of level) {
      if (budget <= 0) break;
      const page = await ctx.client.listJobs(
        { parentId: node.job.jobId },
        { limit: Math.min(budget, MAX_LIMIT), sort: 'created', signal: ctx.signal },
      );
      budget -= page.jobs.length;
      node.children = page.jobs.map((child) => ({ job: child, children: [], more: 0 }));
      node.more = page.totalCount - page.jobs.length;
      next.push(...node.children);
    }
    level = next;
  }
  return root;
}

export async function get(ctx: Context, jobId: string): Promise<number> {
  const job = await ctx.client.getJob(jobId, { signal: ctx.signal });
  const tree = await readTree(ctx, job);
  if (ctx.json) {
    ctx.print(JSON.stringify({ ...job, children: tree.children.map(plainNode) }, null, 2));
  } else {
    ctx.print(jobDetails(tree, ctx.colors, ctx.now()));
  }
  return EXIT.ok;
}

/** A tree node as JSON: the job with its `children` inside. */
function plainNode(node: JobNode): Record<string, unknown> {
  return { ...node.job, children: node.children.map(plainNode) };
}

export interface CreateFlags {
  name?: string;
  user?: string;
  service?: string;
  status?: string;
  stage?: string;
  parent?: string;
  serviceField?: string[];
  quiet?: boolean;
}

/**
 * The user new jobs belong to: `--user`, else `--as`/JSS_USER, else the token's own user as the
 * service describes it (a token is all a deployment with tokens needs).
 */
async function defaultUser(ctx: Context, flags: CreateFlags): Promise<string> {
  const given = flags.user ?? ctx.connection.user;
  if (given) return given;
  if (ctx.connection.token) return (await ctx.client.whoAmI({ signal: ctx.signal })).user;
  throw new UsageError(
    "create needs the job's user: pass --user, set JSS_USER (or --as), or give a token (JSS_TOKEN)",
  );
}

export async function create(ctx: Context, flags: CreateFlags): Promise<number> {
  const user = await defaultUser(ctx, flags);
  const job: NewJob = { user };
  if (flags.name !== undefined) job.jobName = flags.name;
  if (flags.service !== undefined) job.service = flags.service;
  if (flags.status !== undefined) job.status = parseStatus(flags.status) as NewJob['status'];
  if (flags.stage !== undefined) job.currentStage = flags.stage;
  if (flags.parent !== undefined) job.parentId = flags.parent;
  if (flags.serviceField?.length) {
    job.serviceFields = parseAssignments(flags.serviceField, '--service-field');
  }
  const created = await ctx.client.createJob(job, { signal: ctx.signal });
  printJob(ctx, created, flags.quiet);
  return EXIT.ok;
}

export interface UpdateFlags {
  set?: string[];
  merge?: string[];
  status?: string;
  stage?: string;
  name?: string;
  host?: string;
  quiet?: boolean;
}

export async function update(ctx: Context, jobId: string, flags: UpdateFlags): Promise<number> {
  if (flags.set?.length && flags.merge?.length) {
    throw new UsageError('--set and --merge exclude each other: run update twice');
  }
  const changes: JobUpdate = {};
  if (flags.status !== undefined) changes.status = parseStatus(flags.status) as JobUpdate['status'];
  if (flags.stage !== undefined) changes.currentStage = flags.stage;
  if (flags.name !== undefined) changes.jobName = flags.name;
  if (flags.host !== undefined) changes.currentHost = flags.host;
  if (flags.set?.length) changes.serviceFields = parseAssignments(flags.set, '--set');
  if (flags.merge?.length) changes.serviceFields = parseAssignments(flags.merge, '--merge');
  if (Object.keys(changes).length === 0) {
    throw new UsageError(
      'nothing to update: give --set, --merge, --status, --stage, --name or --host',
    );
  }
  // --set replaces each named service field whole; --merge changes only the leaves it names.
  const isPatch = !flags.set?.length;
  const updated = await ctx.client.updateJob(jobId, changes, isPatch, { signal: ctx.signal });
  printJob(ctx, updated, flags.quiet);
  return EXIT.ok;
}

function printJob(ctx: Context, job: Job, quiet: boolean | undefined): void {
  if (quiet) ctx.print(job.jobId);
  else if (ctx.json) ctx.print(JSON.stringify(job, null, 2));
  else ctx.print(jobDetails({ job, children: [], more: 0 }, ctx.colors, ctx.now()));
}

/** abort, retry and delete: the SDK method and the past tense shown for each job. */
const ACTIONS = {
  abort: { method: 'abortJob', done: 'aborted' },
  retry: { method: 'retryJob', done: 'retried' },
  delete: { method: 'deleteJob', done: 'deleted' },
} as const;

export type ActionName = keyof typeof ACTIONS;

/**
 * Runs the action on every job in turn, reporting each; a failure does not stop the others. The
 * exit code is the first failure's (0 when all succeed).
 */
export async function act(ctx: Context, action: ActionName, jobIds: string[]): Promise<number> {
  const { method, done } = ACTIONS[action];
  let exitCode: number = EXIT.ok;
  for (const jobId of jobIds) {
    try {
      const job = await ctx.client[method](jobId, { signal: ctx.signal });
      if (ctx.json) ctx.print(JSON.stringify(job));
      else ctx.print(`${done} ${job.jobId}${action === 'delete' ? '' : ` (${job.status})`}`);
    } catch (error) {
      const code = exitCodeOf(error);
      if (code === EXIT.interrupted) throw error;
      ctx.note(`jss: ${action} ${jobId}: ${messageOf(error)}`);
      if (exitCode === EXIT.ok) exitCode = code;
    }
  }
  return exitCode;
}

/** `jss whoami`: the user, role and services the service takes the caller to be. */
export async function whoami(ctx: Context): Promise<number> {
  const identity = await ctx.client.whoAmI({ signal: ctx.signal });
  if (ctx.json) {
    ctx.print(JSON.stringify({ ...identity, url: ctx.connection.url }, null, 2));
    return EXIT.ok;
  }
  const services = identity.services.length > 0 ? ` services: ${identity.services.join(', ')}` : '';
  ctx.print(
    `${ctx.colors.bold(identity.user)} ${ctx.colors.dim(`(${identity.role})`)}${services} at ${ctx.connection.url}`,
  );
  return EXIT.ok;
}
