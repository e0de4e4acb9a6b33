import type { CallOptions } from '../internal/transport-types';
import type { Job, JobFilter, JobPage, ListJobsOptions } from '../schemas';

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
}
