// The pure semantics of the Job Status Service (docs/protocol.md) on wire-form jobs: the
// testing kit's in-memory store and the oracle of the server's differential tests.
export {
  parentStatusFromChildren,
  planAction,
  shouldUpdateParent,
  type ActionPlan,
  type JobAction,
} from './actions';
export {
  MAX_BATCH_JOBS,
  batchItemMessage,
  batchItems,
  repeatedBatchJobId,
  MAX_USER_LENGTH,
  NULLABLE_TEXT_FIELDS,
  parseCreateBody,
  type CreateBodyOptions,
  type CreateRequest,
  type NewJobFields,
} from './create-body';
export {
  checkJsonBody,
  FORBIDDEN_KEYS,
  isForbiddenKey,
  MAX_NESTING_DEPTH,
  unstorableStringReason,
} from './body-rules';
export {
  ERROR_CODES,
  ERROR_STATUSES,
  errorResponseType,
  isErrorCode,
  ModelError,
  type ErrorCode,
  type ErrorStatus,
  type ModelErrorCode,
} from './errors';
export { readField, SERVICE_FIELDS_PREFIX, TIME_FIELDS } from './fields';
export { matchesFilter } from './filter-match';
export {
  FILTER_OPERATORS,
  FILTERABLE_FIELDS,
  isOperatorCondition,
  validateFilter,
} from './filter-validate';
export { cloneJson, isJsonObject, jsonEqual } from './json';
export { compareCodePoints } from './order';
export {
  DEFAULT_CHANGES_LIMIT,
  MAX_LIMIT,
  MAX_OFFSET,
  parseChangesParams,
  parsePageParams,
  parseSort,
  SORTABLE_FIELDS,
  type ChangesParams,
  type PageParams,
  type QueryParam,
} from './paging';
export {
  applyPatch,
  checkPatchSize,
  checkPathLength,
  checkServiceFieldsSize,
  checkUpdatableField,
  serviceFieldPath,
  MAX_ARRAY_PADDING,
  MAX_PATCH_KEYS,
  MAX_SERVICE_FIELDS_BYTES,
} from './patch';
export {
  capLog,
  LOG_LEVELS,
  MAX_LOG_BYTES,
  MAX_LOG_ENTRIES,
  MAX_LOG_ENTRY_BYTES,
  MAX_LOG_MESSAGE_LENGTH,
  parseLogBody,
  parseProgressBody,
  progressPercent,
  type LogRequest,
  type WireProgress,
} from './report-bodies';
export { compareJobs, DEFAULT_SORT, type SortKey } from './sort';
export * from './statuses';
export * from './work-queue';
export { nextCronTime, parseCron, type CronSchedule } from './cron';
export type { JobRecord, WireJob, WireJobFields } from './types';
export {
  ACTIONS,
  actionRefusal,
  claimRefusal,
  createRefusal,
  hiddenParentRefusal,
  inScope,
  isRole,
  mayEver,
  POLICY,
  ROLES,
  scopeOf,
  type Action,
  type JobScope,
  type Principal,
  type Reach,
  type Role,
  type ScopedJob,
} from './access';
