// Request encoding: encodePatchBody turning large nested service fields into `$set` keys, against
// JSON.stringify of the same update (what sending it unencoded would cost).
import { encodePatchBody } from '../../src/wire';
import { countLeaves, largeUpdate } from '../lib/fixtures';
import { timeOperations, type Operation } from '../lib/operations';
import type { BenchOptions } from '../lib/options';
import type { Row, SectionResult } from '../lib/report';
import { median, pairedRatio } from '../lib/stats';

const PATCH = { serviceFieldKeys: 'snake_case', isPatch: true } as const;

async function measureSize(
  leaves: number,
  rounds: number,
): Promise<{ rows: Row[]; details: Record<string, unknown> }> {
  const update = largeUpdate(leaves);
  const actualLeaves = countLeaves(update.serviceFields);
  const keys = Object.keys(encodePatchBody(update, PATCH)).length;
  const contenders: Operation[] = [
    { name: 'JSON.stringify', operation: () => JSON.stringify(update) },
    { name: 'encodePatchBody', operation: () => encodePatchBody(update, PATCH) },
    {
      name: 'encode+stringify',
      operation: () => JSON.stringify(encodePatchBody(update, PATCH)),
    },
  ];
  const { byName, heap } = await timeOperations(contenders, rounds);
  const baseline = byName.get('JSON.stringify') ?? [];
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
            ratio: pairedRatio(perRound, baseline),
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
