// Per-call overhead: the SDK's getJob against raw axios (request + its JSON.parse) and the
// platform fetch, all fetching the same canned envelope from a local node:http server.
//
// Contenders take turns in slices of a few hundred calls within each round, rather than a round
// each: the shared machine's speed drifts within seconds, and in a round of 3 000 calls per
// contender that drift alone moved the ratios by several percent from run to run.
import axios from 'axios';
import { JobStatusClient } from 'job-status-client';
import { createTransport } from '../../src/internal/transport';
import { normalizeClientOptions } from '../../src/options';
import { USER_AGENT } from '../../src/internal/version';
import { jobsEnvelope, wireJob } from '../lib/fixtures';
import { startCannedServer } from '../lib/canned-server';
import { runCalls, type CallRun } from '../lib/load';
import { interleave } from '../lib/measure';
import type { BenchOptions } from '../lib/options';
import type { Row, SectionResult } from '../lib/report';
import { medianRound, pairedRatio, summarizeLatencies } from '../lib/stats';

const USER = 'bench';
// The canned answer is job 0 of the fixtures; every contender asks for it by its id.
const JOB_ID = String(wireJob(0).job_id);
const CONCURRENCY = 32;
const WARMUP_ROUNDS = 2;
/** Calls per contender in one turn: long enough to amortise a turn, short against the drift. */
const SLICE_CALLS = 250;
const BASELINE = 'axios';
// axios with the SDK's default per-attempt timeout: the request the SDK makes, without the SDK.
// Its ratio separates what a timeout costs axios from what the SDK's own code costs.
const SAME_TIMEOUT = 'axios+timeout';
const SDK_DEFAULT_TIMEOUT_MS = 30_000;
// axios configured as the SDK's own instance is on Node, sending the SDK's headers: no
// follow-redirects wrapper (the SDK follows redirects itself), the 30 s timeout, the body as
// bytes with axios's transforms switched off, every status resolved; then the text parsed as
// JSON. Against it, the SDK's figure is what its own work costs on the same HTTP path: strict
// UTF-8, validation, mapping, retries, redaction and client code. This is the baseline.
const SAME_SETTINGS = 'axios, SDK settings';

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
  const keep = [(data: unknown) => data];
  const httpAsSdk = axios.create({
    maxRedirects: 0,
    timeout: SDK_DEFAULT_TIMEOUT_MS,
    responseType: 'arraybuffer',
    transformRequest: keep,
    transformResponse: keep,
    validateStatus: () => true,
    transitional: { clarifyTimeoutError: true },
  });
  const url = `${baseURL}1.0/job/${JOB_ID}`;
  const headers = { Accept: 'application/json', 'X-User-Id': USER };
  // The SDK's own headers: its User-Agent, and no Content-Type on a bodyless call.
  const sdkHeaders = { ...headers, 'User-Agent': USER_AGENT, 'Content-Type': false };
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
      name: SAME_SETTINGS,
      call: async () => {
        const { data } = await httpAsSdk.get<Buffer>(url, { headers: sdkHeaders });
        checkJobId((JSON.parse(data.toString()) as Envelope).data[0]?.job_id);
      },
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

function rowsOf(label: string, rounds: Map<string, CallRun[]>, note: string): Row[] {
  const rows: Row[] = [];
  for (const [name, runs] of rounds) {
    const summaries = runs.map((run) => ({
      ...summarizeLatencies(run.latenciesMs),
      perSecond: (run.latenciesMs.length / run.elapsedMs) * 1000,
    }));
    const typical = medianRound(summaries, (summary) => summary.perSecond);
    const against = (other: string) =>
      `; ${latencyRatio(rounds, name, other).toFixed(2)}x ${name}/${other}`;
    const sameTimeout = name === 'SDK' ? against(SAME_TIMEOUT) + against(SAME_SETTINGS) : '';
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

/**
 * One round: each contender makes `count` calls at `concurrency`, in turns of about `SLICE_CALLS`
 * calls (the order of the turns rotating), so that all of them meet the same spells of the machine.
 */
async function runRound(
  list: { name: string; call: CallOnce }[],
  count: number,
  concurrency: number,
): Promise<Map<string, CallRun>> {
  const turns = Math.max(1, Math.round(count / SLICE_CALLS));
  const callsPerTurn = Math.ceil(count / turns);
  const slices = await interleave(
    list.map(({ name, call }) => ({ name, run: () => runCalls(callsPerTurn, concurrency, call) })),
    turns,
    0,
  );
  return new Map(
    [...slices].map(([name, parts]) => [
      name,
      {
        latenciesMs: parts.flatMap((part) => part.latenciesMs),
        elapsedMs: parts.reduce((sum, part) => sum + part.elapsedMs, 0),
      },
    ]),
  );
}

/** Runs the per-call measurements (sequential, then concurrency 32). */
export async function runCallsSection(options: BenchOptions): Promise<SectionResult> {
  const server = await startCannedServer(jobsEnvelope(1));
  try {
    const list = contenders(server.baseURL);
    const rows: Row[] = [];
    const details: Record<string, unknown> = {};
    for (const concurrency of [1, CONCURRENCY]) {
      const rounds = new Map<string, CallRun[]>(list.map(({ name }) => [name, []]));
      for (let round = 0; round < WARMUP_ROUNDS + options.rounds; round++) {
        const runs = await runRound(list, options.calls, concurrency);
        if (round < WARMUP_ROUNDS) continue;
        for (const [name, run] of runs) rounds.get(name)?.push(run);
      }
      const label = concurrency === 1 ? 'getJob, sequential' : `getJob, concurrency ${concurrency}`;
      rows.push(...rowsOf(label, rounds, `${options.calls} calls/round`));
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
