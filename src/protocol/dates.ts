// JSS writes times as `2019-06-18T15:31:45.610+0000` (Java's SimpleDateFormat, not strict ISO);
// newer servers and the SDK's own encoders use ISO 8601 with `Z`.

// Every job carries at least two times, and validation and mapping each read them, so the shape
// is matched by a regular expression without captures (cheap) and the fields are then read at
// their fixed places: a match with ten capture groups cost three times as much.

/** Date and time with seconds, an optional fraction of 1-9 digits, and a zone. */
const JSS_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:?\d\d)$/;

/** The value of the `count` decimal digits at `start` (known to be digits). */
function digitsAt(text: string, start: number, count = 2): number {
  let value = 0;
  for (let index = start; index < start + count; index++) {
    value = value * 10 + text.charCodeAt(index) - 48;
  }
  return value;
}

/**
 * Reads a JSS time: ISO 8601 date and time with seconds, optional fraction (1-9 digits, cut to
 * milliseconds) and a zone written `Z`, `+HH:MM` or `+HHMM` (any offset, not only zero).
 * Returns undefined for anything else, including impossible dates such as February 30th.
 *
 * @example parseJssDate('2019-06-18T15:31:45.610+0000') // Date 2019-06-18T15:31:45.610Z
 */
export function parseJssDate(text: string): Date | undefined {
  if (!JSS_TIME.test(text)) return undefined;
  const end = text.length;
  const zoneStart = text[end - 1] === 'Z' ? end - 1 : text[end - 3] === ':' ? end - 6 : end - 5;
  const utc = zoneStart === end - 1;
  const month = digitsAt(text, 5);
  const day = digitsAt(text, 8);
  const hour = digitsAt(text, 11);
  const minute = digitsAt(text, 14);
  const second = digitsAt(text, 17);
  const zoneHours = utc ? 0 : digitsAt(text, zoneStart + 1);
  const zoneMinutes = utc ? 0 : digitsAt(text, end - 2);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  if (zoneHours > 23 || zoneMinutes > 59) return undefined;
  // setUTCFullYear, unlike Date.UTC, reads years 0-99 as written. A day past the month's end
  // (February 30th) rolls over into the next month, which reading the day back catches.
  const date = new Date(0);
  date.setUTCFullYear(digitsAt(text, 0, 4), month - 1, day);
  if (date.getUTCDate() !== day) return undefined;
  const fractionDigits = Math.min(Math.max(zoneStart - 20, 0), 3);
  const offset = (zoneHours * 60 + zoneMinutes) * (text[zoneStart] === '-' ? -1 : 1);
  date.setUTCHours(
    hour,
    minute - offset,
    second,
    digitsAt(text, 20, fractionDigits) * 10 ** (3 - fractionDigits),
  );
  return date;
}

/**
 * Writes a time in the legacy JSS form, in UTC: `2019-06-18T15:31:45.610+0000`.
 *
 * @throws RangeError for an invalid Date (as `Date.prototype.toISOString` does)
 */
export function formatJssDate(date: Date): string {
  return date.toISOString().slice(0, -1) + '+0000';
}

/**
 * A Date as the encoders send it: ISO 8601 with `Z`, which is what the legacy client's
 * `JSON.stringify` produced; an invalid Date becomes null, as it does in JSON.
 */
export function dateToWire(date: Date): string | null {
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
