import type { CallOptions } from '../internal/transport-types';
import type { Job, JobFilter, JobPage, ListJobsOptions } from '../schemas';
import type { JobEvent } from './events';
import type { SubscribeOptions } from './options';

/** Where a connection loop delivers to its subscription. */
export interface StreamSink {
  emit(event: JobEvent): void;
  /** The id (stamp) of the last event received, sent as `Last-Event-ID` when reconnecting. */
  lastEventId?: string;
}

/**
 * What the follow helpers need from a client. `JobStatusClient` builds one in its constructor;
 * tests build one by hand.
 */
export interface FollowContext {
  /** The service's base URL, ending with `/`, e.g. `http://host:8080/jss/`. */
  baseURL: string;
  /** The headers of every request: `X-User-Id`, `Authorization` (token resolved), extra headers. */
  headers: () => Promise<Record<string, string>>;
  /** The fetch used for event streams (injected, or `globalThis.fetch`); none means polling. */
  fetch: typeof fetch | undefined;
  /** Validates one wire job and maps it; throws `ResponseValidationError` when it is malformed. */
  decodeJob: (wire: unknown) => Job;
  /** Reads one job (`GET 1.0/job/{jobId}`). */
  getJob: (jobId: string, options?: CallOptions) => Promise<Job>;
  /** Reads one page of matching jobs (`POST 1.0/job/query`). */
  listJobs: (filter: JobFilter, options?: ListJobsOptions & CallOptions) => Promise<JobPage>;
  /**
   * Where reconnects and ignored events are reported: the client's logger behind its `logLevel`,
   * redacted and never throwing, as the transport writes its own lines.
   */
  log: (severity: 'debug' | 'info' | 'warn' | 'error', line: string) => void;
  /**
   * Runs one subscription's connection until it ends: `followStream` (./stream), which the
   * client loads with the rest of the follow code on first use.
   */
  connect: (
    ctx: FollowContext,
    path: string,
    options: SubscribeOptions,
    signal: AbortSignal,
    sink: StreamSink,
  ) => Promise<void>;
}
