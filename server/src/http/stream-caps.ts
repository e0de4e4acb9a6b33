import { ApiError, retryAfter } from './api-error';

/** How many event streams may be open: per owner (see `streamOwner`) and in all. */
export interface StreamCapOptions {
  perClient: number;
  total: number;
  retryAfterSeconds: number;
}

/**
 * Counts the open event streams of one server. `open` either hands out a release function (call
 * it once, when the stream ends) or refuses: 429 when the owner has its share open, 503 when the
 * server has all it takes. Both carry `Retry-After`: a stream that ends frees its slot.
 */
export class StreamCaps {
  private readonly byOwner = new Map<string, number>();
  private open_ = 0;

  constructor(private readonly options: StreamCapOptions) {}

  /** Open streams in all. */
  get open(): number {
    return this.open_;
  }

  /** @throws ApiError 429 or 503 `too_many_streams` */
  acquire(owner: string): () => void {
    const { perClient, total, retryAfterSeconds } = this.options;
    if (this.open_ >= total) {
      throw new ApiError(
        503,
        'too_many_streams',
        `The server has ${total} event streams open, its limit (sseStreamsTotal); try again later`,
        retryAfter(retryAfterSeconds),
      );
    }
    const owned = this.byOwner.get(owner) ?? 0;
    if (owned >= perClient) {
      throw new ApiError(
        429,
        'too_many_streams',
        `This client has ${perClient} event streams open, the limit per client (sseStreamsPerClient); close one first`,
        retryAfter(retryAfterSeconds),
      );
    }
    this.byOwner.set(owner, owned + 1);
    this.open_++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.open_--;
      const left = (this.byOwner.get(owner) ?? 1) - 1;
      if (left === 0) this.byOwner.delete(owner);
      else this.byOwner.set(owner, left);
    };
  }
}
