// Times synchronous operations side by side: the harness the decode and encode sections share.
import { collectGarbage, heapOf, type HeapFigures } from './heap';
import { calibrate, interleave, msPerCall } from './measure';

/** One synchronous operation to time, under the name its row gets. */
export interface Operation {
  name: string;
  operation: () => unknown;
}

const BATCH_MS = 40;
const WARMUP_ROUNDS = 2;

/**
 * Runs every operation in interleaved rounds (batches calibrated to about 40 ms each), returning
 * each one's milliseconds per call per round, and each one's heap figures.
 */
export async function timeOperations(
  operations: Operation[],
  rounds: number,
): Promise<{ byName: Map<string, number[]>; heap: Record<string, HeapFigures> }> {
  const iterations = new Map(
    operations.map(({ name, operation }) => [name, calibrate(operation, BATCH_MS)]),
  );
  const byName = await interleave(
    operations.map(({ name, operation }) => ({
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
  const heap = Object.fromEntries(
    operations.map(({ name, operation }) => [name, heapOf(operation)]),
  );
  return { byName, heap };
}
