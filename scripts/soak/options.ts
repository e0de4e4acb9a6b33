import { parseArgs } from 'node:util';

/** The workers phase (./workers-phase.ts). */
export interface WorkersOptions {
  /** Worker processes running at once (each killed one is replaced). */
  workerProcesses: number;
  /** Handlers at once in each worker process. */
  workerConcurrency: number;
  /** Jobs the producers create. */
  workerJobs: number;
  /** Workers killed with SIGKILL mid-job, at random moments. */
  kills: number;
  /** The lease of each claim, in ms (the shortest the protocol allows is 1000). */
  leaseMs: number;
  /** How long one handler run works, drawn from this range, in ms. */
  workMs: [number, number];
  /** How long the count of SUCCEEDED jobs may stand still before the rest count as lost. */
  stallTimeoutMs: number;
}

/** What one soak run does; every field comes from a flag or its default. */
export interface SoakOptions {
  /** Which phases run. */
  phases: { faults: boolean; workers: boolean };
  workers: WorkersOptions;
  /** Concurrent callers, each with its own client. */
  callers: number;
  /** Jobs in all, shared out among the callers. */
  jobs: number;
  /** Concurrent patches per job, each to its own service-field path. */
  patches: number;
  /** Reads per job between its patches and its final status. */
  queries: number;
  /** Share of API requests the server answers 503 before doing anything. */
  failureRate: number;
  /** Share of writes the server commits and then answers by dropping the connection. */
  dropAfterCommitRate: number;
  /** Random delay before each request, in milliseconds. */
  latencyMs: [number, number];
  /** Print the figures as JSON on stdout (the table goes to stderr). */
  json: boolean;
}

export const USAGE = `Usage: npm run soak -- [flags]

  --callers N                 concurrent callers (default 16; --quick 8)
  --jobs N                    jobs in all, shared out among the callers (default 300; --quick 120)
  --patches N                 concurrent patches per job, one service-field path each (default 5)
  --queries N                 reads per job (default 2)
  --fault-rate R              share of requests answered 503 (default 0.2)
  --drop-after-commit-rate R  share of writes whose connection drops after commit (default 0.05)
  --latency-ms MIN-MAX        random delay per request (default 0-30)
  --worker-processes N        worker processes, each killed one replaced (default 4; --quick 3)
  --worker-concurrency N      handlers at once per worker process (default 4)
  --worker-jobs N             jobs for the workers (default 600; --quick 100)
  --kills N                   workers killed with SIGKILL mid-job (default 30; --quick 5)
  --lease-ms N                lease of each claim (default 1000)
  --work-ms MIN-MAX           how long a handler works (default 20-200)
  --only faults|workers       run one phase (default both)
  --quick                     a smaller run for CI
  --json                      print the figures as JSON on stdout
  --help`;

/**
 * Reads the flags. Throws an Error with a readable message for anything malformed.
 *
 * @example parseSoakOptions(['--quick', '--json'])
 */
export function parseSoakOptions(argv: readonly string[]): SoakOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      callers: { type: 'string' },
      jobs: { type: 'string' },
      patches: { type: 'string' },
      queries: { type: 'string' },
      'fault-rate': { type: 'string' },
      'drop-after-commit-rate': { type: 'string' },
      'latency-ms': { type: 'string' },
      'worker-processes': { type: 'string' },
      'worker-concurrency': { type: 'string' },
      'worker-jobs': { type: 'string' },
      kills: { type: 'string' },
      'lease-ms': { type: 'string' },
      'work-ms': { type: 'string' },
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return 'help';
  const quick = values.quick;
  const only = values.only;
  if (only !== undefined && only !== 'faults' && only !== 'workers') {
    throw new Error(`--only must be faults or workers, got ${JSON.stringify(only)}`);
  }
  const leaseMs = count('lease-ms', values['lease-ms'], 1000, 1000);
  return {
    phases: { faults: only !== 'workers', workers: only !== 'faults' },
    workers: {
      workerProcesses: count('worker-processes', values['worker-processes'], quick ? 3 : 4, 1),
      workerConcurrency: count('worker-concurrency', values['worker-concurrency'], 4, 1),
      workerJobs: count('worker-jobs', values['worker-jobs'], quick ? 100 : 600, 1),
      kills: count('kills', values.kills, quick ? 5 : 30, 0),
      leaseMs,
      workMs: range('work-ms', values['work-ms'], [20, 200]),
      // Jobs a kill leaves behind wait out their lease before anyone may take them again.
      stallTimeoutMs: 10 * leaseMs + 10_000,
    },
    callers: count('callers', values.callers, quick ? 8 : 16, 1),
    jobs: count('jobs', values.jobs, quick ? 120 : 300, 1),
    patches: count('patches', values.patches, 5, 1),
    queries: count('queries', values.queries, 2, 0),
    failureRate: rate('fault-rate', values['fault-rate'], 0.2),
    dropAfterCommitRate: rate('drop-after-commit-rate', values['drop-after-commit-rate'], 0.05),
    latencyMs: range('latency-ms', values['latency-ms'], [0, 30]),
    json: values.json,
  };
}

function count(flag: string, given: string | undefined, fallback: number, min: number): number {
  if (given === undefined) return fallback;
  const value = Number(given);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`--${flag} must be an integer >= ${min}, got ${JSON.stringify(given)}`);
  }
  return value;
}

function rate(flag: string, given: string | undefined, fallback: number): number {
  if (given === undefined) return fallback;
  const value = Number(given);
  // 1 would fail every attempt: the run could never finish.
  if (given.trim() === '' || !(value >= 0 && value < 1)) {
    throw new Error(`--${flag} must be a number from 0 to below 1, got ${JSON.stringify(given)}`);
  }
  return value;
}

function range(
  flag: string,
  given: string | undefined,
  fallback: [number, number],
): [number, number] {
  if (given === undefined) return fallback;
  const match = /^(\d+)-(\d+)$/.exec(given);
  const min = Number(match?.[1]);
  const max = Number(match?.[2]);
  if (!match || min > max) {
    throw new Error(
      `--${flag} must be MIN-MAX in milliseconds (e.g. 0-30), got ${JSON.stringify(given)}`,
    );
  }
  return [min, max];
}
