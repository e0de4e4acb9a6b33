import type { CallOptions, TransportRequest, TransportResponse } from '../internal/transport-types';
import type { Job, LogOptions } from '../schemas';
import type { WireOptions } from '../wire';

/**
 * What the work-queue calls and the job processor need from a client. `JobStatusClient` builds
 * one on first use; tests build one by hand.
 */
export interface WorkerContext {
  /** The worker id used when a call names none. */
  workerId: string;
  wire: WireOptions;
  /** Sends through the client's transport (retries, timeouts, redaction, errors). */
  send: (request: TransportRequest, options?: CallOptions) => Promise<TransportResponse>;
  reportProgress: (jobId: string, completed: number, total: number) => Promise<Job>;
  log: (jobId: string, message: string, options?: LogOptions) => Promise<Job>;
}
