// The reference server: creates/s and queries/s under bounded loopback load, and how long an
// update takes from its HTTP answer to its arrival at a live subscriber. On PGlite (in memory)
// always; on PostgreSQL too when DATABASE_URL is set, the two servers measured in alternation.
import { randomBytes } from 'node:crypto';
import { startServer, type RunningServer } from '../../server/src/index';
import { wireJob } from '../lib/fixtures';
import { JsonRequester } from '../lib/http-json';
import { runCalls, type CallRun } from '../lib/load';
import { interleave } from '../lib/measure';
import type { BenchOptions } from '../lib/options';
import type { Row, SectionResult } from '../lib/report';
import { dropSchema, updateToSubscriberMs } from '../lib/servers';
import { medianRound, summarizeLatencies } from '../lib/stats';

const CONCURRENCY = 16;
const QUERY_PAGE = 20;

/** One server under test and what the bench needs to drive it. */
interface Backend {
  name: 'PGlite' | 'PostgreSQL';
  server: RunningServer;
  requester: JsonRequester;
  /** Distinguishes this run's job ids, so a database kept between runs never sees a duplicate. */
  runTag: string;
  created: number;
  cleanUp: () => Promise<void>;
}

async function openBackend(name: Backend['name'], databaseUrl?: string): Promise<Backend> {
  const runTag = randomBytes(4).toString('hex');
  const user = `bench-${name.toLowerCase()}-${runTag}`;
  if (databaseUrl === undefined) {
    // --auth none: the same work per request as before tokens, so runs stay comparable.
    const server = await startServer({
      port: 0,
      logger: false,
      dataDir: 'memory://',
      auth: 'none',
    });
    return {
      name,
      server,
      requester: new JsonRequester(user, CONCURRENCY),
      runTag,
      created: 0,
      cleanUp: async () => {},
    };
  }
  // A schema of its own, dropped afterwards: the bench leaves the database as it found it.
  const schema = `jss_bench_${Date.now().toString(36)}_${runTag}`;
  const server = await startServer({
    port: 0,
    logger: false,
    databaseUrl,
    databaseSchema: schema,
    auth: 'none',
  });
  return {
    name,
    server,
    requester: new JsonRequester(user, CONCURRENCY),
    runTag,
    created: 0,
    cleanUp: () => dropSchema(databaseUrl, schema),
  };
}

/** A create body as the SDK sends it: snake_case, service fields nested, the job id fixed. */
function createBody(backend: Backend): Record<string, unknown> {
  const index = backend.created++;
  const job = wireJob(index);
  return {
    job_id: `${backend.runTag}${index.toString(16).padStart(24, '0')}`,
    user: backend.requester.user,
    status: job.status,
    job_name: job.job_name,
    service: job.service,
    current_host: job.current_host,
    current_stage: job.current_stage,
    origination_host: job.origination_host,
    service_fields: job.service_fields,
  };
}

function createJobs(backend: Backend, count: number): Promise<CallRun> {
  return runCalls(count, CONCURRENCY, () =>
    backend.requester.expect(201, 'POST', `${backend.server.url}/1.0/job/`, createBody(backend)),
  );
}

function queryJobs(backend: Backend, count: number): Promise<CallRun> {
  const filter = {
    user: backend.requester.user,
    status: { $in: ['WAITING', 'WORKING'] },
    'service_fields.type': 'upload',
  };
  return runCalls(count, CONCURRENCY, async () => {
    const body = (await backend.requester.expect(
      200,
      'POST',
      `${backend.server.url}/1.0/job/query?limit=${QUERY_PAGE}`,
      filter,
    )) as { data: unknown[] };
    if (body.data.length === 0) throw new Error('a query answered no jobs');
  });
}

function throughputRows(
  label: string,
  rounds: Map<string, CallRun[]>,
  count: number,
  unit: string,
): Row[] {
  return [...rounds].map(([name, runs]) => {
    const summaries = runs.map((run) => ({
      ...summarizeLatencies(run.latenciesMs),
      perSecond: (count / run.elapsedMs) * 1000,
    }));
    const typical = medianRound(summaries, (summary) => summary.perSecond);
    return {
      section: 'server' as const,
      case: label,
      contender: name,
      medianMs: typical.medianMs,
      p99Ms: typical.p99Ms,
      perSecond: typical.perSecond,
      note: `${count} ${unit}/round, concurrency ${CONCURRENCY}`,
    };
  });
}

/** Runs creates, queries and update→subscriber latency on each available backend. */
export async function runServerSection(options: BenchOptions): Promise<SectionResult> {
  const creates = options.quick ? 50 : 500;
  const queries = options.quick ? 50 : 500;
  const updates = options.quick ? 10 : 50;
  const rounds = options.quick ? 2 : Math.min(options.rounds, 5);
  const skipped: string[] = [];
  const backends: Backend[] = [await openBackend('PGlite')];
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) backends.push(await openBackend('PostgreSQL', databaseUrl));
  else skipped.push('PostgreSQL skipped: DATABASE_URL is not set');

  try {
    const alternate = <T>(run: (backend: Backend) => Promise<T>) =>
      interleave(
        backends.map((backend) => ({ name: backend.name, run: () => run(backend) })),
        rounds,
        1,
      );
    const createRounds = await alternate((backend) => createJobs(backend, creates));
    const queryRounds = await alternate((backend) => queryJobs(backend, queries));
    const latencyRounds = await alternate((backend) =>
      updateToSubscriberMs(backend.server.url, `${backend.requester.user}-sse`, updates),
    );

    const rows: Row[] = [
      ...throughputRows('create (POST 1.0/job/)', createRounds, creates, 'creates'),
      ...throughputRows(
        `query (limit ${QUERY_PAGE}, of ${rounds + 1} × ${creates} jobs)`,
        queryRounds,
        queries,
        'queries',
      ),
    ];
    for (const [name, perRound] of latencyRounds) {
      const all = perRound.flat();
      rows.push({
        section: 'server',
        case: 'update answered → jobUpdate at subscriber',
        contender: name,
        ...summarizeLatencies(all),
        note: `${all.length} sequential updates, SDK subscription`,
      });
    }
    const details = {
      createMsPerRound: Object.fromEntries(
        [...createRounds].map(([name, runs]) => [name, runs.map((run) => run.elapsedMs)]),
      ),
      queryMsPerRound: Object.fromEntries(
        [...queryRounds].map(([name, runs]) => [name, runs.map((run) => run.elapsedMs)]),
      ),
      updateToEventMs: Object.fromEntries(latencyRounds),
    };
    return { rows, details, skipped };
  } finally {
    for (const backend of backends) {
      backend.requester.close();
      await backend.server.close();
      await backend.cleanUp();
    }
  }
}
