import type { Job, JobFilter, JobStatusClient } from 'job-status-client';
import type { SoakMetrics } from './metrics';

/** What the store must hold for one job once the run is over, as far as its caller knows. */
export interface ExpectedJob {
  /** Undefined when the create itself failed for good (the job then counts as not found). */
  jobId: string | undefined;
  /** `c{caller}-j{index}`, also stored in the job's service fields to spot duplicates. */
  tag: string;
  status?: string;
  currentStage?: string;
  /** Service-field paths and the last value written to each by an acknowledged write. */
  fields: { path: string[]; value: unknown }[];
  /** Log entries acknowledged (each was sent once, with retries under one idempotency key). */
  logs: number;
}

/** One caller's share of the run. */
export interface CallerPlan {
  client: JobStatusClient;
  metrics: SoakMetrics;
  user: string;
  caller: number;
  /** The job numbers this caller handles. */
  indexes: number[];
  patches: number;
  queries: number;
  /** Called after each job, for the progress line. */
  onJobDone: () => void;
}

/**
 * Plays one caller: for each of its jobs, one after the other, a create (the SDK fixes the job id
 * and an Idempotency-Key), concurrent patches of distinct service-field paths, a log entry, reads,
 * and a final status (every fifth job is aborted instead). Returns what each job must hold.
 */
export async function runCaller(plan: CallerPlan): Promise<ExpectedJob[]> {
  const expected: ExpectedJob[] = [];
  for (const index of plan.indexes) {
    expected.push(await runJob(plan, index));
    plan.onJobDone();
  }
  return expected;
}

async function runJob(plan: CallerPlan, index: number): Promise<ExpectedJob> {
  const { client, metrics, caller } = plan;
  const tag = `c${caller}-j${index}`;
  const job = await metrics.call('createJob', () =>
    client.createJob({
      user: plan.user,
      jobName: `soak ${tag}`,
      currentStage: 'queued',
      serviceFields: { soak: { tag, caller, index } },
    }),
  );
  const expected: ExpectedJob = { jobId: job?.jobId, tag, fields: [], logs: 0 };
  if (!job) return expected;
  expected.status = job.status;
  expected.currentStage = 'queued';
  expected.fields.push({ path: ['soak', 'tag'], value: tag });

  // Concurrent on purpose: every path must survive the others' writes (one `$set` statement each).
  const writes = Array.from({ length: plan.patches }, (_, step) => ({
    path: ['steps', `s${step}`],
    value: `${tag}-p${step}`,
  }));
  const patched = await Promise.all(
    writes.map(({ path, value }) =>
      metrics.call('updateJob', () =>
        client.updateJob(job.jobId, { serviceFields: nest(path, value) }),
      ),
    ),
  );
  writes.forEach((write, position) => {
    if (patched[position]) expected.fields.push(write);
  });

  const logged = await metrics.call('log', () =>
    client.log(job.jobId, `${tag} patched`, { data: { patches: plan.patches } }),
  );
  if (logged) expected.logs = 1;

  for (let query = 0; query < plan.queries; query++) {
    await readBack(plan, job.jobId, expected, query);
  }

  await finish(plan, job.jobId, index, expected);
  return expected;
}

/** Reads in turn by id, by filter and by page, checking that acknowledged writes are visible. */
async function readBack(
  plan: CallerPlan,
  jobId: string,
  expected: ExpectedJob,
  query: number,
): Promise<void> {
  const { client, metrics } = plan;
  switch (query % 3) {
    case 0: {
      const read = await metrics.call('getJob', () => client.getJob(jobId));
      if (read && !holdsEvery(read, expected.fields)) metrics.staleReads += 1;
      return;
    }
    case 1: {
      const filter: JobFilter = {
        user: plan.user,
        status: { $in: ['WAITING', 'WORKING'] },
        serviceFields: { soak: { caller: plan.caller } },
      };
      const found = await metrics.call('getJobs', () => client.getJobs(filter));
      if (found && !found.some((candidate) => candidate.jobId === jobId)) metrics.staleReads += 1;
      return;
    }
    default:
      await metrics.call('listJobs', () =>
        client.listJobs({ user: plan.user }, { limit: 10, sort: '-modified' }),
      );
  }
}

/** Every fifth job is aborted; the others succeed, overwriting `steps.s0` on the way. */
async function finish(
  plan: CallerPlan,
  jobId: string,
  index: number,
  expected: ExpectedJob,
): Promise<void> {
  const { client, metrics } = plan;
  if (index % 5 === 4) {
    const aborted = await metrics.call('abortJob', () => client.abortJob(jobId));
    // A call that failed for good may or may not have committed: nothing can be expected of it.
    expected.status = aborted ? 'ABORTED' : undefined;
    return;
  }
  const final = { path: ['steps', 's0'], value: `${expected.tag}-final` };
  const done = await metrics.call('updateJob', () =>
    client.updateJob(jobId, {
      status: 'SUCCEEDED',
      currentStage: 'done',
      serviceFields: nest(final.path, final.value),
    }),
  );
  // The last write to a path is the one the store must keep; after a write that failed for good
  // (committed or not, nobody knows) the path holds one of two values and is not checked.
  expected.fields = expected.fields.filter(
    (field) => field.path.join('.') !== final.path.join('.'),
  );
  expected.status = done ? 'SUCCEEDED' : undefined;
  expected.currentStage = done ? 'done' : undefined;
  if (done) expected.fields.push(final);
}

/** `['a', 'b'], 1` → `{ a: { b: 1 } }` */
function nest(path: readonly string[], value: unknown): Record<string, unknown> {
  let nested: unknown = value;
  for (const key of [...path].reverse()) nested = { [key]: nested };
  return nested as Record<string, unknown>;
}

/** The value at `path` inside the job's service fields. */
export function valueAt(job: Job, path: readonly string[]): unknown {
  let current: unknown = job.serviceFields;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function holdsEvery(job: Job, fields: ExpectedJob['fields']): boolean {
  return fields.every((field) => valueAt(job, field.path) === field.value);
}
