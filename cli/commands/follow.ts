// The commands that follow jobs as they change: watch, wait and `logs --follow`. All of them
// listen through the SDK's subscribe (Server-Sent Events) or waitForJob.
import {
  isTerminalStatus,
  JobFailedError,
  type Job,
  type JobSubscription,
  type LogEntry,
} from 'job-status-client';
import { parseDuration } from '../args';
import type { Context } from '../context';
import { CliError, EXIT, exitCodeOfStatus } from '../errors';
import { colorStatus, jobsTable, logLine } from '../render';
import { filterOf, hasSelection, MAX_LIMIT, parseLimitOr, type SelectFlags } from './jobs';

/** At most this many redraws of the live table per second. */
const REDRAWS_PER_SECOND = 10;
// Terminal control: move up, clear to the end, and stop/restart wrapping long lines (a wrapped
// line would break the count of lines to move up over).
const up = (lines: number) => (lines > 0 ? `\x1b[${lines}A\r\x1b[0J` : '');
const NO_WRAP = '\x1b[?7l';
const WRAP = '\x1b[?7h';

/** The ids `watch` follows: the one given, or the jobs the filter selects now. */
async function watchedIds(ctx: Context, jobId: string | undefined, flags: SelectFlags) {
  if (jobId !== undefined) {
    if (hasSelection(flags))
      throw new CliError('watch takes a job id or filters, not both', EXIT.usage);
    return [jobId];
  }
  if (!hasSelection(flags)) {
    throw new CliError(
      'watch needs a job id or a filter (--user, --status, --service, --filter)',
      EXIT.usage,
    );
  }
  const page = await ctx.client.listJobs(filterOf(flags), {
    limit: parseLimitOr(flags.limit, MAX_LIMIT),
    sort: flags.sort ?? '-created',
    signal: ctx.signal,
  });
  return page.jobs.map((job) => job.jobId);
}

/** Opens a subscription to `jobIds` that closes on Ctrl-C. */
function follow(ctx: Context, jobIds: string[]): JobSubscription {
  return ctx.client.subscribe({ jobIds }, { signal: ctx.signal });
}

/**
 * `watch`: a live table on a terminal, else one JSON line per job state seen (a deleted job as
 * `{"jobId":…,"deleted":true}`), until every watched job has ended or is gone.
 */
export async function watch(
  ctx: Context,
  jobId: string | undefined,
  flags: SelectFlags,
): Promise<number> {
  const ids = await watchedIds(ctx, jobId, flags);
  if (ids.length === 0) {
    if (ctx.json) return EXIT.ok;
    ctx.print(ctx.colors.dim('no jobs match'));
    return EXIT.ok;
  }
  const jobs = new Map<string, Job>();
  const gone = new Set<string>();
  const live = !ctx.json && ctx.interactive;
  let drawnLines = 0;
  let lastDraw = 0;
  let pending: ReturnType<typeof setTimeout> | undefined;
  let ended = false;

  const draw = () => {
    pending = undefined;
    lastDraw = Date.now();
    const shown = ids.flatMap((id) => jobs.get(id) ?? []);
    const finished = ids.filter((id) => gone.has(id) || isEndedJob(jobs.get(id))).length;
    const footer = ctx.colors.dim(
      `${finished} of ${ids.length} ended${gone.size ? `, ${gone.size} deleted` : ''}` +
        (ended ? '' : ' · Ctrl-C stops watching'),
    );
    const text = `${shown.length ? `${jobsTable(shown, ctx.colors, ctx.now())}\n` : ''}${footer}\n`;
    ctx.write(`${up(drawnLines)}${text}`);
    drawnLines = text.split('\n').length - 1;
  };
  const scheduleDraw = () => {
    if (!live || pending) return;
    pending = setTimeout(draw, Math.max(0, 1000 / REDRAWS_PER_SECOND - (Date.now() - lastDraw)));
  };
  const emit = (job: Job) => {
    jobs.set(job.jobId, job);
    if (ctx.json) ctx.print(JSON.stringify(job));
    else if (!live)
      ctx.print(`${job.jobId} ${job.status}${job.progress ? ` ${job.progress.percent}%` : ''}`);
  };

  if (live) ctx.write(NO_WRAP);
  // Relative times age while nothing happens.
  const ticker = live ? setInterval(scheduleDraw, 1000) : undefined;
  const subscription = follow(ctx, ids);
  try {
    for await (const event of subscription) {
      if (event.type === 'initialJobs') {
        for (const job of event.jobs) emit(job);
        for (const id of ids) if (!jobs.has(id)) gone.add(id);
        if (jobId !== undefined && gone.has(jobId)) {
          throw new CliError(`job ${jobId} not found`, EXIT.notFound);
        }
      } else if (event.type === 'jobInsert' || event.type === 'jobUpdate') {
        if (ids.includes(event.job.jobId)) emit(event.job);
      } else if (event.type === 'jobDelete') {
        jobs.delete(event.jobId);
        gone.add(event.jobId);
        if (ctx.json) ctx.print(JSON.stringify({ jobId: event.jobId, deleted: true }));
      } else if (event.type === 'reconnecting' && !ctx.json) {
        ctx.note(`jss: connection lost (${event.error.message}); reconnecting`);
      }
      if (ids.every((id) => gone.has(id) || isEndedJob(jobs.get(id)))) {
        ended = true;
        break;
      }
      scheduleDraw();
    }
    await subscription.done;
  } finally {
    subscription.close();
    clearInterval(ticker);
    clearTimeout(pending);
    if (live) {
      draw();
      ctx.write(WRAP);
    }
  }
  return ended ? EXIT.ok : EXIT.interrupted;
}

function isEndedJob(job: Job | undefined): boolean {
  return job !== undefined && isTerminalStatus(job.status);
}

export interface WaitFlags {
  timeout?: string;
}

/** `wait`: until the job ends; the exit code tells how it ended (see EXIT). */
export async function wait(ctx: Context, jobId: string, flags: WaitFlags): Promise<number> {
  const timeout =
    flags.timeout === undefined ? undefined : parseDuration(flags.timeout, '--timeout');
  let last: string | undefined;
  let job: Job;
  try {
    job = await ctx.client.waitForJob(jobId, {
      signal: ctx.signal,
      ...(timeout === undefined ? {} : { timeout }),
      // A person sees the job move; a pipe gets only the final state.
      onUpdate: (seen) => {
        if (ctx.json || seen.status === last) return;
        last = seen.status;
        if (!isTerminalStatus(seen.status)) ctx.note(`${seen.jobId} ${seen.status}`);
      },
    });
  } catch (error) {
    if (!JobFailedError.is(error)) throw error;
    job = (error as JobFailedError<Job>).job;
  }
  if (ctx.json) ctx.print(JSON.stringify(job));
  else ctx.print(`${job.jobId} ${colorStatus(job.status, ctx.colors)}`);
  return exitCodeOfStatus(job.status);
}

export interface LogsFlags {
  follow?: boolean;
}

/** `logs`: the job's log entries, oldest first; with --follow, new ones until the job ends. */
export async function logs(ctx: Context, jobId: string, flags: LogsFlags): Promise<number> {
  const printEntry = (entry: LogEntry) =>
    ctx.print(ctx.json ? JSON.stringify(entry) : logLine(entry, ctx.colors));
  if (!flags.follow) {
    const job = await ctx.client.getJob(jobId, { signal: ctx.signal });
    for (const entry of job.logs ?? []) printEntry(entry);
    return EXIT.ok;
  }
  // Subscribing first and printing what the first event holds: no entry slips in between.
  const subscription = follow(ctx, [jobId]);
  let printed: LogEntry | undefined;
  const printNew = (job: Job) => {
    const entries = job.logs ?? [];
    const start = printed === undefined ? 0 : indexAfter(entries, printed);
    for (const entry of entries.slice(start)) printEntry(entry);
    printed = entries.at(-1) ?? printed;
    return isTerminalStatus(job.status);
  };
  try {
    for await (const event of subscription) {
      if (event.type === 'initialJobs') {
        const job = event.jobs.find((candidate) => candidate.jobId === jobId);
        if (!job) throw new CliError(`job ${jobId} not found`, EXIT.notFound);
        if (printNew(job)) return EXIT.ok;
      } else if (event.type === 'jobUpdate' && event.job.jobId === jobId) {
        if (printNew(event.job)) return EXIT.ok;
      } else if (event.type === 'jobDelete' && event.jobId === jobId) {
        throw new CliError(`job ${jobId} was deleted`, EXIT.notFound);
      }
    }
    await subscription.done;
  } finally {
    subscription.close();
  }
  return EXIT.interrupted;
}

/**
 * Where the entries after `last` start: found from the end by time and message, so that a log
 * the service shortened from the front still resumes at the right entry.
 */
function indexAfter(entries: readonly LogEntry[], last: LogEntry): number {
  for (let index = entries.length - 1; index >= 0; index -= 1) {
    const entry = entries[index];
    if (entry && entry.time.getTime() === last.time.getTime() && entry.message === last.message) {
      return index + 1;
    }
  }
  const later = entries.findIndex((entry) => entry.time.getTime() > last.time.getTime());
  return later === -1 ? entries.length : later;
}
