import type { DecodeContext } from '../decode';
import type { CallOptions, TransportRequest } from '../internal/transport-types';
import type { WireOptions } from '../wire/options';

/** Turns an answer's body into what a call returns (see src/decode), or throws. */
export type Decoder<T> = (body: unknown, wire: WireOptions, context: DecodeContext) => T;

/**
 * What the lazily loaded calls (./write, ./auth) need from a client: its wire options and its one
 * request path, which checks the call options, sends through the transport and decodes.
 */
export interface CallContext {
  readonly wire: WireOptions;
  /**
   * Sends `request` with the call's `options` (`own` names the method's other options, which the
   * transport does not take) and decodes the answer with `decode`.
   */
  call<T>(
    request: TransportRequest,
    options: CallOptions | undefined,
    decode: Decoder<T>,
    own?: readonly string[],
  ): Promise<T>;
}

export const JOB_PATH = '1.0/job/';

/** `1.0/job/{jobId}{suffix}`, the id percent-encoded (legacy defect 6). */
export function jobPath(jobId: string, suffix = ''): string {
  return `${JOB_PATH}${encodeURIComponent(jobId)}${suffix}`;
}
