// When to retry and how long to wait. The transport retries only requests marked idempotent, and
// only for failures that a later attempt may not meet again: no answer, a timeout of one attempt,
// 408, 429 and 5xx. Every other 4xx is final: the same request would be refused again.

import type { JobStatusError } from '../errors';
import { ApiError, ConnectionError, TimeoutError } from '../errors';

/** Bounds of the exponential backoff, in milliseconds. */
export interface RetryDelayRange {
  /** The bound of the first retry's delay; each later retry doubles it. */
  initialMs: number;
  /** No bound exceeds this. */
  maxMs: number;
}

/** What {@link retryDelay} needs from the transport options. */
export interface RetryDelayPolicy {
  retryDelay: RetryDelayRange;
  /** `Retry-After` is honoured up to this many milliseconds. */
  maxRetryAfterMs: number;
  random?: () => number;
}

/**
 * The backoff before retry number `retry` (1-based), with full jitter: a uniformly random delay in
 * `[0, min(maxMs, initialMs * 2^(retry - 1)))`, so clients that failed together do not retry
 * together.
 */
export function backoffDelay(
  retry: number,
  range: RetryDelayRange,
  random: () => number = Math.random,
): number {
  const bound = Math.min(range.maxMs, range.initialMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(Math.min(Math.max(random(), 0), 1) * bound);
}

/** 408, 429 and every 5xx: the server may answer differently a little later. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** True for the failures worth another attempt (for an idempotent request). */
export function isRetryableError(error: unknown): boolean {
  if (ApiError.is(error)) return isRetryableStatus(error.status);
  if (ConnectionError.is(error)) return true;
  // The deadline covers the whole call: once it has passed, no attempt can succeed in time.
  if (TimeoutError.is(error)) return error.scope === 'attempt';
  return false;
}

/**
 * The delay before retry number `retry`: the server's `Retry-After` (capped at
 * `maxRetryAfterMs`) when it sent one, else the jittered backoff.
 */
export function retryDelay(error: unknown, retry: number, policy: RetryDelayPolicy): number {
  if (ApiError.is(error) && error.retryAfterMs !== undefined) {
    return Math.min(error.retryAfterMs, policy.maxRetryAfterMs);
  }
  return backoffDelay(retry, policy.retryDelay, policy.random);
}

/** A short reason for logs and `onRetry`: `HTTP 503 injected_fault`, `ConnectionError connection_error`. */
export function retryReason(error: JobStatusError): string {
  return ApiError.is(error) ? `HTTP ${error.status} ${error.code}` : `${error.name} ${error.code}`;
}
