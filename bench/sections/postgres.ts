// The reference server on PostgreSQL against PostgreSQL itself: raw baselines (a job-shaped
// insert into the server's own table and indexes, the standard query's page and count in plain
// SQL, a SKIP LOCKED claim) measured on the same database in the same run as the server's
// creates, batch creates and queries at concurrency 16; update→subscriber latency; one server
// process against two; and how reads cost as the table grows. Needs DATABASE_URL.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { LIMITS } from '../../server/src/index';
import { JsonRequester } from '../lib/http-json';
import { runCalls, type CallRun } from '../lib/load';
import { interleave } from '../lib/measure';
import type { BenchOptions } from '../lib/options';
import type { Row, SectionResult } from '../lib/report';
import {
  creatorToken,
  startServerProcesses,
  updateToSubscriberMs,
  type ServerProcesses,
} from '../lib/servers';
import { median, medianRound, pairedRatio, summarizeLatencies } from '../lib/stats';

const CONCURRENCY = 16;
const PAGE = 20;
const BATCH = 1000;
const NOTE = 'shared, loaded 2-core machine';

/**
 * A compact job (about 0.4 KB of JSON): a batch of 1000 of the server section's 4 KB jobs would
 * pass the 1 MiB body limit. The same shape goes through the server and the raw insert.
 */
function compactJob(tag: string, index: number, user: string): Record<string, unknown> {
  return {
    job_id: `${tag}${index.toString(16).padStart(24, '0')}`,
    user,
    status: index % 3 === 0 ? 'WORKING' : 'WAITING',
    job_name: `upload plate ${index}`,
    service: 'fss-upload',
    current_host: `worker-${index % 8}.example.org`,
    current_stage: 'copying',
    origination_host: 'lims.example.org',
    service_fields: {
      type: index % 2 === 0 ? 'upload' : 'copy',
      request: { source_host: 'microscope-3', priority: index % 5, dry_run: false },
      plate: { barcode: `BC${index}`, well_count: 96 },
    },
  };
}

const RAW_INSERT = `INSERT INTO jobs (job_id, user_name, status, job_name, service, current_host,
    current_stage, origination_host, service_fields, created, modified, stamp, created_stamp,
    create_hash)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, now(), now(), nextval('jss_stamp'),
    currval('jss_stamp'), 'raw')`;

function rawInsertParams(job: Record<string, unknown>): unknown[] {
  return [
    job.job_id,
    job.user,
    job.status,
    job.job_name,
    job.service,
    job.current_host,
    job.current_stage,
    job.origination_host,
    JSON.stringify(job.service_fields),
  ];
}

/** The standard query: one user's open uploads, a page of 20 in the default order. */
const standardFilter = (user: string) => ({
  user,
  status: { $in: ['WAITING', 'WORKING'] },
  'service_fields.type': 'upload',
});

/**
 * The same page and its count in plain SQL, as someone writing it by hand would, the count capped
 * as the server caps it (`LIMITS.queryCountCap`).
 */
const RAW_PAGE = `SELECT job_id, user_name, status, job_name, service, current_host,
    current_stage, origination_host, parent_id, child_ids, update_parent, service_fields,
    progress, logs, created, modified FROM jobs
  WHERE user_name = $1 AND status = ANY($2) AND service_fields @> '{"type":"upload"}'
  ORDER BY created, job_id LIMIT ${PAGE + 1}`;
const RAW_MATCHES = `SELECT 1 FROM jobs
  WHERE user_name = $1 AND status = ANY($2) AND service_fields @> '{"type":"upload"}'`;
const RAW_COUNT = `SELECT count(*) FROM (${RAW_MATCHES} LIMIT ${LIMITS.queryCountCap}) m`;

const RAW_CLAIM = `UPDATE jobs SET status = 'WORKING' WHERE job_id = (
    SELECT job_id FROM jobs WHERE user_name = $1 AND status = 'WAITING'
    ORDER BY created, job_id LIMIT 1 FOR UPDATE SKIP LOCKED)
  RETURNING job_id`;

interface Setup {
  databaseUrl: string;
  schema: string;
  /** The server under test, in a process of its own. */
  url: string;
  pool: pg.Pool;
  tag: string;
  counter: number;
}

function row(
  label: string,
  contender: string,
  run: CallRun,
  operations: number,
  extra: Partial<Row> = {},
): Row {
  return {
    section: 'postgres',
    case: label,
    contender,
    ...summarizeLatencies(run.latenciesMs),
    perSecond: (operations / run.elapsedMs) * 1000,
    ...extra,
  };
}

/** Throughput rows of two contenders measured in alternation, with the paired ratio. */
function pairRows(
  label: string,
  rounds: Map<string, CallRun[]>,
  operations: number,
  baseline: string,
  note: string,
): Row[] {
  const rate = (run: CallRun) => (operations / run.elapsedMs) * 1000;
  const base = rounds.get(baseline)!.map(rate);
  return [...rounds].map(([name, runs]) => {
    const typical = medianRound(runs, rate);
    return row(label, name, typical, operations, {
      note,
      ...(name === baseline
        ? {}
        : { ratio: pairedRatio(runs.map(rate), base), ratioOf: `${name}/${baseline} per s` }),
    });
  });
}

async function rawInserts(setup: Setup, user: string, count: number): Promise<CallRun> {
  return runCalls(count, CONCURRENCY, () =>
    setup.pool.query(RAW_INSERT, rawInsertParams(compactJob(setup.tag, setup.counter++, user))),
  );
}

/** The jobs of one batch as rows of the server's table, inserted by one plain statement. */
const RAW_BATCH = `INSERT INTO jobs (job_id, user_name, status, job_name, service, current_host,
    current_stage, origination_host, service_fields, created, modified, stamp, created_stamp,
    create_hash)
  SELECT r.job_id, r.user, r.status, r.job_name, r.service, r.current_host, r.current_stage,
    r.origination_host, r.service_fields, now(), now(), nextval('jss_stamp'),
    currval('jss_stamp'), 'raw'
  FROM jsonb_to_recordset($1::jsonb) AS r(job_id text, "user" text, status text, job_name text,
    service text, current_host text, current_stage text, origination_host text,
    service_fields jsonb)`;

async function rawBatches(setup: Setup, user: string, batches: number): Promise<CallRun> {
  return runCalls(batches, CONCURRENCY, () =>
    setup.pool.query(RAW_BATCH, [
      JSON.stringify(
        Array.from({ length: BATCH }, () => compactJob(setup.tag, setup.counter++, user)),
      ),
    ]),
  );
}

async function serverCreates(
  setup: Setup,
  requester: JsonRequester,
  url: string,
  count: number,
): Promise<CallRun> {
  return runCalls(count, CONCURRENCY, () =>
    requester.expect(
      201,
      'POST',
      `${url}/1.0/job/`,
      compactJob(setup.tag, setup.counter++, requester.user),
    ),
  );
}

async function serverBatches(
  setup: Setup,
  requester: JsonRequester,
  batches: number,
): Promise<CallRun> {
  return runCalls(batches, CONCURRENCY, () =>
    requester.expect(
      201,
      'POST',
      `${setup.url}/1.0/job/batch`,
      Array.from({ length: BATCH }, () => compactJob(setup.tag, setup.counter++, requester.user)),
    ),
  );
}

/** Fills the table with `count` more jobs of other users, in plain SQL, a chunk per statement. */
async function fillTo(setup: Setup, target: number): Promise<void> {
  const chunk = 50_000;
  for (;;) {
    const { rows } = await setup.pool.query<{ n: string }>('SELECT count(*)::text AS n FROM jobs');
    const missing = target - Number(rows[0]!.n);
    if (missing <= 0) return;
    const size = Math.min(chunk, missing);
    const prefix = `${setup.tag}f${randomBytes(3).toString('hex')}`;
    // Stamps as jss_next_stamp() makes them (transaction id first), without a call per row.
    await setup.pool.query(
      `INSERT INTO jobs (job_id, user_name, status, job_name, service, service_fields, created,
         modified, stamp, created_stamp, create_hash)
       SELECT $1 || g, 'filler-' || (g % 500), CASE WHEN g % 3 = 0 THEN 'WORKING' ELSE 'WAITING' END,
         'filler ' || g, 'fss-upload',
         jsonb_build_object('type', CASE WHEN g % 2 = 0 THEN 'upload' ELSE 'copy' END, 'n', g),
         now(), now(), s.base + g, s.base + g, 'filler'
       FROM generate_series(0, $2 - 1) g,
         (SELECT pg_current_xact_id()::text::bigint * 65536 AS base) s`,
      [prefix, size],
    );
    await setup.pool.query('ANALYZE jobs');
  }
}

/** Sequential calls, timed one by one. */
async function timed(count: number, call: (index: number) => Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  for (let index = 0; index < count; index++) {
    const started = performance.now();
    await call(index);
    latencies.push(performance.now() - started);
  }
  return latencies;
}

/** Creates at concurrency 16 spread over the given servers (one requester, 16 sockets each). */
async function createsOver(
  setup: Setup,
  urls: string[],
  count: number,
  token: string,
): Promise<CallRun> {
  const requesters = urls.map(
    () => new JsonRequester(`bench-procs-${setup.tag}`, CONCURRENCY, token),
  );
  try {
    return await runCalls(count, CONCURRENCY, (index) => {
      const requester = requesters[index % requesters.length]!;
      return requester.expect(
        201,
        'POST',
        `${urls[index % urls.length]}/1.0/job/`,
        compactJob(setup.tag, setup.counter++, requester.user),
      );
    });
  } finally {
    for (const requester of requesters) requester.close();
  }
}

async function costGrowth(
  main: Setup,
  sizes: number[],
  reads: number,
): Promise<{ rows: Row[]; figures: Record<string, Record<string, number>> }> {
  const schema = `${main.schema}_growth`;
  const server = await startServerProcesses(1, {
    databaseUrl: main.databaseUrl,
    schema,
    poolSize: 4,
  });
  const pool = new pg.Pool({
    connectionString: main.databaseUrl,
    options: `-c search_path=${schema}`,
    max: 4,
  });
  const url = server.urls[0]!;
  const setup: Setup = { ...main, schema, url, pool };
  const user = `bench-growth-${main.tag}`;
  const requester = new JsonRequester(user, 1, await creatorToken(pool, user));
  const rows: Row[] = [];
  const figures: Record<string, Record<string, number>> = {};
  try {
    await requester.expect(
      201,
      'POST',
      `${url}/1.0/job/batch`,
      Array.from({ length: BATCH }, () => compactJob(setup.tag, setup.counter++, user)),
    );
    const { rows: some } = await pool.query<{ job_id: string }>(
      'SELECT job_id FROM jobs WHERE user_name = $1 LIMIT 100',
      [user],
    );
    for (const size of sizes) {
      await fillTo(setup, size);
      // A poller a few changes behind: the last 10 of the user's jobs are touched after it.
      const { rows: stampRows } = await pool.query<{ stamp: string }>(
        'SELECT max(stamp)::text AS stamp FROM jobs WHERE user_name = $1',
        [user],
      );
      const since = stampRows[0]!.stamp;
      for (const { job_id } of some.slice(0, 10)) {
        await requester.expect(200, 'PATCH', `${url}/1.0/job/${job_id}`, {
          current_stage: `at ${size}`,
        });
      }
      const measured = {
        query: median(
          await timed(reads, () =>
            requester.expect(
              200,
              'POST',
              `${url}/1.0/job/query?limit=${PAGE}`,
              standardFilter(user),
            ),
          ),
        ),
        getById: median(
          await timed(reads, (index) =>
            requester.expect(200, 'GET', `${url}/1.0/job/${some[index % some.length]!.job_id}`),
          ),
        ),
        changedSince: median(
          await timed(reads, () =>
            requester.expect(200, 'POST', `${url}/1.0/job/changes?since=${since}&limit=100`, {
              user,
            }),
          ),
        ),
      };
      figures[String(size)] = measured;
      for (const [name, ms] of Object.entries(measured)) {
        const first = figures[String(sizes[0])]![name as keyof typeof measured]!;
        rows.push({
          section: 'postgres',
          case: `${name} at ${size.toLocaleString('en-US')} jobs`,
          contender: 'server',
          medianMs: ms,
          ...(size === sizes[0]
            ? {}
            : { ratio: ms / first, ratioOf: `time/at ${sizes[0]!.toLocaleString('en-US')}` }),
          note: `${reads} sequential calls, user of 1000 jobs; ${NOTE}`,
        });
      }
    }
    return { rows, figures };
  } finally {
    requester.close();
    await server.stop();
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await pool.end();
  }
}

/** Runs the PostgreSQL section; skipped without DATABASE_URL. */
export async function runPostgresSection(options: BenchOptions): Promise<SectionResult> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) return { rows: [], skipped: ['DATABASE_URL is not set'] };
  const quick = options.quick;
  const rounds = quick ? 1 : Math.min(options.rounds, 3);
  const singles = quick ? 300 : 2000;
  const batches = quick ? 4 : 16;
  const queries = quick ? 200 : 1000;
  const claims = quick ? 200 : 1000;
  const updates = quick ? 20 : 100;
  const reads = quick ? 50 : 200;
  const sizes = options.million ? [10_000, 100_000, 1_000_000] : [10_000, 100_000];

  const tag = randomBytes(4).toString('hex');
  const schema = `jss_bench_pg_${Date.now().toString(36)}_${tag}`;
  let server: ServerProcesses | undefined;
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    options: `-c search_path=${schema}`,
    max: CONCURRENCY,
  });
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  try {
    server = await startServerProcesses(1, { databaseUrl, schema, poolSize: CONCURRENCY });
    const setup: Setup = { databaseUrl, schema, url: server.urls[0]!, pool, tag, counter: 0 };
    // Single-row inserts: raw SQL into the server's table against POST 1.0/job/.
    const createUser = `bench-create-${tag}`;
    const requester = new JsonRequester(
      createUser,
      CONCURRENCY,
      await creatorToken(pool, createUser),
    );
    const createRounds = await interleave(
      [
        { name: 'raw INSERT', run: () => rawInserts(setup, createUser, singles) },
        {
          name: 'server',
          run: () => serverCreates(setup, requester, setup.url, singles),
        },
      ],
      rounds,
      1,
    );
    rows.push(
      ...pairRows('single-row create', createRounds, singles, 'raw INSERT', `c=16; ${NOTE}`),
    );

    // Batch creates of 1000: one raw INSERT … SELECT of 1000 rows against POST 1.0/job/batch.
    const batchRounds = await interleave(
      [
        { name: 'raw INSERT of 1000', run: () => rawBatches(setup, createUser, batches) },
        { name: 'server', run: () => serverBatches(setup, requester, batches) },
      ],
      rounds,
      1,
    );
    rows.push(
      ...pairRows(
        `batch create (${BATCH} per request)`,
        batchRounds,
        batches * BATCH,
        'raw INSERT of 1000',
        `jobs/s; ${batches} batches, c=16; ${NOTE}`,
      ),
    );

    // The standard query: the server against the same page and count in plain SQL.
    const queryUser = createUser;
    const statuses = ['WAITING', 'WORKING'];
    const queryRounds = await interleave(
      [
        {
          name: 'raw SQL page + count',
          run: () =>
            runCalls(queries, CONCURRENCY, async () => {
              const client = await pool.connect();
              try {
                await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
                await client.query({
                  name: 'raw_page',
                  text: RAW_PAGE,
                  values: [queryUser, statuses],
                });
                await client.query({
                  name: 'raw_count',
                  text: RAW_COUNT,
                  values: [queryUser, statuses],
                });
                await client.query('COMMIT');
              } finally {
                client.release();
              }
            }),
        },
        {
          name: 'server',
          run: () =>
            runCalls(queries, CONCURRENCY, () =>
              requester.expect(
                200,
                'POST',
                `${setup.url}/1.0/job/query?limit=${PAGE}`,
                standardFilter(queryUser),
              ),
            ),
        },
      ],
      rounds,
      1,
    );
    const { rows: matched } = await pool.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM (${RAW_MATCHES}) m`,
      [queryUser, statuses],
    );
    rows.push(
      ...pairRows(
        `standard query (page of ${PAGE} + count)`,
        queryRounds,
        queries,
        'raw SQL page + count',
        `${matched[0]!.n} matches; c=16; ${NOTE}`,
      ),
    );
    requester.close();

    // A SKIP LOCKED claim: a baseline for what a queue on this table costs.
    const claimRun = await runCalls(claims, CONCURRENCY, () =>
      pool.query({ name: 'raw_claim', text: RAW_CLAIM, values: [createUser] }),
    );
    rows.push(
      row('claim (UPDATE … FOR UPDATE SKIP LOCKED)', 'raw SQL', claimRun, claims, {
        note: `c=16; baseline only; ${NOTE}`,
      }),
    );

    // Update answered → jobUpdate at an SDK subscriber; beside it, what one round trip to
    // PostgreSQL costs now (the hub needs one after the commit, to read the change it was told of).
    const roundTrips = await timed(updates, () => pool.query('SELECT 1'));
    rows.push({
      section: 'postgres',
      case: 'one round trip (SELECT 1), sequential',
      contender: 'raw SQL',
      ...summarizeLatencies(roundTrips),
      note: `baseline only; ${NOTE}`,
    });
    const sseUser = `bench-sse-${tag}`;
    const latencies = await updateToSubscriberMs(
      setup.url,
      sseUser,
      updates,
      await creatorToken(pool, sseUser),
    );
    rows.push({
      section: 'postgres',
      case: 'update answered → jobUpdate at subscriber',
      contender: 'server',
      ...summarizeLatencies(latencies),
      note: `${updates} sequential updates; ${NOTE}`,
    });

    // One server process against two, on the same schema, creates at concurrency 16. The server
    // measured above is stopped first: idle, it would still take part in every notification.
    await server.stop();
    server = undefined;
    const target = { databaseUrl, schema, poolSize: CONCURRENCY };
    const one = await startServerProcesses(1, target);
    const two = await startServerProcesses(2, target);
    const procsToken = await creatorToken(pool, `bench-procs-${tag}`);
    try {
      const processRounds = await interleave(
        [
          { name: '1 process', run: () => createsOver(setup, one.urls, singles, procsToken) },
          { name: '2 processes', run: () => createsOver(setup, two.urls, singles, procsToken) },
        ],
        rounds,
        1,
      );
      rows.push(
        ...pairRows(
          'creates, server processes on one PostgreSQL',
          processRounds,
          singles,
          '1 process',
          `c=16 in total; ${NOTE}`,
        ),
      );
    } finally {
      await one.stop();
      await two.stop();
    }

    // Cost growth: the same reads at several table sizes, on a schema of its own so that the
    // smallest size is not already passed by the jobs above. The measured user keeps 1000 jobs;
    // other users' jobs fill the table.
    const growth = await costGrowth(setup, sizes, reads);
    rows.push(...growth.rows);
    details.growthMedianMs = growth.figures;
    details.sizes = sizes;
    return { rows, details };
  } finally {
    await server?.stop();
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await pool.end();
  }
}
