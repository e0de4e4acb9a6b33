/** Statuses of a job that is still running (docs/protocol.md, "Statuses and the state machine"). */
export const IN_PROGRESS_STATUSES: readonly string[] = [
  'WAITING',
  'BLOCKED',
  'WORKING',
  'RETRYING',
];

/** Statuses after which a job does nothing more. */
export const TERMINAL_STATUSES: readonly string[] = [
  'SUCCEEDED',
  'FAILED',
  'UNRECOVERABLE',
  'ABORTED',
];

/** A status on the wire: upper-case letters and underscores (new servers may add statuses). */
export const STATUS_PATTERN = /^[A-Z_]+$/;

export const isInProgress = (status: string) => IN_PROGRESS_STATUSES.includes(status);
export const isTerminal = (status: string) => TERMINAL_STATUSES.includes(status);
