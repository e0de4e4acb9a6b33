// The work queue against two PostgreSQL job queues on the same database in the same run:
// graphile-worker and pg-boss (each in a schema of its own, dropped afterwards) and the reference
// server (in a process of its own) with the SDK's processJobs. Processing throughput: N no-op
// jobs enqueued in chunks into a running pool of concurrency 16, timed from the first enqueue to
// the last handler's return. Latency: single jobs enqueued one at a time into an idle pool, from
// just before the enqueue call to the start of the handler, woken by LISTEN/NOTIFY. Needs
// DATABASE_URL.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Logger, makeWorkerUtils, run, type Runner, type WorkerUtils } from 'graphile-worker';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { JobStatusClient, type JobProcessor } from 'job-status-client';
import type { BenchOptions } from '../lib/options';
import { startServerProcesses, type ServerProcesses } from '../lib/servers';
import type { Row, SectionResult } from '../lib/report';
import { summarizeLatencies } from '../lib/stats';

const CONCURRENCY = 16;
const CHUNK = 1000;
const NOTE = 'shared, loaded 2-core machine';
const SERVICE = 'bench-noop';
/** How long a pg-boss run with its defaults (a 2 s poll of one job per worker) is given. */
const SLOW_CAP_MS = 20_000;
const RUN_TIMEOUT_MS = 600_000;

/** Counts handler returns and resolves once `target` of them have happened (or the cap). */
class Finish {
  done = 0;
  #resolve: (() => void) | undefined;
  readonly reached: Promise<void>;
  constructor(readonly target: number) {
    this.reached = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }
  add(count = 1): void {
    this.done += count;
    if (this.done >= this.target) this.#resolve?.();
  }
}

/** What one contender of the throughput measurement is. */
interface Contender {
  name: string;
  /** Starts the pool (idle), with `finish` counted by its handler. */
  start(finish: Finish): Promise<void>;
  /** Enqueues `count` jobs, in chunks. */
  enqueue(count: number): Promise<void>;
  /** Jobs of this run not yet done in the database, checked after the timed part. */
  pending(): Promise<number>;
  stop(): Promise<void>;
  /** Time-capped: the figure is the jobs done by then over the time taken. */
  capMs?: number;
}

interface Throughput {
  perSecond: number;
  done: number;
  elapsedMs: number;
  pending: number;
}

async function measureThroughput(contender: Contender, count: number): Promise<Throughput> {
  const finish = new Finish(count);
  await contender.start(finish);
  try {
    const started = performance.now();
    const enqueued = contender.enqueue(count);
    const limit = contender.capMs ?? RUN_TIMEOUT_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const capped = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, limit);
    });
    await Promise.race([Promise.all([enqueued, finish.reached]), capped]);
    clearTimeout(timer);
    const elapsedMs = performance.now() - started;
    await enqueued;
    if (contender.capMs === undefined && finish.done < count) {
      throw new Error(`${contender.name}: ${finish.done} of ${count} jobs done in ${limit} ms`);
    }
    const done = Math.min(finish.done, count);
    // Outcomes may be reported after the handler returns (batched): give them a moment.
    let pending = await contender.pending();
    for (let check = 0; pending > 0 && contender.capMs === undefined && check < 40; check++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      pending = await contender.pending();
    }
    return { perSecond: (done / elapsedMs) * 1000, done, elapsedMs, pending };
  } finally {
    await contender.stop();
  }
}

/** Single jobs into an idle pool: enqueue → handler start, one at a time. */
async function measureLatency(
  start: (onStart: (tag: string) => void) => Promise<{
    enqueue: (tag: string) => Promise<unknown>;
    stop: () => Promise<void>;
  }>,
  count: number,
): Promise<number[]> {
  const waiting = new Map<string, (at: number) => void>();
  const pool = await start((tag) => waiting.get(tag)?.(performance.now()));
  try {
    const latencies: number[] = [];
    // A few unmeasured first, so that connections and prepared statements are warm.
    for (let index = -5; index < count; index++) {
      const tag = `l${index}-${randomBytes(3).toString('hex')}`;
      const started = new Promise<number>((resolve, reject) => {
        waiting.set(tag, resolve);
        setTimeout(() => reject(new Error(`job ${tag} never started`)), 30_000).unref();
      });
      // Idle: nothing was enqueued for a while, so the pool waits on LISTEN, not on a poll.
      await new Promise((resolve) => setTimeout(resolve, 20));
      const before = performance.now();
      await pool.enqueue(tag);
      const at = await started;
      waiting.delete(tag);
      if (index >= 0) latencies.push(at - before);
    }
    return latencies;
  } finally {
    await pool.stop();
  }
}

const silentGraphileLogger = new Logger(() => () => {});

function graphileContender(
  databaseUrl: string,
  schema: string,
  name: string,
  batched: boolean,
): Contender & { utils?: WorkerUtils } {
  let runner: Runner | undefined;
  let utils: WorkerUtils | undefined;
  return {
    name,
    async start(finish) {
      utils = await makeWorkerUtils({
        connectionString: databaseUrl,
        schema,
        logger: silentGraphileLogger,
      });
      await utils.migrate();
      runner = await run({
        connectionString: databaseUrl,
        schema,
        concurrency: CONCURRENCY,
        noHandleSignals: true,
        logger: silentGraphileLogger,
        taskList: { noop: async () => finish.add() },
        ...(batched
          ? {
              preset: {
                worker: {
                  localQueue: { size: 500 },
                  completeJobBatchDelay: 0,
                  failJobBatchDelay: 0,
                },
              },
            }
          : {}),
      });
    },
    async enqueue(count) {
      for (let from = 0; from < count; from += CHUNK) {
        const size = Math.min(CHUNK, count - from);
        await utils!.addJobs(
          Array.from({ length: size }, (_, index) => ({
            identifier: 'noop',
            payload: { n: from + index },
          })),
        );
      }
    },
    async pending() {
      return utils!.withPgClient(async (client) => {
        const { rows } = await client.query<{ n: string }>(
          `SELECT count(*)::text AS n FROM ${schema}._private_jobs`,
        );
        return Number(rows[0]!.n);
      });
    },
    async stop() {
      await runner?.stop();
      await utils?.release();
      runner = undefined;
      utils = undefined;
    },
  };
}

function pgBossContender(
  databaseUrl: string,
  schema: string,
  name: string,
  batchSize: number | undefined,
  capMs?: number,
): Contender {
  let boss: PgBoss | undefined;
  const queue = `noop-${randomBytes(3).toString('hex')}`;
  return {
    name,
    capMs,
    async start(finish) {
      boss = new PgBoss({ connectionString: databaseUrl, schema });
      boss.on('error', () => {});
      await boss.start();
      await boss.createQueue(queue);
      if (batchSize === undefined) {
        await boss.work(queue, { localConcurrency: CONCURRENCY }, async (jobs) => {
          finish.add(jobs.length);
        });
      } else {
        await boss.work(queue, { localConcurrency: CONCURRENCY, batchSize }, async (jobs) => {
          finish.add(jobs.length);
        });
      }
    },
    async enqueue(count) {
      for (let from = 0; from < count; from += CHUNK) {
        const size = Math.min(CHUNK, count - from);
        await boss!.insert(
          queue,
          Array.from({ length: size }, (_, index) => ({ data: { n: from + index } })),
        );
      }
    },
    async pending() {
      const stats = await boss!.getQueueStats(queue);
      return stats.reduce((sum, each) => sum + each.queuedCount + each.activeCount, 0);
    },
    async stop() {
      await boss?.deleteQueue(queue).catch(() => {});
      await boss?.stop({ graceful: false, close: true, timeout: 5000 });
      boss = undefined;
    },
  };
}

interface ServerProcess {
  url: string;
  token: ServerProcesses['token'];
  stop(): Promise<void>;
}

/** The reference server in a process of its own on the bench's schema, with token auth. */
async function startServerProcess(databaseUrl: string, schema: string): Promise<ServerProcess> {
  const { urls, token, stop } = await startServerProcesses(1, {
    databaseUrl,
    schema,
    poolSize: CONCURRENCY,
  });
  return { url: urls[0]!, token, stop };
}

interface OurQueue {
  producer: JobStatusClient;
  worker: JobStatusClient;
  user: string;
}

async function ourQueue(server: ServerProcess, tag: string): Promise<OurQueue> {
  const user = `bench-producer-${tag}`;
  const producerToken = await server.token({ user, role: 'creator' });
  const workerToken = await server.token({
    user: `bench-worker-${tag}`,
    role: 'worker',
    services: [SERVICE],
  });
  return {
    user,
    producer: new JobStatusClient({ baseURL: server.url, token: producerToken }),
    worker: new JobStatusClient({ baseURL: server.url, token: workerToken }),
  };
}

function ourContender(
  queue: OurQueue,
  pool: pg.Pool,
  name: string,
  options: { prefetch: number },
): Contender {
  let processor: JobProcessor | undefined;
  let run = 0;
  return {
    name,
    async start(finish) {
      run++;
      processor = queue.worker.processJobs(
        SERVICE,
        async () => {
          finish.add();
        },
        { concurrency: CONCURRENCY, prefetch: options.prefetch },
      );
      processor.on('error', () => {});
    },
    async enqueue(count) {
      for (let from = 0; from < count; from += CHUNK) {
        const size = Math.min(CHUNK, count - from);
        await queue.producer.createJobs(
          Array.from({ length: size }, (_, index) => ({
            user: queue.user,
            service: SERVICE,
            jobName: `noop ${run}.${from + index}`,
          })),
        );
      }
    },
    async pending() {
      const { rows } = await pool.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM jobs WHERE service = $1 AND status <> 'SUCCEEDED'`,
        [SERVICE],
      );
      return Number(rows[0]!.n);
    },
    async stop() {
      await processor?.stop({ graceful: true });
      processor = undefined;
    },
  };
}

function throughputRow(name: string, figure: Throughput, count: number, note: string): Row {
  return {
    section: 'workers',
    case: `process ${count.toLocaleString('en-US')} no-op jobs (c=16)`,
    contender: name,
    perSecond: figure.perSecond,
    medianMs: figure.elapsedMs,
    note: `${note}; ${figure.done} done, ${figure.pending} left after; ${NOTE}`,
  };
}

/** Runs the workers section; skipped without DATABASE_URL. */
export async function runWorkersSection(options: BenchOptions): Promise<SectionResult> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) return { rows: [], skipped: ['DATABASE_URL is not set'] };
  const count = options.quick ? 2000 : 20_000;
  const singles = options.quick ? 20 : 200;
  const tag = randomBytes(4).toString('hex');
  const stamp = Date.now().toString(36);
  const schemas = {
    graphile: `jss_bench_gw_${stamp}_${tag}`,
    boss: `jss_bench_boss_${stamp}_${tag}`,
    ours: `jss_bench_wq_${stamp}_${tag}`,
  };
  const admin = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const ours = new pg.Pool({
    connectionString: databaseUrl,
    options: `-c search_path=${schemas.ours}`,
    max: 2,
  });
  const server = await startServerProcess(databaseUrl, schemas.ours);
  const rows: Row[] = [];
  const details: Record<string, unknown> = { count, singles };
  try {
    const queue = await ourQueue(server, tag);
    const contenders: [Contender, string][] = [
      [graphileContender(databaseUrl, schemas.graphile, 'graphile-worker', false), 'defaults'],
      [
        graphileContender(databaseUrl, schemas.graphile, 'graphile-worker batched', true),
        'localQueue.size 500, completeJobBatchDelay 0',
      ],
      [
        pgBossContender(databaseUrl, schemas.boss, 'pg-boss', undefined, SLOW_CAP_MS),
        `defaults (localConcurrency 16); time-capped at ${SLOW_CAP_MS / 1000} s`,
      ],
      [
        pgBossContender(databaseUrl, schemas.boss, 'pg-boss batchSize 100', 100),
        'batchSize 100, localConcurrency 16',
      ],
      [ourContender(queue, ours, 'server + processJobs', { prefetch: 0 }), 'prefetch 0'],
      [
        ourContender(queue, ours, 'server + processJobs prefetch 16', { prefetch: CONCURRENCY }),
        `prefetch ${CONCURRENCY}`,
      ],
      [
        ourContender(queue, ours, 'server + processJobs prefetch 84', { prefetch: 84 }),
        'prefetch 84: claims of up to 100',
      ],
    ];
    const figures: Record<string, Throughput> = {};
    for (const [contender, note] of contenders) {
      console.error(`bench: workers: ${contender.name} …`);
      const figure = await measureThroughput(contender, count);
      figures[contender.name] = figure;
      rows.push(throughputRow(contender.name, figure, count, note));
    }
    details.throughput = figures;

    // enqueue → handler start, LISTEN/NOTIFY, single jobs into an idle pool of 16.
    const latency: Record<string, number[]> = {};
    console.error('bench: workers: latency …');
    latency['graphile-worker'] = await measureLatency(async (onStart) => {
      const utils = await makeWorkerUtils({
        connectionString: databaseUrl,
        schema: schemas.graphile,
        logger: silentGraphileLogger,
      });
      const runner = await run({
        connectionString: databaseUrl,
        schema: schemas.graphile,
        concurrency: CONCURRENCY,
        noHandleSignals: true,
        logger: silentGraphileLogger,
        taskList: { tagged: async (payload) => onStart((payload as { tag: string }).tag) },
      });
      return {
        enqueue: (tag) => utils.addJob('tagged', { tag }),
        stop: async () => {
          await runner.stop();
          await utils.release();
        },
      };
    }, singles);
    latency['pg-boss'] = await measureLatency(async (onStart) => {
      const boss = new PgBoss({
        connectionString: databaseUrl,
        schema: schemas.boss,
        useListenNotify: true,
      });
      boss.on('error', () => {});
      await boss.start();
      const name = `tagged-${randomBytes(3).toString('hex')}`;
      await boss.createQueue(name, { notify: true });
      await boss.work<{ tag: string }>(name, { localConcurrency: CONCURRENCY }, async (jobs) => {
        for (const job of jobs) onStart(job.data.tag);
      });
      return {
        enqueue: (tag) => boss.send(name, { tag }),
        stop: () => boss.stop({ graceful: false, close: true, timeout: 5000 }),
      };
    }, singles);
    latency['server + processJobs'] = await measureLatency(async (onStart) => {
      const processor = queue.worker.processJobs(SERVICE, (job) => onStart(job.jobName ?? ''), {
        concurrency: CONCURRENCY,
      });
      processor.on('error', () => {});
      return {
        enqueue: (tag) =>
          queue.producer.createJob({ user: queue.user, service: SERVICE, jobName: tag }),
        stop: () => processor.stop({ graceful: true }),
      };
    }, singles);
    for (const [name, latencies] of Object.entries(latency)) {
      rows.push({
        section: 'workers',
        case: 'enqueue → handler start (LISTEN/NOTIFY, idle pool)',
        contender: name,
        ...summarizeLatencies(latencies),
        note: `${singles} single jobs one at a time, c=16; ${NOTE}`,
      });
    }
    details.latencyMs = latency;
    return { rows, details };
  } finally {
    await server.stop();
    for (const schema of Object.values(schemas)) {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    }
    await ours.end();
    await admin.end();
  }
}
