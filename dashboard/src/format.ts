import {
  ABORTED_STATUSES,
  FAILED_STATUSES,
  isInProgressStatus,
  isJobStatusError,
  SUCCEEDED_STATUSES,
} from 'job-status-client';

/** The colour group of a status, for its badge. */
export function statusGroup(status: string): string {
  if (isInProgressStatus(status)) return 'progress';
  if ((SUCCEEDED_STATUSES as readonly string[]).includes(status)) return 'succeeded';
  if ((FAILED_STATUSES as readonly string[]).includes(status)) return 'failed';
  if ((ABORTED_STATUSES as readonly string[]).includes(status)) return 'aborted';
  return 'other';
}

const RELATIVE = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Infinity],
];

/** "3 minutes ago", "yesterday". */
export function relativeTime(date: Date, now = Date.now()): string {
  let amount = (date.getTime() - now) / 1000;
  for (const [unit, size] of STEPS) {
    if (Math.abs(amount) < size) return RELATIVE.format(Math.round(amount), unit);
    amount /= size;
  }
  return date.toISOString();
}

/** `12:03:04.567`, the local time of a log line. */
export function clockTime(date: Date): string {
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** A message for the person looking: the SDK's errors carry no credentials. */
export function describeError(error: unknown): string {
  if (isJobStatusError(error)) return error.message;
  return error instanceof Error ? error.message : String(error);
}
