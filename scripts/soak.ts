/**
 * The reliability soak: `npm run soak [-- --quick] [-- --json] [-- --only faults|workers]`.
 *
 * The faults phase starts the reference server with fault injection (503s, connections dropped
 * after commit, latency) and runs concurrent callers through the SDK. Then a second server on the
 * same database, without faults, reads everything back: every job must exist once, hold every
 * acknowledged write, and the process must end with no unhandled rejection and no open handle.
 *
 * The workers phase (./soak/workers-phase.ts) runs worker processes on the work queue and kills
 * them with SIGKILL mid-job: every job must end SUCCEEDED, completed exactly once.
 *
 * Exits 0 only when both hold.
 */
import { performance } from 'node:perf_hooks';
import { JobStatusClient } from 'job-status-client';
import { openStore, startServer, type RunningServer, type Store } from '../server/src/index';
import { SoakMetrics } from './soak/metrics';
import { parseSoakOptions, USAGE, type SoakOptions } from './soak/options';
import { combine, formatReport, summarize, type RunOutcome } from './soak/report';
import { verify, type Verification } from './soak/verify';
import { runCaller, type ExpectedJob } from './soak/workload';
import { runWorkersPhase } from './soak/workers-phase';

const USER = 'soak';
// Enough that a call gives up only after a run of faults this rare: 0.24^11 is about 1.5e-7.
const CLIENT_RETRIES = 10;
// Faults are instant here, so waiting long between attempts would only slow the run.
const RETRY_DELAY = { initialMs: 5, maxMs: 100 };
// stdin/stdout/stderr handles belong to the process, not to anything the soak opened.
const STDIO_HANDLES = new Set(['TTYWrap', 'PipeWrap']);

let unhandledRejections = 0;
process.on('unhandledRejection', (reason) => {
  unhandledRejections += 1;
  console.error('unhandled rejection:', reason);
});

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseSoakOptions>;
  try {
    parsed = parseSoakOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`soak: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (parsed === 'help') {
    console.log(USAGE);
    return 0;
  }
  const options = parsed;
  // With --json, stdout carries the JSON alone; the narration goes to stderr.
  const say = options.json ? console.error : console.log;

  const faultsRun = options.phases.faults ? await runFaultsPhase(options, say) : undefined;
  const workers = options.phases.workers ? await runWorkersPhase(options.workers, say) : undefined;
  // Looked for once both phases are over: either may leave a handle open or a rejection behind.
  const openHandleKinds = await handlesLeftOpen();
  const faults = faultsRun && summarize({ ...faultsRun, unhandledRejections, openHandleKinds });
  const report = combine({ faults, workers, unhandledRejections, openHandleKinds });
  say(`\n${formatReport(report)}`);
  if (options.json) console.log(JSON.stringify(report, null, 2));
  return report.passed ? 0 : 1;
}

/** The faults phase, less its check for open handles (made at the very end). */
async function runFaultsPhase(
  options: SoakOptions,
  say: (line: string) => void,
): Promise<Omit<RunOutcome, 'unhandledRejections' | 'openHandleKinds'>> {
  say('soak: opening an in-memory PGlite database …');
  const store = await openStore({});
  let run: { expected: ExpectedJob[]; metrics: SoakMetrics; durationMs: number };
  let verification: Verification;
  try {
    run = await runUnderFaults(store, options, say);
    // The server that saw the faults is gone: what it acknowledged must be committed.
    verification = await readBackWithoutFaults(store, run.expected);
  } finally {
    await store.db.close();
  }
  return { options, durationMs: run.durationMs, metrics: run.metrics, verification };
}

async function runUnderFaults(
  store: Store,
  options: SoakOptions,
  say: (line: string) => void,
): Promise<{ expected: ExpectedJob[]; metrics: SoakMetrics; durationMs: number }> {
  // The soak is about faults, not access: every client acts with every right.
  const server = await startServer({
    port: 0,
    logger: false,
    store,
    auth: 'none',
    faults: {
      failureRate: options.failureRate,
      dropAfterCommitRate: options.dropAfterCommitRate,
      latencyMs: options.latencyMs,
    },
  });
  const metrics = new SoakMetrics();
  let jobsDone = 0;
  const ticker = setInterval(() => {
    say(
      `soak: ${jobsDone}/${options.jobs} jobs, ${metrics.calls} calls, ${metrics.retries} retries`,
    );
  }, 2_000);
  try {
    say(`soak: faulty server on ${server.url}; ${options.callers} callers, ${options.jobs} jobs`);
    const started = performance.now();
    const perCaller = await Promise.all(
      shareOut(options.jobs, options.callers).map((indexes, caller) =>
        runCaller({
          client: soakClient(server, metrics),
          metrics,
          user: USER,
          caller,
          indexes,
          patches: options.patches,
          queries: options.queries,
          onJobDone: () => {
            jobsDone += 1;
          },
        }),
      ),
    );
    return { expected: perCaller.flat(), metrics, durationMs: performance.now() - started };
  } finally {
    clearInterval(ticker);
    await server.close();
  }
}

/** Each caller is its own client, as separate worker processes would be. */
function soakClient(server: RunningServer, metrics: SoakMetrics): JobStatusClient {
  return new JobStatusClient({
    baseURL: server.url,
    user: USER,
    maxRetries: CLIENT_RETRIES,
    retryDelay: RETRY_DELAY,
    timeout: 10_000,
    hooks: metrics.hooks,
  });
}

async function readBackWithoutFaults(store: Store, expected: ExpectedJob[]): Promise<Verification> {
  const server = await startServer({ port: 0, logger: false, store, auth: 'none' });
  try {
    // No retries: a fault on this route would be a failure of the check itself, not hidden.
    const reader = new JobStatusClient({
      baseURL: server.url,
      user: 'soak-verifier',
      maxRetries: 0,
    });
    return await verify(reader, USER, expected);
  } finally {
    await server.close();
  }
}

/** Job numbers 0..jobs-1 dealt out to the callers in turn. */
function shareOut(jobs: number, callers: number): number[][] {
  const shares = Array.from({ length: callers }, (): number[] => []);
  for (let index = 0; index < jobs; index++) shares[index % callers]?.push(index);
  return shares;
}

/** What still holds the event loop once everything is closed, stdio aside. */
async function handlesLeftOpen(): Promise<string[]> {
  // Closed sockets report their end on a later turn of the loop.
  await new Promise((resolve) => setTimeout(resolve, 100));
  await new Promise((resolve) => setImmediate(resolve));
  return process.getActiveResourcesInfo().filter((kind) => !STDIO_HANDLES.has(kind));
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(
      `soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exitCode = 1;
  },
);
