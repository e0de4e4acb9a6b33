// The pure semantics of the Job Status Service (docs/protocol.md) on wire-form jobs: the
// testing kit's in-memory store and the oracle of the server's differential tests.
export { parentOutcome, planAction, type ActionPlan, type JobAction } from './actions';
export { MODEL_ERROR_STATUS, ModelError, type ModelErrorCode } from './errors';
export { readField, SERVICE_FIELDS_PREFIX, TIME_FIELDS } from './fields';
export { matchesFilter } from './filter-match';
export {
  FILTER_OPERATORS,
  FILTERABLE_FIELDS,
  isOperatorCondition,
  validateFilter,
} from './filter-validate';
export { cloneJson, jsonEqual } from './json';
export { compareCodePoints } from './order';
export { applyPatch, MAX_ARRAY_PADDING } from './patch';
export { compareJobs, DEFAULT_SORT, type SortKey } from './sort';
export * from './statuses';
export type { WireJob } from './types';
