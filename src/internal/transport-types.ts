// The contract between the resources (client.ts, follow/) and the transport
// (internal/transport.ts, the only module that imports axios).

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/**
 * The headers of a request as axios is given them. `false` makes axios send no such header at all
 * (it would add a form Content-Type to a bodyless POST).
 */
export type RequestHeaders = Record<string, string | false>;

/** Per-call options every public method accepts. */
export interface CallOptions {
  /** Cancels the call, including a backoff sleep between attempts. */
  signal?: AbortSignal;
  /** Milliseconds for each attempt. */
  timeout?: number;
  /** Milliseconds for the whole call, retries and backoff included. */
  deadline?: number;
  /** Retries after the first attempt. */
  maxRetries?: number;
}

export interface TransportRequest extends CallOptions {
  method: HttpMethod;
  /** Relative to the base URL (which ends in `/jss/`), every dynamic segment already encoded. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /**
   * Whether repeating the request cannot change the outcome (GET, query, `$set` patches, or a
   * write that carries an idempotency key / client-fixed job id). Only such requests are retried.
   */
  idempotent: boolean;
  /** Sent as `Idempotency-Key`; fixed by the caller before the first attempt. */
  idempotencyKey?: string;
}

export interface TransportResponse {
  status: number;
  /** The parsed JSON body. */
  data: unknown;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  requestId: string | undefined;
}

export interface Transport {
  /** Sends with retries; resolves on 2xx, rejects with a JobStatusError subclass otherwise. */
  request(req: TransportRequest): Promise<TransportResponse>;
}

// Observability: what the transport reports about each attempt. Added for the hooks and the
// logger of the client options; every field is already redacted.

/** An error reduced to fields that are safe to log (credentials scrubbed). */
export interface SafeErrorSummary {
  name: string;
  code?: string;
  message: string;
}

/** Reported to `hooks.onAttempt` after every attempt, successful or not. */
export interface AttemptInfo {
  method: HttpMethod;
  /** Relative to the base URL, without the query string. */
  path: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** The HTTP status, when an answer arrived. */
  status?: number;
  /** What went wrong, when the attempt failed. */
  error?: SafeErrorSummary;
  durationMs: number;
}

/** Reported to `hooks.onRetry` before the sleep that precedes a retry. */
export interface RetryInfo {
  method: HttpMethod;
  path: string;
  /** The attempt that failed (1 for the first). */
  attempt: number;
  /** How long the transport sleeps before the next attempt. */
  delayMs: number;
  /** Why: `HTTP 503 injected_fault`, `ConnectionError connection_error`, `TimeoutError timeout`. */
  reason: string;
}

/** Callbacks for metrics and tracing. A hook that throws is ignored (and logged). */
export interface TransportHooks {
  onAttempt?: (info: AttemptInfo) => void;
  onRetry?: (info: RetryInfo) => void;
}

/** Anything with console's four methods (`console` itself, pino, winston, ...). */
export interface Logger {
  debug(message: string, ...rest: unknown[]): void;
  info(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  error(message: string, ...rest: unknown[]): void;
}

/** The least severe level that is logged; `silent` logs nothing. */
export type LoggerLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
