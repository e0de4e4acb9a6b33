// Heap figures need a forced collection before and after, so `gc` is switched on from inside the
// process: `npm run bench` runs plain `tsx`, without `--expose-gc` on the command line.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = () => void;

function exposeGc(): Collect | undefined {
  const existing = (globalThis as { gc?: Collect }).gc;
  if (typeof existing === 'function') return existing;
  try {
    setFlagsFromString('--expose-gc');
    // A fresh context is created after the flag is set, so it has `gc` even though this one does not.
    const collect: unknown = runInNewContext('gc');
    return typeof collect === 'function' ? (collect as Collect) : undefined;
  } catch {
    return undefined;
  }
}

const collect = exposeGc();

/** Whether heap figures are exact (a full collection can be forced) or rough. */
export const heapMethod = collect ? 'forced gc' : 'memoryUsage deltas without gc (rough)';

/** Collects garbage (twice: finalisers can free more) when the process allows it. */
export function collectGarbage(): void {
  collect?.();
  collect?.();
}

/** What an operation did to the heap, in bytes. */
export interface HeapFigures {
  /**
   * Heap used right after the operation minus before it, without collecting in between: the
   * peak, unless a collection ran during the operation (then a lower bound of it).
   */
  growthBytes: number;
  /** What stays allocated once garbage is collected while the result is still held. */
  retainedBytes: number;
}

/** Runs `operation` once between collections and reports its heap growth and what its result retains. */
export function heapOf(operation: () => unknown): HeapFigures {
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const result = operation();
  const growthBytes = process.memoryUsage().heapUsed - before;
  collectGarbage();
  const retainedBytes = process.memoryUsage().heapUsed - before;
  // Read after the measurement, so the result is still alive when the retained size is taken.
  if (result === Symbol.for('never')) throw new Error('unreachable');
  return { growthBytes, retainedBytes };
}
