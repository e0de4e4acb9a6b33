import * as z from 'zod/mini';
import type { IterateJobsOptions, SubscribeOptions, WaitForJobOptions } from '../follow/options';
import type { CallOptions } from '../internal/transport-types';
import {
  issueAt,
  throwIfIssues,
  unknownOptionRule,
  type AssertTrue,
  type IsSameType,
  type ValidationIssue,
} from './issues';
import type { LogOptions } from './log';
import type { JobChangesOptions, ListJobsOptions, ListQueueOptions } from './paging';

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

/** The names of the per-call options every method accepts. */
export const CALL_OPTION_NAMES: readonly string[] = Object.keys(callOptionsSchema.def.shape);

/** The options of each method that has some besides the per-call options. */
export const METHOD_OPTION_NAMES = {
  listJobs: ['limit', 'offset', 'sort', 'cursor'],
  listQueue: ['filter', 'limit', 'offset', 'sort'],
  getJobsChangedSince: ['filter', 'finished', 'limit'],
  log: ['level', 'data'],
  waitForJob: ['signal', 'timeout', 'onUpdate', 'pollInterval', 'useSubscription'],
  subscribe: ['signal', 'reconnectDelay', 'maxReconnects'],
  iterateJobs: ['pageSize', 'signal'],
} as const satisfies {
  listJobs: readonly (keyof ListJobsOptions)[];
  listQueue: readonly (keyof ListQueueOptions)[];
  getJobsChangedSince: readonly (keyof JobChangesOptions)[];
  log: readonly (keyof LogOptions)[];
  waitForJob: readonly (keyof WaitForJobOptions)[];
  subscribe: readonly (keyof SubscribeOptions)[];
  iterateJobs: readonly (keyof IterateJobsOptions)[];
};

// Each list names every option of its type: an option added to a type but not here would be refused.
type Names<Method extends keyof typeof METHOD_OPTION_NAMES> =
  (typeof METHOD_OPTION_NAMES)[Method][number];
type _OptionListsAreComplete = AssertTrue<
  IsSameType<
    [
      keyof ListJobsOptions,
      keyof ListQueueOptions,
      keyof JobChangesOptions,
      keyof LogOptions,
      keyof WaitForJobOptions,
      keyof SubscribeOptions,
      keyof IterateJobsOptions,
    ],
    [
      Names<'listJobs'>,
      Names<'listQueue'>,
      Names<'getJobsChangedSince'>,
      Names<'log'>,
      Names<'waitForJob'>,
      Names<'subscribe'>,
      Names<'iterateJobs'>,
    ]
  >
>;

/**
 * Refuses, as a RequestValidationError, every key of `options` that is not an option of the call
 * (`own`, plus the per-call options unless `withCallOptions` is false): a misspelt option would
 * otherwise be silently ignored. Case slips get a hint, as the constructor gives.
 *
 * @example refuseUnknownOptions({ timeot: 5 }) // options.timeot: is not an option; did you mean "timeout"?
 */
export function refuseUnknownOptions(
  options: unknown,
  own: readonly string[] = [],
  withCallOptions = true,
): void {
  if (typeof options !== 'object' || options === null) return;
  const allowed = withCallOptions ? [...own, ...CALL_OPTION_NAMES] : own;
  const issues: ValidationIssue[] = [];
  for (const key of Object.keys(options)) {
    const rule = unknownOptionRule(key, allowed, 'is not an option of this call');
    if (rule) issues.push(issueAt(['options', key], rule, 'unrecognized_keys'));
  }
  throwIfIssues(issues);
}
