import { IDEMPOTENCY_KEY_LIFETIME_MS } from '#protocol/headers';
import type { Store } from './store';

/** How often a store forgets expired idempotency keys, at most. */
export const KEY_SWEEP_INTERVAL_MS = 10_000;

/** Keys forgotten per sweep: a short statement, however many have expired. */
const KEY_SWEEP_BATCH = 1000;

/**
 * Forgets expired idempotency keys in a statement of its own, after a keyed write has committed
 * and at most once per interval: inside the write's transaction it would cost every write a round
 * trip. No timer, so an idle server holds nothing open; SKIP LOCKED keeps two instances' sweeps
 * from queueing on the same rows.
 */
export class KeySweeper {
  /** Where a failed sweep is reported (the server's error log); the write it followed succeeded. */
  onError: (error: unknown) => void = () => {};
  private lastSweep = Number.NEGATIVE_INFINITY;
  private sweeping: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  /** Called after each keyed write: starts a sweep when the interval has passed. */
  afterWrite(): void {
    const now = this.now();
    if (this.sweeping || now - this.lastSweep < KEY_SWEEP_INTERVAL_MS) return;
    this.lastSweep = now;
    this.sweeping = this.sweep().finally(() => {
      this.sweeping = undefined;
    });
  }

  /** Resolves once a running sweep has ended (tests, shutdown). */
  async idle(): Promise<void> {
    await this.sweeping;
  }

  private async sweep(): Promise<void> {
    try {
      await this.store.db.query(
        `DELETE FROM idempotency_keys WHERE ctid = ANY(ARRAY(
           SELECT ctid FROM idempotency_keys
           WHERE created < now() - $1::bigint * interval '1 millisecond'
           LIMIT $2 FOR UPDATE SKIP LOCKED))`,
        [IDEMPOTENCY_KEY_LIFETIME_MS, KEY_SWEEP_BATCH],
      );
    } catch (error) {
      this.onError(error);
    }
  }
}

const sweepers = new WeakMap<Store, KeySweeper>();

/** The key sweeper of a store: one per store object, shared by every server that uses it. */
export function sweeperOf(store: Store): KeySweeper {
  let sweeper = sweepers.get(store);
  if (!sweeper) {
    sweeper = new KeySweeper(store);
    sweepers.set(store, sweeper);
  }
  return sweeper;
}
