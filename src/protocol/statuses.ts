/** A status on the wire: upper-case letters and underscores (new servers may add statuses). */
export const STATUS_PATTERN = /^[A-Z_]+$/;

/** Every status the protocol defines (docs/protocol.md). Servers may send others. */
export const JOB_STATUSES = [
  'WAITING',
  'BLOCKED',
  'WORKING',
  'RETRYING',
  'SUCCEEDED',
  'FAILED',
  'UNRECOVERABLE',
  'ABORTED',
] as const;

export type KnownJobStatus = (typeof JOB_STATUSES)[number];

export const IN_PROGRESS_STATUSES = ['WAITING', 'BLOCKED', 'WORKING', 'RETRYING'] as const;
export const SUCCEEDED_STATUSES = ['SUCCEEDED'] as const;
export const FAILED_STATUSES = ['FAILED', 'UNRECOVERABLE'] as const;
export const ABORTED_STATUSES = ['ABORTED'] as const;
export const TERMINAL_STATUSES = [
  ...SUCCEEDED_STATUSES,
  ...FAILED_STATUSES,
  ...ABORTED_STATUSES,
] as const;

const terminal: ReadonlySet<string> = new Set(TERMINAL_STATUSES);
const inProgress: ReadonlySet<string> = new Set(IN_PROGRESS_STATUSES);

/** True for SUCCEEDED, FAILED, UNRECOVERABLE and ABORTED. Unknown statuses are not terminal. */
export function isTerminalStatus(status: string): boolean {
  return terminal.has(status);
}

export function isInProgressStatus(status: string): boolean {
  return inProgress.has(status);
}
