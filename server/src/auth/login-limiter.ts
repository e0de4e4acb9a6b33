import { ApiError, retryAfter } from '../http/api-error';

/** How many failed logins `POST 1.0/login` takes before it refuses, and for how long. */
export interface LoginLimitOptions {
  /** Failed logins for one user name in a window; the next login for that name is 429. */
  perUser: number;
  /** Failed logins from one client address in a window, whichever names they tried. */
  perAddress: number;
  /** Milliseconds a window lasts, from the first failure it counts. */
  windowMs: number;
  /** User names and addresses counted at once; past it the oldest count is forgotten. */
  maxTracked: number;
}

interface Failures {
  count: number;
  /** When the window ends (epoch milliseconds); the count is forgotten then. */
  until: number;
}

/**
 * Counts failed logins per user name and per client address, in this server's memory, so that
 * passwords cannot be guessed faster than `perUser` a window per name nor `perAddress` from one
 * address. A refused login is refused before its password is checked: it costs the server no
 * scrypt, and tells nothing of the password. The map holds at most `maxTracked` counts, so a
 * flood of names cannot grow it without bound.
 */
export class LoginLimiter {
  readonly #failures = new Map<string, Failures>();

  constructor(
    private readonly options: LoginLimitOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** @throws ApiError 429 `too_many_logins` with `Retry-After` while a count is spent */
  check(user: string, address: string | undefined): void {
    const waitMs = Math.max(
      this.#waitMs(`user:${user}`, this.options.perUser),
      address === undefined ? 0 : this.#waitMs(`address:${address}`, this.options.perAddress),
    );
    if (waitMs <= 0) return;
    const seconds = Math.ceil(waitMs / 1000);
    throw new ApiError(
      429,
      'too_many_logins',
      `Too many failed logins for this user name or from this client (loginFailuresPerUser, loginFailuresPerAddress); try again in ${seconds} s`,
      retryAfter(seconds),
    );
  }

  failed(user: string, address: string | undefined): void {
    this.#count(`user:${user}`);
    if (address !== undefined) this.#count(`address:${address}`);
  }

  /**
   * Forgets the user name's failures. The address keeps its own: logging in to an account of
   * one's own must not buy more guesses at others' from the same address.
   */
  succeeded(user: string): void {
    this.#failures.delete(`user:${user}`);
  }

  /** How many user names and addresses are counted now. */
  get size(): number {
    return this.#failures.size;
  }

  #current(key: string): Failures | undefined {
    const failures = this.#failures.get(key);
    if (failures === undefined || failures.until > this.now()) return failures;
    this.#failures.delete(key);
    return undefined;
  }

  #waitMs(key: string, max: number): number {
    const failures = this.#current(key);
    return failures !== undefined && failures.count >= max ? failures.until - this.now() : 0;
  }

  #count(key: string): void {
    const failures = this.#current(key);
    if (failures !== undefined) {
      failures.count += 1;
      return;
    }
    // A Map iterates in insertion order, and a count is inserted when its window starts: the
    // first key is the count whose window ends soonest.
    if (this.#failures.size >= this.options.maxTracked) {
      const oldest = this.#failures.keys().next();
      if (!oldest.done) this.#failures.delete(oldest.value);
    }
    this.#failures.set(key, { count: 1, until: this.now() + this.options.windowMs });
  }
}
