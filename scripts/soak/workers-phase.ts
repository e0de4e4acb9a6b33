/**
 * The soak's workers phase: a reference server (PGlite in memory, or PostgreSQL in a schema of
 * its own when DATABASE_URL is set), producers creating jobs for one service while several worker
 * processes (./worker-process.ts, real `node` children running processJobs) work on them, with
 * short leases. Every so often a worker with a job in flight is killed with SIGKILL and a new one
 * started in its place. At the end every job must be SUCCEEDED, completed exactly once.
 *
 * What is measured, from the server's final state and the side log every handler appends to:
 * - lost: jobs created that did not end SUCCEEDED (must be 0);
 * - duplicate completions: jobs whose completion the service accepted more than once (must be 0);
 * - result mismatches: a SUCCEEDED job whose stored result is not that of a handler run which
 *   finished, or not that of the run whose completion was accepted (must be 0);
 * - unexplained attempts: a job claimed again without its last error being `lease_expired`
 *   (must be 0: handlers here never fail, so only a lease that ran out makes a second attempt);
 * - re-runs: handler starts beyond one per job. Expected after kills: a job in flight in a killed
 *   worker starts again once its lease has run out (at-least-once start); reported, not failed.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { JobStatusClient, type Job, type NewJob } from 'job-status-client';
import { openStore, startServer } from '../../server/src/index';
import type { WorkersOptions } from './options';
import { bundleWorker, type WorkerBundle, type WorkerChild } from './worker-bundle';
import type { SideLogEntry } from './worker-process';

const SERVICE = 'soak-work';
const USER = 'soak-producer';
const PRODUCERS = 2;
const BATCH = 10;
// Kills come at random moments this far apart, so that they land at every stage of a job.
const KILL_EVERY_MS: [number, number] = [150, 650];
// How long the producers take to create every job: long enough for the kills to land among them.
const MS_PER_KILL = 400;

/** The figures of one workers phase. */
export interface WorkersFigures {
  backend: 'pglite' | 'postgres';
  settings: WorkersOptions;
  durationMs: number;
  jobsCreated: number;
  jobsSucceeded: number;
  lost: number;
  duplicateCompletions: number;
  resultMismatches: number;
  unexplainedAttempts: number;
  /** Jobs of the producers' user that no producer created. */
  unexpectedJobs: number;
  kills: number;
  /** Jobs a killed worker had started and not finished, summed over the kills. */
  jobsInFlightAtKills: number;
  handlerStarts: number;
  reRuns: number;
  /** Jobs whose handler finished more than once (a kill between the return and the completion). */
  workRedone: number;
  /** Jobs whose lease ran out at least once (`lastError.code` lease_expired). */
  leaseExpiredJobs: number;
  /** SUCCEEDED jobs whose acceptance never reached the side log (killed right after the commit). */
  completionsUnlogged: number;
  /** The first few problems, for the report. */
  problems: string[];
}

/** Runs the phase; `say` narrates. */
export async function runWorkersPhase(
  options: WorkersOptions,
  say: (line: string) => void,
): Promise<WorkersFigures> {
  const databaseUrl = process.env.DATABASE_URL;
  const schema = `jss_soak_${randomBytes(4).toString('hex')}`;
  const backend = databaseUrl ? 'postgres' : 'pglite';
  say(
    `soak: workers phase on ${backend === 'postgres' ? `PostgreSQL (schema ${schema})` : 'PGlite'} …`,
  );
  const store = await openStore(databaseUrl ? { databaseUrl, schema } : {});
  const dir = mkdtempSync(join(tmpdir(), 'jss-soak-workers-'));
  let bundle: WorkerBundle | undefined;
  try {
    const server = await startServer({ port: 0, logger: false, store });
    try {
      bundle = await bundleWorker();
      return await soakWorkers(server, bundle, join(dir, 'side-log.ndjson'), options, say, backend);
    } finally {
      await server.close();
    }
  } finally {
    bundle?.dispose();
    rmSync(dir, { recursive: true, force: true });
    if (databaseUrl) await store.db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await store.db.close();
  }
}

async function soakWorkers(
  server: Awaited<ReturnType<typeof startServer>>,
  bundle: WorkerBundle,
  sideLog: string,
  options: WorkersOptions,
  say: (line: string) => void,
  backend: WorkersFigures['backend'],
): Promise<WorkersFigures> {
  writeFileSync(sideLog, '');
  const producerToken = (await server.createToken({ user: USER, role: 'creator' })).token;
  const workerToken = (
    await server.createToken({ user: 'soak-worker', role: 'worker', services: [SERVICE] })
  ).token;
  const client = () =>
    new JobStatusClient({ baseURL: server.url, token: producerToken, maxRetries: 3 });
  const start = () =>
    bundle.start({
      JSS_URL: server.url,
      JSS_TOKEN: workerToken,
      WORKER_SERVICE: SERVICE,
      WORKER_CONCURRENCY: String(options.workerConcurrency),
      WORKER_LEASE_MS: String(options.leaseMs),
      WORKER_WORK_MS: `${options.workMs[0]}-${options.workMs[1]}`,
      WORKER_LOG: sideLog,
    });

  say(
    `soak: ${options.workerProcesses} worker processes × ${options.workerConcurrency}, ` +
      `lease ${options.leaseMs} ms, ${options.workerJobs} jobs, ${options.kills} kills`,
  );
  const started = performance.now();
  const workers: WorkerChild[] = Array.from({ length: options.workerProcesses }, start);
  const reader = client();
  // A page of one: the count without reading every job back each time.
  const countSucceeded = async () =>
    (await reader.listJobs({ user: USER, status: 'SUCCEEDED' }, { limit: 1 })).totalCount;

  const producing = produce(client, options);
  let produced = false;
  let stopping = false;
  let kills = 0;
  let jobsInFlightAtKills = 0;
  let killError: unknown;
  const killing = (async () => {
    while (kills < options.kills && !stopping) {
      await sleep(between(KILL_EVERY_MS));
      const busy = workers.filter((worker) => worker.inFlight.size > 0);
      const victim = busy[Math.floor(Math.random() * busy.length)];
      if (victim === undefined) {
        if (produced && (await countSucceeded()) >= options.workerJobs) return;
        continue;
      }
      jobsInFlightAtKills += victim.inFlight.size;
      victim.process.kill('SIGKILL');
      kills += 1;
      await victim.exited;
      if (!stopping) workers[workers.indexOf(victim)] = start();
    }
  })().catch((error: unknown) => {
    killError = error;
  });

  const ticker = setInterval(() => {
    countSucceeded().then(
      (count) => say(`soak: ${count}/${options.workerJobs} jobs succeeded, ${kills} kills`),
      () => undefined,
    );
  }, 2_000);
  let created: string[];
  try {
    created = await producing;
    produced = true;
    await killing;
    if (killError !== undefined) throw killError;
    // A slow machine is not a failure; a queue that stops moving is.
    let last = -1;
    let stalledSince = Date.now();
    for (;;) {
      const count = await countSucceeded();
      if (count >= created.length) break;
      if (count > last) [last, stalledSince] = [count, Date.now()];
      if (Date.now() - stalledSince > options.stallTimeoutMs) break;
      await sleep(500);
    }
  } finally {
    stopping = true;
    clearInterval(ticker);
    await killing;
    await Promise.all(workers.map(stopGracefully));
  }
  const durationMs = performance.now() - started;

  const stored = await reader.getJobs({ user: USER });
  const entries = readFileSync(sideLog, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as SideLogEntry);
  return {
    backend,
    settings: options,
    durationMs: Math.round(durationMs),
    kills,
    jobsInFlightAtKills,
    ...judge(created, stored, entries),
  };
}

/** Creates the jobs in batches, spread over the time the kills take; resolves with their ids. */
async function produce(client: () => JobStatusClient, options: WorkersOptions): Promise<string[]> {
  const batches = Math.ceil(options.workerJobs / BATCH);
  const pauseMs = (options.kills * MS_PER_KILL * PRODUCERS) / batches;
  const ids: string[] = [];
  await Promise.all(
    Array.from({ length: PRODUCERS }, async (_, producer) => {
      const producerClient = client();
      for (let batch = producer; batch < batches; batch += PRODUCERS) {
        const size = Math.min(BATCH, options.workerJobs - batch * BATCH);
        const jobs: NewJob[] = Array.from({ length: size }, (_, index) => ({
          user: USER,
          service: SERVICE,
          // Every lease that runs out is a failed attempt: enough retries for any run of kills.
          retry: { retries: 1000, waitMs: 0 },
          serviceFields: { soak: { tag: `b${batch}-j${index}` } },
        }));
        const results = await producerClient.createJobs(jobs);
        ids.push(...results.map(({ job }) => job.jobId));
        await sleep(pauseMs);
      }
    }),
  );
  return ids;
}

/** Compares the server's jobs with the side log. */
function judge(
  created: readonly string[],
  stored: readonly Job[],
  entries: readonly SideLogEntry[],
): Omit<WorkersFigures, 'backend' | 'settings' | 'durationMs' | 'kills' | 'jobsInFlightAtKills'> {
  const problems: string[] = [];
  const report = (problem: string) => {
    if (problems.length < 5) problems.push(problem);
  };
  const byJob = new Map<string, SideLogEntry[]>();
  for (const entry of entries) {
    const list = byJob.get(entry.jobId) ?? [];
    list.push(entry);
    byJob.set(entry.jobId, list);
  }
  const storedById = new Map(stored.map((job) => [job.jobId, job]));
  const createdIds = new Set(created);
  const figures = {
    jobsCreated: created.length,
    jobsSucceeded: 0,
    lost: 0,
    duplicateCompletions: 0,
    resultMismatches: 0,
    unexplainedAttempts: 0,
    unexpectedJobs: stored.filter((job) => !createdIds.has(job.jobId)).length,
    handlerStarts: entries.filter((entry) => entry.event === 'start').length,
    reRuns: 0,
    workRedone: 0,
    leaseExpiredJobs: 0,
    completionsUnlogged: 0,
  };
  for (const jobId of created) {
    const job = storedById.get(jobId);
    const log = byJob.get(jobId) ?? [];
    const runsOf = (event: SideLogEntry['event']) =>
      log.filter((entry) => entry.event === event).map((entry) => entry.run);
    const starts = runsOf('start');
    const finished = runsOf('finish');
    const accepted = runsOf('completed');
    figures.reRuns += Math.max(0, starts.length - 1);
    if (finished.length > 1) figures.workRedone += 1;
    if (job?.lastError?.code === 'lease_expired') figures.leaseExpiredJobs += 1;
    if (job?.status !== 'SUCCEEDED') {
      figures.lost += 1;
      report(`${jobId}: ${job ? job.status : 'not found'}, ${starts.length} starts`);
      continue;
    }
    figures.jobsSucceeded += 1;
    if (accepted.length > 1) {
      figures.duplicateCompletions += 1;
      report(`${jobId}: completed ${accepted.length} times (${accepted.join(', ')})`);
    }
    if (accepted.length === 0) figures.completionsUnlogged += 1;
    const result = (job.serviceFields?.result as { run?: unknown } | undefined)?.run;
    const resultRun = typeof result === 'string' ? result : undefined;
    if (
      resultRun === undefined ||
      !finished.includes(resultRun) ||
      (accepted.length > 0 && !accepted.includes(resultRun))
    ) {
      figures.resultMismatches += 1;
      report(`${jobId}: result of run ${String(result)}, finished runs ${finished.join(', ')}`);
    }
    if ((job.attempts ?? 0) > 1 && job.lastError?.code !== 'lease_expired') {
      figures.unexplainedAttempts += 1;
      report(`${jobId}: ${job.attempts} attempts, last error ${JSON.stringify(job.lastError)}`);
    }
  }
  return { ...figures, problems };
}

/** SIGTERM (a graceful stop of the processor), then SIGKILL if it has not ended in 10 s. */
async function stopGracefully(worker: WorkerChild): Promise<void> {
  if (worker.process.exitCode !== null || worker.process.signalCode !== null) return;
  worker.process.kill('SIGTERM');
  const timer = setTimeout(() => worker.process.kill('SIGKILL'), 10_000);
  await worker.exited;
  clearTimeout(timer);
}

const between = ([min, max]: [number, number]) => min + Math.random() * (max - min);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The phase's pass conditions, each with what to say when it fails. */
export function workersChecks(figures: WorkersFigures): [boolean, string][] {
  return [
    [figures.lost === 0, 'workers: jobs lost (not SUCCEEDED at the end)'],
    [figures.duplicateCompletions === 0, 'workers: jobs completed more than once'],
    [figures.resultMismatches === 0, 'workers: a stored result of no accepted, finished run'],
    [figures.unexplainedAttempts === 0, 'workers: a second attempt without an expired lease'],
    [figures.unexpectedJobs === 0, 'workers: jobs nobody created'],
    [figures.kills > 0, 'workers: no worker was killed mid-job'],
  ];
}
