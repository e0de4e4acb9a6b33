// parseJssDate reads the text with a scanner, for speed; it must accept exactly the texts a
// regular expression of the format accepts and read them as the same instants: the regex is the oracle.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJssDate } from '#protocol/dates';

const JSS_DATE =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):?(\d{2}))$/;

/** The implementation before the rewrite, kept as the reference. */
function regexParse(text: string): number | undefined {
  const match = JSS_DATE.exec(text);
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((group) =>
    Number(match[group]),
  ) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  const fraction = match[7];
  const ms = fraction === undefined ? 0 : Number(fraction.padEnd(3, '0').slice(0, 3));
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  if (date.getUTCDate() !== day) return undefined;
  if (match[8] === undefined) return date.getTime();
  const offsetHours = Number(match[9]);
  const offsetMinutes = Number(match[10]);
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const offset = (offsetHours * 60 + offsetMinutes) * (match[8] === '-' ? -1 : 1);
  return date.getTime() - offset * 60_000;
}

const padded = (min: number, max: number, width: number) =>
  fc.integer({ min, max }).map((value) => String(value).padStart(width, '0'));

/** Texts near the accepted form: every field sometimes out of range, fraction and zone varied. */
const nearJssDate = fc
  .tuple(
    padded(0, 9999, 4),
    fc.constantFrom('-', '-', '/'),
    padded(0, 13, 2),
    padded(0, 32, 2),
    fc.constantFrom('T', 'T', 't', ' '),
    padded(0, 24, 2),
    padded(0, 60, 2),
    padded(0, 60, 2),
    fc.oneof(fc.constant(''), fc.stringMatching(/^\.[0-9]{0,11}$/)),
    fc.oneof(
      fc.constantFrom('Z', 'z', '', 'Z ', '+', '+00:00\n'),
      fc
        .tuple(
          fc.constantFrom('+', '-'),
          padded(0, 25, 2),
          fc.constantFrom('', ':', '::'),
          fc.stringMatching(/^[0-9]{1,3}$/),
        )
        .map((parts) => parts.join('')),
    ),
  )
  .map(
    ([year, dash, month, day, t, hour, minute, second, fraction, zone]) =>
      `${year}${dash}${month}-${day}${t}${hour}:${minute}:${second}${fraction}${zone}`,
  );

describe('parseJssDate', () => {
  it('agrees with the regular-expression reading on texts near the JSS form', () => {
    fc.assert(
      fc.property(nearJssDate, (text) => {
        expect(parseJssDate(text)?.getTime()).toBe(regexParse(text));
      }),
      { numRuns: 20_000 },
    );
  });

  it('agrees with the regular-expression reading on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(parseJssDate(text)?.getTime()).toBe(regexParse(text));
      }),
      { numRuns: 5_000 },
    );
  });

  it('agrees on every day number of every month, leap years and years below 100 included', () => {
    for (const year of [0, 4, 99, 100, 1900, 2000, 2019, 2020, 2100]) {
      for (let month = 1; month <= 12; month++) {
        for (let day = 27; day <= 32; day++) {
          const text = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${day}T23:59:59.999-23:59`;
          expect(parseJssDate(text)?.getTime(), text).toBe(regexParse(text));
        }
      }
    }
  });
});
