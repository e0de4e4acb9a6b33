import * as z from 'zod/mini';
import type { CallOptions } from '../internal/transport-types';
import type { AssertTrue, IsSameType } from './issues';

function isAbortSignal(value: unknown): value is AbortSignal {
  // Duck-typed: a signal from another realm (an iframe, a polyfill) is not an AbortSignal instance.
  return (
    typeof (value as AbortSignal | null)?.aborted === 'boolean' &&
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

type _CallOptionsAreTheSchemaInput = AssertTrue<
  IsSameType<CallOptions, z.input<typeof callOptionsSchema>>
>;

/** Keeps only the call options of an options object that may carry others too. */
export function pickCallOptions(options: CallOptions | undefined): CallOptions {
  const picked: Record<string, unknown> = {};
  for (const key in callOptionsSchema.def.shape) {
    const value = options?.[key as keyof CallOptions];
    if (value !== undefined) picked[key] = value;
  }
  return picked;
}
