// Per-call overhead: the SDK's getJob against raw axios (request + its JSON.parse) and the
// platform fetch, all fetching the same canned envelope from a local node:http server.
import axios from 'axios';
import { JobStatusClient } from 'job-status-client';
import { createTransport } from '../../src/internal/transport';
import { normalizeClientOptions } from '../../src/options';
import { jobsEnvelope, wireJob } from '../lib/fixtures';
import { startCannedServer } from '../lib/canned-server';
import { runCalls, type CallRun } from '../lib/load';
import { interleave, type Contender } from '../lib/measure';
import type { BenchOptions } from '../lib/options';
import type { Row, SectionResult } from '../lib/report';
import { medianRound, pairedRatio, summarizeLatencies } from '../lib/stats';

const USER = 'bench';
// The canned answer is job 0 of the fixtures; every contender asks for it by its id.
const JOB_ID = String(wireJob(0).job_id);
const CONCURRENCY = 32;
const WARMUP_ROUNDS = 2;
const BASELINE = 'axios';
// axios with the SDK's default per-attempt timeout: the request the SDK makes, without the SDK.
// Its ratio separates what a timeout costs axios from what the SDK's own code costs.
const SAME_TIMEOUT = 'axios+timeout';
const SDK_DEFAULT_TIMEOUT_MS = 30_000;

type CallOnce = () => Promise<unknown>;

/** Fails loudly if a contender does not get the job: a fast wrong answer is no figure. */
function checkJobId(jobId: unknown): void {
  if (jobId !== JOB_ID) throw new Error(`expected job ${JOB_ID}, received ${String(jobId)}`);
}

function contenders(baseURL: string): { name: string; call: CallOnce }[] {
  const client = new JobStatusClient({ baseURL, user: USER });
  // The SDK's transport alone (retries, timeout, headers, parsing, status mapping), without
  // validating and mapping the job: it splits the SDK's cost between sending and decoding.
  const transport = createTransport(normalizeClientOptions({ baseURL, user: USER }).transport);
  const http = axios.create();
  const httpWithTimeout = axios.create({ timeout: SDK_DEFAULT_TIMEOUT_MS });
  const url = `${baseURL}1.0/job/${JOB_ID}`;
  const headers = { Accept: 'application/json', 'X-User-Id': USER };
  type Envelope = { data: { job_id: string }[] };
  return [
    {
      name: 'SDK',
      call: async () => checkJobId((await client.getJob(JOB_ID)).jobId),
    },
    {
      name: 'SDK transport',
      call: async () => {
        const { data } = await transport.request({
          method: 'GET',
          path: `1.0/job/${JOB_ID}`,
          idempotent: true,
        });
        checkJobId((data as Envelope).data[0]?.job_id);
      },
    },
    {
      // axios's default response transform is its JSON.parse.
      name: 'axios',
      call: async () =>
        checkJobId((await http.get<Envelope>(url, { headers })).data.data[0]?.job_id),
    },
    {
      name: SAME_TIMEOUT,
      call: async () =>
        checkJobId((await httpWithTimeout.get<Envelope>(url, { headers })).data.data[0]?.job_id),
    },
    {
      name: 'fetch',
      call: async () => {
        const response = await fetch(url, { headers });
        checkJobId(((await response.json()) as Envelope).data[0]?.job_id);
      },
    },
  ];
}

/** Each round's median latency of `name` over `against`'s in the same round; their median. */
function latencyRatio(rounds: Map<string, CallRun[]>, name: string, against: string): number {
  const medians = (runs: CallRun[] = []) =>
    runs.map((run) => summarizeLatencies(run.latenciesMs).medianMs);
  return pairedRatio(medians(rounds.get(name)), medians(rounds.get(against)));
}

function rowsOf(label: string, rounds: Map<string, CallRun[]>, count: number, note: string): Row[] {
  const rows: Row[] = [];
  for (const [name, runs] of rounds) {
    const summaries = runs.map((run) => ({
      ...summarizeLatencies(run.latenciesMs),
      perSecond: (count / run.elapsedMs) * 1000,
    }));
    const typical = medianRound(summaries, (summary) => summary.perSecond);
    const sameTimeout =
      name === 'SDK'
        ? `; ${latencyRatio(rounds, name, SAME_TIMEOUT).toFixed(2)}x SDK/${SAME_TIMEOUT}`
        : '';
    rows.push({
      section: 'calls',
      case: label,
      contender: name,
      medianMs: typical.medianMs,
      p99Ms: typical.p99Ms,
      perSecond: typical.perSecond,
      ...(name === BASELINE
        ? {}
        : { ratio: latencyRatio(rounds, name, BASELINE), ratioOf: `${name}/${BASELINE} median` }),
      note: note + sameTimeout,
    });
  }
  return rows;
}

/** Runs the per-call measurements (sequential, then concurrency 32). */
export async function runCallsSection(options: BenchOptions): Promise<SectionResult> {
  const server = await startCannedServer(jobsEnvelope(1));
  try {
    const list = contenders(server.baseURL);
    const rows: Row[] = [];
    const details: Record<string, unknown> = {};
    for (const concurrency of [1, CONCURRENCY]) {
      const runners: Contender<CallRun>[] = list.map(({ name, call }) => ({
        name,
        run: () => runCalls(options.calls, concurrency, call),
      }));
      const rounds = await interleave(runners, options.rounds, WARMUP_ROUNDS);
      const label = concurrency === 1 ? 'getJob, sequential' : `getJob, concurrency ${concurrency}`;
      rows.push(...rowsOf(label, rounds, options.calls, `${options.calls} calls/round`));
      details[label] = Object.fromEntries(
        [...rounds].map(([name, runs]) => [
          name,
          runs.map((run) => ({
            ...summarizeLatencies(run.latenciesMs),
            elapsedMs: run.elapsedMs,
          })),
        ]),
      );
    }
    details.requestsServed = server.requests;
    return { rows, details };
  } finally {
    await server.close();
  }
}
