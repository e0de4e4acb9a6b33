// The validated shapes of the SDK: what callers send (checked before anything is sent) and what
// servers answer (checked on receipt). The public types are inferred from these schemas.
export { assertJobId, jobIdProblem, jobIdSchema, MAX_JOB_ID_LENGTH } from './job-id';
export { callOptionsSchema, pickCallOptions } from './call-options';
export {
  collectFilterIssues,
  filterModeSchema,
  type FilterMode,
  type JobFilter,
  type ServiceFieldsFilter,
} from './filter';
export {
  FILTER_OPERATORS,
  type FieldCondition,
  type FilterOperatorName,
  type FilterOperators,
  type FilterScalar,
} from './filter-operators';
export { fromZodIssues, parseInput, throwIfIssues, type ValidationIssue } from './issues';
export {
  jobProgressSchema,
  jobSchema,
  jobStatusSummarySchema,
  logEntrySchema,
  type Job,
  type JobProgress,
  type JobStatusSummary,
  type LogEntry,
} from './job';
export { jobUpdateSchema, UPDATABLE_FIELDS, type JobUpdate } from './job-update';
export { collectJsonIssues, isPlainObject, MAX_NESTING_DEPTH } from './json-value';
export { logInputSchema, MAX_LOG_MESSAGE_LENGTH, type LogOptions } from './log';
export { newJobSchema, type NewJob } from './new-job';
export {
  changesOptionsSchema,
  jobChangesSchema,
  jobPageSchema,
  listJobsOptionsSchema,
  MAX_PAGE_SIZE,
  QUEUE_STATUSES,
  queuePresetSchema,
  stampSchema,
  toWireSort,
  type JobChanges,
  type JobChangesOptions,
  type JobPage,
  type ListJobsOptions,
  type ListQueueOptions,
  type QueuePreset,
  type SortField,
  type SortKey,
} from './paging';
export { progressInputSchema } from './progress';
export { serviceFieldsInputSchema, type ServiceFields } from './service-fields';
export {
  jobStatusInputSchema,
  jobStatusOutputSchema,
  LOG_LEVELS,
  type JobStatus,
  type LogLevel,
} from './status';
