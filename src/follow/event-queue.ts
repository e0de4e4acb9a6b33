/**
 * An unbounded FIFO between a producer that must never wait (the network reader) and one async
 * iterator. Items wait here until the iterator reads them, so memory grows with the consumer's lag.
 */
export class EventQueue<T> implements AsyncIterableIterator<T> {
  private items: T[] = [];
  private head = 0;
  private waiter:
    { resolve(result: IteratorResult<T>): void; reject(error: unknown): void } | undefined;
  private finished = false;
  private failure: { error: unknown } | undefined;

  /** @param onReturn called when the consumer stops early (`break`, `return()`). */
  constructor(private readonly onReturn: () => void) {}

  /** Hands an item to the waiting reader, or keeps it for the next `next()`. */
  push(item: T): void {
    if (this.finished || this.failure) return;
    if (this.waiter) {
      const { resolve } = this.waiter;
      this.waiter = undefined;
      resolve({ value: item, done: false });
      return;
    }
    this.items.push(item);
  }

  /** Ends the iteration now: items not yet read (and a pending failure) are dropped. */
  end(): void {
    this.finished = true;
    this.failure = undefined;
    this.items = [];
    this.head = 0;
    this.settleWaiter();
  }

  /** Lets the reader drain what is queued, then throws `error`. */
  fail(error: unknown): void {
    if (this.finished || this.failure) return;
    this.failure = { error };
    this.settleWaiter();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.head < this.items.length) {
      const value = this.items[this.head] as T;
      this.head += 1;
      // Compact once drained so the array does not keep every item ever read.
      if (this.head === this.items.length) {
        this.items = [];
        this.head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.failure) {
      const { error } = this.failure;
      this.failure = undefined;
      this.finished = true;
      return Promise.reject(error);
    }
    if (this.finished) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.end();
    this.onReturn();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private settleWaiter(): void {
    const waiter = this.waiter;
    if (!waiter) return;
    this.waiter = undefined;
    if (this.failure) {
      const { error } = this.failure;
      this.failure = undefined;
      this.finished = true;
      waiter.reject(error);
    } else {
      waiter.resolve({ value: undefined, done: true });
    }
  }
}
