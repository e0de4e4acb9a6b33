// Response decoding: what the SDK does to a parsed answer (validation, key conversion,
// expansion of index-keyed arrays, `(dot)` unescaping, dates) through the same function getJobs
// uses, against JSON.parse alone of the same bytes. Node validates with the compiled schemas (as
// every client there does once created); browsers with zod's interpreter, on the largest answer.
import { compileResponseSchemas, decodeJobList, uncompileResponseSchemas } from '../../src/decode';
import type { WireOptions } from '../../src/wire';
import { jobsEnvelope } from '../lib/fixtures';
import { timeOperations, type Operation } from '../lib/operations';
import type { BenchOptions } from '../lib/options';
import type { Row, SectionResult } from '../lib/report';
import { median, pairedRatio } from '../lib/stats';

const WIRE: WireOptions = { serviceFieldKeys: 'snake_case' };
const CONTEXT = { method: 'POST', path: '1.0/job/query', status: 200 };

/** Times one answer size; returns its rows and per-round figures. */
async function measureSize(
  jobs: number,
  rounds: number,
  validator: string,
): Promise<{ rows: Row[]; details: Record<string, unknown> }> {
  const text = JSON.stringify(jobsEnvelope(jobs));
  const parsed: unknown = JSON.parse(text);
  const decoded = decodeJobList(parsed, WIRE, CONTEXT);
  if (decoded.length !== jobs) throw new Error(`decoded ${decoded.length} of ${jobs} jobs`);

  const contenders: Operation[] = [
    { name: 'JSON.parse', operation: () => JSON.parse(text) },
    // The decoder never changes its input, so one parsed body serves every call.
    { name: 'SDK decode', operation: () => decodeJobList(parsed, WIRE, CONTEXT) },
    {
      name: 'SDK parse+decode',
      operation: () => decodeJobList(JSON.parse(text), WIRE, CONTEXT),
    },
  ];
  const { byName, heap } = await timeOperations(contenders, rounds);
  const parseMs = byName.get('JSON.parse') ?? [];

  const label = `${jobs.toLocaleString('en-US')} job${jobs === 1 ? '' : 's'} (${(text.length / 1024).toFixed(0)} KiB), ${validator}`;
  const rows: Row[] = [];
  for (const [name, perRound] of byName) {
    const ms = median(perRound);
    rows.push({
      section: 'decode',
      case: label,
      contender: name,
      medianMs: ms,
      perSecond: (jobs / ms) * 1000,
      ...(name === 'JSON.parse'
        ? {}
        : { ratio: pairedRatio(perRound, parseMs), ratioOf: 'time/JSON.parse' }),
      heapBytes: heap[name]?.growthBytes,
      note: `${((ms / jobs) * 1000).toFixed(1)} µs/job`,
    });
  }
  const details = {
    bytes: Buffer.byteLength(text),
    msPerRound: Object.fromEntries(byName),
    heap,
  };
  return { rows, details };
}

/** Decoding 1, 100, 1 000 and 10 000 jobs (quick: up to 1 000). */
export async function runDecodeSection(options: BenchOptions): Promise<SectionResult> {
  const sizes = options.quick ? [1, 100, 1000] : [1, 100, 1000, 10_000];
  const largest = sizes[sizes.length - 1] ?? 1;
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  // The calls section's client has compiled the schemas.
  await uncompileResponseSchemas();
  const interpreted = await measureSize(largest, options.rounds, 'interpreter');
  rows.push(...interpreted.rows);
  details[`${largest} interpreter`] = interpreted.details;
  if (!(await compileResponseSchemas())) throw new Error('the response schemas did not compile');
  for (const jobs of sizes) {
    const result = await measureSize(jobs, options.rounds, 'compiled');
    rows.push(...result.rows);
    details[`${jobs} compiled`] = result.details;
  }
  return { rows, details };
}
