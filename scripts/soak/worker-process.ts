/**
 * One worker process of the soak's workers phase (and of the kill -9 integration test): runs
 * `processJobs` on one service until SIGTERM (a graceful stop) or SIGKILL (nothing at all).
 *
 * Configured by the environment (see {@link WorkerProcessEnv}). Every step of every handler run
 * is appended to the side log synchronously before the handler goes on, so a SIGKILL can cut a
 * run short but never lose a line already written; the same lines go to stdout, where the parent
 * watches which jobs are in flight.
 *
 * Side-log lines, one JSON object each, `run` being `{pid}-{n}` (unique per handler run):
 * - `{"event":"start","jobId","run","attempts"}`: the handler began.
 * - `{"event":"finish","jobId","run"}`: the handler finished its work and returned its result.
 * - `{"event":"completed","jobId","run"}`: the service accepted the completion of that run.
 */
import { appendFileSync } from 'node:fs';
import { JobStatusClient, type ClaimedJob, type JobContext } from 'job-status-client';

/** The environment a worker process reads. */
export interface WorkerProcessEnv {
  /** The service's API base, `http://host:port/jss`. */
  JSS_URL: string;
  /** A worker token granted `WORKER_SERVICE`. */
  JSS_TOKEN: string;
  WORKER_SERVICE: string;
  /** Handlers at once. @default 1 */
  WORKER_CONCURRENCY?: string;
  /** The lease of each claim, in ms. @default 1000 */
  WORKER_LEASE_MS?: string;
  /** How long one handler run works, `MIN-MAX` ms, drawn at random. @default 20-200 */
  WORKER_WORK_MS?: string;
  /** The side log to append to; stdout only when absent. */
  WORKER_LOG?: string;
}

export type SideLogEvent = 'start' | 'finish' | 'completed';

/** One line of the side log. */
export interface SideLogEntry {
  event: SideLogEvent;
  jobId: string;
  run: string;
  attempts?: number;
}

const env = process.env as Partial<WorkerProcessEnv>;
const required = (name: keyof WorkerProcessEnv): string => {
  const value = env[name];
  if (!value) throw new Error(`worker process: ${name} is not set`);
  return value;
};

const [minWorkMs, maxWorkMs] = (env.WORKER_WORK_MS ?? '20-200').split('-').map(Number) as [
  number,
  number,
];
const sideLog = env.WORKER_LOG;
let runs = 0;

function record(entry: SideLogEntry): void {
  const line = `${JSON.stringify(entry)}\n`;
  if (sideLog) appendFileSync(sideLog, line);
  process.stdout.write(line);
}

/** Resolves after `ms`, or rejects as soon as `signal` is aborted (the lease was lost). */
function work(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason instanceof Error ? signal.reason : new Error('lease lost'));
      },
      { once: true },
    );
  });
}

async function handle(job: ClaimedJob, context: JobContext): Promise<{ run: string }> {
  runs += 1;
  const run = `${process.pid}-${runs}`;
  record({ event: 'start', jobId: job.jobId, run, attempts: job.attempts });
  const ms = minWorkMs + Math.random() * (maxWorkMs - minWorkMs);
  await work(ms / 2, context.signal);
  await context.progress(50);
  await work(ms / 2, context.signal);
  record({ event: 'finish', jobId: job.jobId, run });
  return { run };
}

const client = new JobStatusClient({
  baseURL: required('JSS_URL'),
  token: required('JSS_TOKEN'),
  // A worker that cannot reach the service retries rather than dies: only the parent kills it.
  maxRetries: 5,
  retryDelay: { initialMs: 20, maxMs: 200 },
});
const processor = client.processJobs(required('WORKER_SERVICE'), handle, {
  concurrency: Number(env.WORKER_CONCURRENCY ?? 1),
  leaseMs: Number(env.WORKER_LEASE_MS ?? 1000),
  pollIntervalMs: 500,
  workerId: `pid-${process.pid}`,
});
processor.on('completed', ({ job, result }) => {
  record({ event: 'completed', jobId: job.jobId, run: (result as { run: string }).run });
});
// Lost leases and refused reports are part of the soak; the parent counts their effect.
processor.on('error', () => undefined);

process.once('SIGTERM', () => {
  void processor.stop({ graceful: true, timeoutMs: 5_000 }).then(() => process.exit(0));
});
