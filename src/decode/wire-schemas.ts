import * as z from 'zod/mini';
import { describeValue } from '../schemas/issues';
import { isPlainObject } from '../schemas/json-value';

// Responses as they arrive, before mapping (internal/decode validates, then src/wire's decodeJob
// maps). Loose objects: fields a newer server adds are kept. Built once at module load. On Node,
// internal/decode has `z.compile` compile them (about 5 times faster on a job); browsers keep the
// interpreter, as the compiler would add about 9 KB (min+gzip) and needs eval.

const wireText = z.optional(z.nullable(z.string()));

/** The message for a time that is not a JSS time. */
export const WIRE_DATE_RULE = 'must be a date such as 2019-06-18T15:31:45.610+0000';

// No `g` flag: `test` keeps no state.
const WIRE_DATE_PATTERN = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:?\d\d)$/;

/**
 * The shape of a JSS time such as `2019-06-18T15:31:45.610+0000` (or strict ISO 8601), as
 * src/wire's `parseJssDate` reads it. Only the shape, with a cheap regex: an impossible date
 * (February 30th) is caught after mapping, when `decodeJob` could not turn it into a Date (see
 * internal/decode), so that each time is parsed once.
 */
export const wireDateSchema = z
  .string()
  .check(z.refine((text) => WIRE_DATE_PATTERN.test(text), { error: WIRE_DATE_RULE }));

/**
 * Service fields on the wire: only a plain object here. Their keys and values are walked by the
 * mapping anyway (which expands them), so they are not walked twice.
 */
const wireServiceFieldsSchema = z.custom<Record<string, unknown>>(isPlainObject, {
  error: (issue) => `must be of type object, received ${describeValue(issue.input)}`,
});

/** A job's progress on the wire. */
export const wireProgressSchema = z.looseObject({
  completed: z.number(),
  total: z.number(),
  percent: z.number(),
});

/** One entry of a job's log on the wire; any level is kept, like any status. */
export const wireLogEntrySchema = z.looseObject({
  time: wireDateSchema,
  level: z.string(),
  message: z.string(),
});

/** One job on the wire; any status is kept (a newer server may add statuses). */
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
  service_fields: z.optional(z.nullable(wireServiceFieldsSchema)),
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

// Checked wherever they come, even on an answer that does not use them: a server that writes
// them wrong is broken, and saying so early beats a wrong page later.
const envelopeShape = {
  response_type: z.enum(['SUCCESS'], { error: 'must be "SUCCESS" in a successful response' }),
  total_count: z.optional(count),
  offset: z.optional(count),
  has_more: z.optional(z.boolean()),
  next_cursor: wireText,
  stamp: z.optional(count),
};

/**
 * A successful answer whose `data` holds jobs: one job, a list, or a page of a listing (a legacy
 * server may leave out the paging fields, not write them wrong).
 */
export const jobsEnvelopeSchema = z.looseObject({ ...envelopeShape, data: z.array(wireJobSchema) });

/** The answer of `POST 1.0/job/changes`, which must carry the stamp to pass next time. */
export const changesEnvelopeSchema = z.looseObject({
  ...jobsEnvelopeSchema.def.shape,
  stamp: count,
});

/** The answer of `POST 1.0/job/batch`: the jobs in request order, and whether each is new. */
export const batchEnvelopeSchema = z.looseObject({
  ...jobsEnvelopeSchema.def.shape,
  results: z.array(z.looseObject({ job_id: z.string(), created: z.boolean() })),
});

/** A successful answer of the status-only read. */
export const statusEnvelopeSchema = z.looseObject({
  ...envelopeShape,
  data: z.array(wireStatusSummarySchema),
});

/** One job on the wire. */
export type WireJob = z.output<typeof wireJobSchema>;
