import {
  ABORTED_STATUSES,
  FAILED_STATUSES,
  IN_PROGRESS_STATUSES,
  SUCCEEDED_STATUSES,
  TERMINAL_STATUSES,
} from '#protocol/statuses';

// Public lists of names, in a module without schemas: importing one builds no zod schema, so an app
// that reads them does not load the schemas that use them.

/** The level of a log entry, as the protocol defines it. */
export const LOG_LEVELS = ['info', 'success', 'warning', 'danger'] as const;

/** The only fields an update may change (the contract's list). */
export const UPDATABLE_FIELDS = [
  'jobName',
  'childIds',
  'serviceFields',
  'currentHost',
  'currentStage',
  'status',
] as const;

/** The largest page the server serves. */
export const MAX_PAGE_SIZE = 1000;

/** The queues `listQueue` knows, each a set of statuses. */
export const QUEUE_STATUSES = {
  pending: ['WAITING', 'BLOCKED'],
  running: ['WORKING', 'RETRYING'],
  inProgress: IN_PROGRESS_STATUSES,
  finished: TERMINAL_STATUSES,
  succeeded: SUCCEEDED_STATUSES,
  failed: FAILED_STATUSES,
  aborted: ABORTED_STATUSES,
} as const;
