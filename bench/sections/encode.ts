// Request encoding: encodePatchBody turning large nested service fields into `$set` keys, against
// JSON.stringify of the same update (what sending it unencoded would cost).
import { encodePatchBody } from '../../src/wire';
import { countLeaves, largeUpdate } from '../lib/fixtures';
import { collectGarbage, heapOf } from '../lib/heap';
import { calibrate, interleave, msPerCall } from '../lib/measure';
import type { BenchOptions } from '../lib/options';
import type { Row, SectionResult } from '../lib/report';
import { median } from '../lib/stats';

const BATCH_MS = 40;
const WARMUP_ROUNDS = 2;
const PATCH = { serviceFieldKeys: 'snake_case', isPatch: true } as const;

async function measureSize(
  leaves: number,
  rounds: number,
): Promise<{ rows: Row[]; details: Record<string, unknown> }> {
  const update = largeUpdate(leaves);
  const actualLeaves = countLeaves(update.serviceFields);
  const keys = Object.keys(encodePatchBody(update, PATCH)).length;
  const contenders = [
    { name: 'JSON.stringify', operation: () => JSON.stringify(update) },
    { name: 'encodePatchBody', operation: () => encodePatchBody(update, PATCH) },
    {
      name: 'encode+stringify',
      operation: () => JSON.stringify(encodePatchBody(update, PATCH)),
    },
  ];
  const iterations = new Map(
    contenders.map(({ name, operation }) => [name, calibrate(operation, BATCH_MS)]),
  );
  const byName = await interleave(
    contenders.map(({ name, operation }) => ({
      name,
      run: () => {
        // Each sample starts from a collected heap: garbage left by the previous contender would
        // otherwise be collected on this one's time.
        collectGarbage();
        operation(); // after a full collection, one untimed call settles the caches again
        return msPerCall(iterations.get(name) ?? 1, operation);
      },
    })),
    rounds,
    WARMUP_ROUNDS,
  );
  const baseline = byName.get('JSON.stringify') ?? [];
  const heap = Object.fromEntries(
    contenders.map(({ name, operation }) => [name, heapOf(operation)]),
  );
  const rows: Row[] = [];
  for (const [name, perRound] of byName) {
    const ms = median(perRound);
    rows.push({
      section: 'encode',
      case: `patch, ${actualLeaves.toLocaleString('en-US')} leaves`,
      contender: name,
      medianMs: ms,
      ...(name === 'JSON.stringify'
        ? {}
        : {
            ratio: median(perRound.map((value, index) => value / (baseline[index] ?? Number.NaN))),
            ratioOf: 'time/JSON.stringify',
          }),
      heapBytes: heap[name]?.growthBytes,
      note: `${keys} $set keys`,
    });
  }
  return {
    rows,
    details: { leaves: actualLeaves, keys, msPerRound: Object.fromEntries(byName), heap },
  };
}

/** Encoding patches of 1 000 and 10 000 leaves. */
export async function runEncodeSection(options: BenchOptions): Promise<SectionResult> {
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  for (const leaves of [1000, 10_000]) {
    const result = await measureSize(leaves, options.rounds);
    rows.push(...result.rows);
    details[String(leaves)] = result.details;
  }
  return { rows, details };
}
