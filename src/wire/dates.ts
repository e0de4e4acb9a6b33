// JSS writes times as `2019-06-18T15:31:45.610+0000` (Java's SimpleDateFormat, not strict ISO);
// newer servers and the SDK's own encoders use ISO 8601 with `Z`.

// Read with a hand-written scanner rather than a regular expression: every job carries at least
// two times, and a match with ten capture groups, then a Date built field by field, cost more than
// the rest of decoding a job's top level. The accepted language is exactly
// /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):?(\d{2}))$/.

const MINUTE_MS = 60_000;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
const MAX_FRACTION_DIGITS = 9;

/** The length of the fixed part, `YYYY-MM-DDTHH:MM:SS`. */
const FIXED_LENGTH = 19;

function hasSeparators(text: string): boolean {
  return (
    text[4] === '-' && text[7] === '-' && text[10] === 'T' && text[13] === ':' && text[16] === ':'
  );
}

/** The value of `count` decimal digits at `start`, or -1 if any of them is not a digit 0-9. */
function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let index = start; index < start + count; index++) {
    const code = text.charCodeAt(index);
    // Written so that NaN (past the end of the text) fails too.
    if (!(code >= DIGIT_0 && code <= DIGIT_9)) return -1;
    value = value * 10 + (code - DIGIT_0);
  }
  return value;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Milliseconds from a fraction's digits (at `start`, `count` of them): the first three, as if
 * padded with zeros. `.6` is 600 ms, `.123987` is 123 ms.
 */
function fractionMs(text: string, start: number, count: number): number {
  const kept = Math.min(count, 3);
  return digitsAt(text, start, kept) * 10 ** (3 - kept);
}

/** Milliseconds since the epoch of a UTC date and time, reading years 0-99 as written. */
function utcTime(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
): number {
  if (year >= 100) return Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC reads years 0-99 as 1900-1999; setUTCFullYear does not.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  return date.getTime();
}

/**
 * The zone's offset in minutes east of UTC from `start` (`Z`, `+HH:MM`, `+HHMM`, or their `-`
 * forms) up to the end of `text`, or undefined when that is not exactly a zone.
 */
function zoneOffsetMinutes(text: string, start: number): number | undefined {
  const sign = text[start];
  if (sign === 'Z') return start + 1 === text.length ? 0 : undefined;
  if (sign !== '+' && sign !== '-') return undefined;
  const colon = text[start + 3] === ':' ? 1 : 0;
  if (start + 5 + colon !== text.length) return undefined;
  const hours = digitsAt(text, start + 1, 2);
  const minutes = digitsAt(text, start + 3 + colon, 2);
  if (hours < 0 || minutes < 0 || hours > 23 || minutes > 59) return undefined;
  const offset = hours * 60 + minutes;
  return sign === '-' ? -offset : offset;
}

/**
 * Reads a JSS time: ISO 8601 date and time with seconds, optional fraction (1-9 digits, cut to
 * milliseconds) and a zone written `Z`, `+HH:MM` or `+HHMM` (any offset, not only zero).
 * Returns undefined for anything else, including impossible dates such as February 30th.
 *
 * @example parseJssDate('2019-06-18T15:31:45.610+0000') // Date 2019-06-18T15:31:45.610Z
 */
export function parseJssDate(text: string): Date | undefined {
  if (text.length < FIXED_LENGTH + 1 || !hasSeparators(text)) return undefined;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) return undefined;
  if (minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  if (day > daysInMonth(year, month)) return undefined; // no such day in that month

  let zoneStart = FIXED_LENGTH;
  let ms = 0;
  if (text[zoneStart] === '.') {
    let digits = 0;
    while (digitsAt(text, zoneStart + 1 + digits, 1) >= 0) digits++;
    if (digits === 0 || digits > MAX_FRACTION_DIGITS) return undefined;
    ms = fractionMs(text, zoneStart + 1, digits);
    zoneStart += 1 + digits;
  }
  const offset = zoneOffsetMinutes(text, zoneStart);
  if (offset === undefined) return undefined;
  return new Date(utcTime(year, month, day, hour, minute, second, ms) - offset * MINUTE_MS);
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
