// The public API of job-status-client. Every name is listed on purpose: nothing internal leaks
// through a wildcard, and anything removed from here is a breaking change.

// Not exported: reached from the entry as from every lazy chunk, so that the list of the entry's
// modules joins their shared chunk instead of making a file of its own (./internal/entry-modules).
import { ENTRY_MODULES } from './internal/entry-modules';

void ENTRY_MODULES;

// The client
export { JobStatusClient, JobStatusClient as default } from './client';
export { SDK_VERSION as VERSION } from './internal/version';
export type { ClientOptions, RequestOptions, RetryDelayOptions, TokenSource } from './options';
export type { CallOptions, HttpMethod } from './internal/transport-types';
export type { SafeErrorInfo } from './internal/redact';
export type { Comparable } from './filters';
export type {
  AttemptInfo,
  Logger,
  LoggerLevel,
  RetryInfo,
  SafeErrorSummary,
  TransportHooks,
} from './internal/transport-types';
export type { KeyCasing, ServiceFieldKeys } from './wire';

// Jobs and what the methods take and return
export type { CreatedJob } from './decode/batch';
export type {
  FieldCondition,
  FilterMode,
  FilterOperatorName,
  FilterOperators,
  FilterScalar,
  Identity,
  Job,
  JobChanges,
  JobChangesOptions,
  JobDescription,
  JobFilter,
  JobPage,
  JobProgress,
  JobStatus,
  JobStatusSummary,
  JobUpdate,
  ListJobsOptions,
  ListQueueOptions,
  LogEntry,
  LogLevel,
  LoginInput,
  LoginResult,
  LogOptions,
  NewJob,
  QueuePreset,
  Role,
  ServiceFields,
  ServiceFieldsShape,
  ServiceFieldsUpdate,
  DeepPartial,
  ServiceFieldsFilter,
  SortField,
  SortKey,
} from './schemas';
// Straight from modules without schemas (or with only up-front ones), so that none of these
// pulls in the schemas of the lazily loaded calls.
export { FILTER_OPERATORS } from './schemas/filter-operators';
export { QUEUE_STATUSES } from './schemas/names';
export { LOG_LEVELS, UPDATABLE_FIELDS } from './schemas/names';
export { ROLES } from '#protocol/access';

// Statuses
export {
  ABORTED_STATUSES,
  FAILED_STATUSES,
  IN_PROGRESS_STATUSES,
  isInProgressStatus,
  isTerminalStatus,
  JOB_STATUSES,
  SUCCEEDED_STATUSES,
  TERMINAL_STATUSES,
} from '#protocol/statuses';
export type { KnownJobStatus } from '#protocol/statuses';

// Filter helpers (the safe way to put outside values into a filter)
export { eq, exists, gt, gte, lt, lte, ne, noneOf, oneOf } from './filters';

// Following jobs
export type {
  BackoffRange,
  InitialJobsEvent,
  IterateJobsOptions,
  JobChangeEvent,
  JobDataEvent,
  JobDeleteEvent,
  JobEvent,
  JobEventOfType,
  JobEventType,
  JobInsertEvent,
  JobSubscription,
  JobUpdateEvent,
  OpenEvent,
  ReconnectingEvent,
  SubscribeOptions,
  SubscriptionTarget,
  WaitForJobOptions,
} from './follow';

// Errors
export {
  AbortError,
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  InternalServerError,
  isApiError,
  isJobStatusError,
  JobFailedError,
  JobStatusError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
  RequestValidationError,
  ResponseValidationError,
  TimeoutError,
  UnprocessableEntityError,
} from './errors';
export type {
  AbortErrorInit,
  ApiErrorInit,
  ApiErrorRequest,
  ConnectionErrorInit,
  JobStatusErrorOptions,
  TimeoutErrorInit,
  FailedJobLike,
  JobStatusErrorJSON,
  ResponseValidationContext,
  TimeoutScope,
  ValidationIssue,
} from './errors';
export type { ErrorCode as ServiceErrorCode } from '#protocol/errors';

// The work queue: claiming jobs and processing them
export { UnrecoverableError } from './workers/unrecoverable-error';
export { PRIORITY_LEVELS } from '#protocol/work-queue-limits';
export { JobProcessor } from './workers/processor';
export type {
  JobContext,
  JobHandler,
  JobProcessorCounts,
  JobProcessorEvents,
  JobProcessorListener,
  StopOptions,
} from './workers/processor-types';
export type {
  ClaimedJob,
  ClaimJobsOptions,
  FailJobOptions,
  HeartbeatOptions,
  JobFailure,
  JobPriority,
  JobScheduling,
  ProcessJobsOptions,
  RepeatPolicy,
  RetryPolicy,
  WorkerCallOptions,
} from './schemas/work-queue';
export type { WorkQueueFields } from './schemas/job';
export type { PriorityLevel } from '#protocol/work-queue-limits';
