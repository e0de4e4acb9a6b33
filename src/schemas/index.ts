// The validated shapes of the SDK: what callers send (zod/mini schemas, checked by `parseInput`
// before anything is sent) and what servers answer (./wire, checked by internal/decode). Filters
// and the client's options are checked by hand (see ./filter and ../options).
export { checkBodySize } from './body-size';
export { assertJobId, jobIdProblem, jobIdSchema, MAX_JOB_ID_LENGTH } from './job-id';
export {
  CALL_OPTION_NAMES,
  callOptionsSchema,
  METHOD_OPTION_NAMES,
  pickCallOptions,
  refuseUnknownOptions,
} from './call-options';
export {
  collectFilterIssues,
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
export {
  fromZodIssues,
  parseInput,
  throwIfIssues,
  type Path,
  type ValidationIssue,
} from './issues';
export {
  type Job,
  type JobDescription,
  type JobProgress,
  type JobStatusSummary,
  type LogEntry,
} from './job';
export { jobUpdateSchema, UPDATABLE_FIELDS, type JobUpdate } from './job-update';
export { collectJsonIssues, isPlainObject, MAX_NESTING_DEPTH } from './json-value';
export { logInputSchema, MAX_LOG_MESSAGE_LENGTH, type LogOptions } from './log';
export { newJobSchema, newJobsSchema, SCHEDULING_KEYS, type NewJob } from './new-job';
export {
  changesOptionsSchema,
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
export {
  serviceFieldsInputSchema,
  type DeepPartial,
  type ServiceFields,
  type ServiceFieldsShape,
  type ServiceFieldsUpdate,
} from './service-fields';
export {
  jobStatusInputSchema,
  LOG_LEVELS,
  logLevelInputSchema,
  type JobStatus,
  type LogLevel,
} from './status';
export {
  loginInputSchema,
  ROLES,
  type Identity,
  type LoginInput,
  type LoginResult,
  type Role,
} from './auth';
