import * as z from 'zod/mini';
import { jobStatusOutputSchema, logLevelOutputSchema } from './status';

// The job as the SDK hands it to callers: camelCase, arrays rebuilt, `(dot)` unescaped, times as
// Dates. These schemas exist for their inferred types: responses are validated in their wire form
// (./wire.ts) and then mapped by src/wire's decodeJob, which is far cheaper than parsing twice.

const optionalText = z.optional(z.nullable(z.string()));

/** A job's progress as last reported by its worker. */
export const jobProgressSchema = z.object({
  /** Units of work done. */
  completed: z.number(),
  /** Units of work in all. */
  total: z.number(),
  /** `completed / total * 100`, rounded to two decimals by the server. */
  percent: z.number(),
});

/** One line of a job's log, oldest first in `Job.logs`. */
export const logEntrySchema = z.looseObject({
  time: z.date(),
  level: logLevelOutputSchema,
  message: z.string(),
  data: z.optional(z.unknown()),
});

/** A job as the SDK returns it. Fields the SDK does not know (from a newer server) are kept. */
export const jobSchema = z.looseObject({
  jobId: z.string(),
  user: z.string(),
  status: jobStatusOutputSchema,
  jobName: optionalText,
  service: optionalText,
  currentHost: optionalText,
  currentStage: optionalText,
  originationHost: optionalText,
  parentId: optionalText,
  childIds: z.optional(z.nullable(z.array(z.string()))),
  updateParent: z.optional(z.nullable(z.boolean())),
  serviceFields: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
  created: z.date(),
  modified: z.date(),
  progress: z.optional(z.nullable(jobProgressSchema)),
  logs: z.optional(z.array(logEntrySchema)),
});

/** The cheap status-only read (`getJobStatus`). */
export const jobStatusSummarySchema = z.looseObject({
  jobId: z.string(),
  status: jobStatusOutputSchema,
  currentStage: optionalText,
  progress: z.optional(z.nullable(jobProgressSchema)),
  modified: z.date(),
});

/** A job as the SDK returns it (see {@link jobSchema}). */
export type Job = z.infer<typeof jobSchema>;
/** `{ completed, total, percent }`. */
export type JobProgress = z.infer<typeof jobProgressSchema>;
/** `{ time, level, message, data? }`. */
export type LogEntry = z.infer<typeof logEntrySchema>;
/** `{ jobId, status, currentStage, progress, modified }`. */
export type JobStatusSummary = z.infer<typeof jobStatusSummarySchema>;
