import type { SafeErrorInfo } from '../internal/redact';
import { ERROR_BRAND, hasErrorKind, kindsOfClass } from './brand';

/** Options shared by every SDK error. */
export interface JobStatusErrorOptions {
  /** Machine-readable code; defaults to the class's own. */
  code?: string;
  /**
   * What caused the error, reduced to safe fields. Never an axios error, request or headers
   * object: those carry credentials.
   */
  cause?: SafeErrorInfo;
}

/** The safe fields an error exposes to `JSON.stringify` (and so to most loggers). */
export interface JobStatusErrorJSON {
  name: string;
  code: string;
  message: string;
  [field: string]: unknown;
}

/**
 * The base of every error the SDK throws. Test with {@link isJobStatusError} or
 * `JobStatusError.is(err)` rather than `instanceof`, which fails across two copies of the SDK.
 *
 * Subclasses keep only safe values in their enumerable fields (what `JSON.stringify` and
 * `util.inspect` show); anything else (a caller's job) is stored non-enumerable.
 *
 * @example
 * try { await client.getJob(id) } catch (err) { if (NotFoundError.is(err)) return undefined; throw err }
 */
export class JobStatusError extends Error {
  /** The brand name of this class; a string literal so that minification cannot change it. */
  static readonly kind: string = 'JobStatusError';

  /** The class's `kind` (a caller's subclass without one takes its parent's). */
  declare readonly name: string;
  /** Machine-readable code, stable across versions (`not_found`, `timeout`, ...). */
  declare readonly code: string;
  declare readonly cause?: SafeErrorInfo;
  declare readonly [ERROR_BRAND]: readonly string[];

  constructor(message: string, options: JobStatusErrorOptions = {}) {
    super(message, options.cause && { cause: { ...options.cause } });
    this.name = (new.target as typeof JobStatusError).kind;
    this.code = options.code ?? 'job_status_error';
    // Not enumerable: `util.inspect` and spreads stay readable; the guards still find it.
    Object.defineProperty(this, ERROR_BRAND, { value: Object.freeze(kindsOfClass(new.target)) });
  }

  /**
   * True when `value` is an error of this class or a subclass, from this or any other copy of the
   * SDK. Called on a subclass (`NotFoundError.is(err)`) it checks that subclass.
   */
  static is<T extends JobStatusError>(
    this: { readonly kind: string; readonly prototype: T },
    value: unknown,
  ): value is T {
    return hasErrorKind(value, this.kind);
  }

  /** The safe fields only (name, code, message, cause, the subclass's fields): what `JSON.stringify(err)` shows. */
  toJSON(): JobStatusErrorJSON {
    const json = { ...(this as object), message: this.message } as JobStatusErrorJSON;
    if (this.cause !== undefined) json.cause = { ...this.cause };
    return json;
  }
}

/** True when `value` is any error thrown by the SDK, from this or any other copy of it. */
export function isJobStatusError(value: unknown): value is JobStatusError {
  return hasErrorKind(value, JobStatusError.kind);
}
