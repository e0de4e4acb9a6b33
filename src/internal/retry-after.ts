// Retry-After (RFC 9110 §10.2.3) is either a number of seconds or an HTTP-date.

const DELAY_SECONDS = /^\s*(\d+(?:\.\d+)?)\s*$/;
// Every HTTP-date form names its month in letters; Date.parse alone would accept "-5" as a year.
const MONTH_NAME = /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\b/i;

/**
 * Milliseconds to wait according to a `Retry-After` value, or undefined when it is absent or
 * unreadable. A date in the past means "now" (0).
 */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const seconds = DELAY_SECONDS.exec(value);
  if (seconds?.[1] !== undefined) return Math.round(Number(seconds[1]) * 1000);
  const date = MONTH_NAME.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
