// JSS writes times as `2019-06-18T15:31:45.610+0000` (Java's SimpleDateFormat, not strict ISO);
// newer servers and the SDK's own encoders use ISO 8601 with `Z`.

const JSS_DATE =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):?(\d{2}))$/;

const MINUTE_MS = 60_000;

type Tuple6 = [number, number, number, number, number, number];

/**
 * Reads a JSS time: ISO 8601 date and time with seconds, optional fraction (1-9 digits, cut to
 * milliseconds) and a zone written `Z`, `+HH:MM` or `+HHMM` (any offset, not only zero).
 * Returns undefined for anything else, including impossible dates such as February 30th.
 *
 * @example parseJssDate('2019-06-18T15:31:45.610+0000') // Date 2019-06-18T15:31:45.610Z
 */
export function parseJssDate(text: string): Date | undefined {
  const match = JSS_DATE.exec(text);
  if (match === null) return undefined;
  const numberAt = (group: number): number => Number(match[group]);
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map(numberAt) as Tuple6;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  const fraction = match[7];
  const milliseconds = fraction === undefined ? 0 : Number(fraction.padEnd(3, '0').slice(0, 3));

  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, milliseconds);
  if (date.getUTCDate() !== day) return undefined; // rolled over: no such day in that month

  const sign = match[8];
  if (sign !== undefined) {
    const offsetHours = numberAt(9);
    const offsetMinutes = numberAt(10);
    if (offsetHours > 23 || offsetMinutes > 59) return undefined;
    const offset = (offsetHours * 60 + offsetMinutes) * (sign === '-' ? -1 : 1);
    date.setTime(date.getTime() - offset * MINUTE_MS);
  }
  return date;
}

/**
 * Writes a time in the legacy JSS form, in UTC: `2019-06-18T15:31:45.610+0000`.
 *
 * @throws RangeError for an invalid Date (as `Date.prototype.toISOString` does)
 */
export function formatJssDate(date: Date): string {
  return date.toISOString().replace(/Z$/, '+0000');
}

/**
 * A Date as the encoders send it: ISO 8601 with `Z`, which is what the legacy client's
 * `JSON.stringify` produced; an invalid Date becomes null, as it does in JSON.
 */
export function dateToWire(date: Date): string | null {
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
