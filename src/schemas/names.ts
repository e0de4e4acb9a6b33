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
