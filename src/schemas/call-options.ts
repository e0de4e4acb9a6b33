import * as z from 'zod/mini';
import type { CallOptions } from '../internal/transport-types';

function isAbortSignal(value: unknown): value is AbortSignal {
  // Duck-typed: a signal from another realm (an iframe, a polyfill) is not an AbortSignal instance.
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AbortSignal).aborted === 'boolean' &&
    typeof (value as AbortSignal).addEventListener === 'function'
  );
}

const milliseconds = z.number().check(z.gt(0));

/** The per-call options every method accepts as its last argument. */
export const callOptionsSchema = z.object({
  signal: z.optional(z.custom<AbortSignal>(isAbortSignal, { error: 'must be an AbortSignal' })),
  timeout: z.optional(milliseconds),
  deadline: z.optional(milliseconds),
  maxRetries: z.optional(z.int().check(z.gte(0))),
});

/** Keeps only the call options of an options object that may carry others too. */
export function pickCallOptions(options: CallOptions | undefined): CallOptions {
  if (options === undefined) return {};
  const picked: CallOptions = {};
  if (options.signal !== undefined) picked.signal = options.signal;
  if (options.timeout !== undefined) picked.timeout = options.timeout;
  if (options.deadline !== undefined) picked.deadline = options.deadline;
  if (options.maxRetries !== undefined) picked.maxRetries = options.maxRetries;
  return picked;
}
