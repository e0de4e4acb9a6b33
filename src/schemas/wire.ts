import * as z from 'zod/mini';

// Responses as they arrive, before mapping. Loose objects: fields a newer server adds are kept.
// ./wire-reader.ts checks successful answers' jobs by hand first, mirroring these rules: a change
// here needs the same change there (it stops using a field it has no rule for, but it cannot tell
// that a rule changed).
// Built once at module load. Not passed through `z.compile`: its code generator adds 9.4 KB
// (min+gzip) to the global build, more than a quarter of the size budget, to save about 22 ms per
// 10 000 jobs (26 ms interpreted against 4 ms compiled, measured here), when mapping those jobs
// costs 60 ms anyway.

const wireText = z.optional(z.nullable(z.string()));

/** The message for a time that is not a JSS time. */
export const WIRE_DATE_RULE = 'must be a date such as 2019-06-18T15:31:45.610+0000';

/** The shape of a JSS time (see {@link wireDateSchema}); no `g` flag, so `test` keeps no state. */
export const WIRE_DATE_PATTERN =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})$/;

/**
 * The shape of a JSS time such as `2019-06-18T15:31:45.610+0000` (or strict ISO 8601). Only the
 * shape, with a cheap regex: an impossible date (February 30th) is caught after decoding, when
 * `decodeJob` could not turn it into a Date (see internal/decode), so each time is parsed once.
 */
export const wireDateSchema = z
  .string()
  .check(z.regex(WIRE_DATE_PATTERN, { error: WIRE_DATE_RULE }));

/** A job's progress on the wire. */
export const wireProgressSchema = z.looseObject({
  completed: z.number(),
  total: z.number(),
  percent: z.number(),
});

/** One entry of a job's log on the wire. */
export const wireLogEntrySchema = z.looseObject({
  time: wireDateSchema,
  level: z.string(),
  message: z.string(),
});

/** One job on the wire. */
export const wireJobSchema = z.looseObject({
  job_id: z.string(),
  user: z.string(),
  status: z.string(),
  job_name: wireText,
  service: wireText,
  current_host: wireText,
  current_stage: wireText,
  origination_host: wireText,
  parent_id: wireText,
  child_ids: z.optional(z.nullable(z.array(z.string()))),
  update_parent: z.optional(z.nullable(z.boolean())),
  service_fields: z.optional(z.nullable(z.looseObject({}))),
  created: wireDateSchema,
  modified: wireDateSchema,
  progress: z.optional(z.nullable(wireProgressSchema)),
  logs: z.optional(z.nullable(z.array(wireLogEntrySchema))),
});

/** The answer of the status-only read. */
export const wireStatusSummarySchema = z.looseObject({
  job_id: z.string(),
  status: z.string(),
  current_stage: wireText,
  progress: z.optional(z.nullable(wireProgressSchema)),
  modified: wireDateSchema,
});

const count = z.int().check(z.gte(0));

const envelopeShape = {
  response_type: z.literal('SUCCESS', { error: 'must be "SUCCESS" in a successful response' }),
  total_count: z.optional(count),
  offset: z.optional(count),
  has_more: z.optional(z.boolean()),
  next_cursor: z.optional(z.nullable(z.string())),
  stamp: z.optional(count),
};

/** A successful answer whose `data` holds jobs. */
export const jobsEnvelopeSchema = z.looseObject({ ...envelopeShape, data: z.array(wireJobSchema) });

/** A successful answer of the status-only read. */
export const statusEnvelopeSchema = z.looseObject({
  ...envelopeShape,
  data: z.array(wireStatusSummarySchema),
});

/** A successful answer whose `data` holds jobs. */
export type WireJobsEnvelope = z.output<typeof jobsEnvelopeSchema>;
/** One job on the wire. */
export type WireJob = z.output<typeof wireJobSchema>;
