import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatJssDate, parseJssDate } from '../../src/wire';

describe('parseJssDate', () => {
  it('reads the legacy form with a +0000 zone', () => {
    expect(parseJssDate('2019-06-18T15:31:45.610+0000')?.toISOString()).toBe(
      '2019-06-18T15:31:45.610Z',
    );
  });

  it('reads ISO 8601 with Z and milliseconds', () => {
    expect(parseJssDate('2019-06-18T15:31:45.610Z')?.getTime()).toBe(
      Date.UTC(2019, 5, 18, 15, 31, 45, 610),
    );
  });

  it('reads a time without milliseconds', () => {
    expect(parseJssDate('2019-06-18T15:31:45Z')?.getTime()).toBe(Date.UTC(2019, 5, 18, 15, 31, 45));
  });

  it('reads a +00:00 zone', () => {
    expect(parseJssDate('2019-06-18T15:31:45.610+00:00')?.getTime()).toBe(
      Date.UTC(2019, 5, 18, 15, 31, 45, 610),
    );
  });

  it('applies a non-zero offset', () => {
    expect(parseJssDate('2019-06-18T17:31:45+0200')?.toISOString()).toBe(
      '2019-06-18T15:31:45.000Z',
    );
    expect(parseJssDate('2019-06-18T10:01:45-05:30')?.toISOString()).toBe(
      '2019-06-18T15:31:45.000Z',
    );
  });

  it('keeps the first three digits of a longer fraction', () => {
    expect(parseJssDate('2019-06-18T15:31:45.123987654Z')?.getUTCMilliseconds()).toBe(123);
  });

  it('reads a one-digit fraction as tenths of a second', () => {
    expect(parseJssDate('2019-06-18T15:31:45.6Z')?.getUTCMilliseconds()).toBe(600);
  });

  it('reads years below 100 as written', () => {
    expect(parseJssDate('0099-01-01T00:00:00Z')?.getUTCFullYear()).toBe(99);
  });

  it('accepts February 29th in a leap year only', () => {
    expect(parseJssDate('2020-02-29T00:00:00Z')).toBeInstanceOf(Date);
    expect(parseJssDate('2019-02-29T00:00:00Z')).toBeUndefined();
  });

  it.each([
    '',
    'yesterday',
    '2019-06-18',
    '2019-06-18T15:31:45',
    '2019-06-18 15:31:45Z',
    '2019-06-18T15:31Z',
    '2019-13-01T00:00:00Z',
    '2019-06-31T00:00:00Z',
    '2019-06-18T24:00:00Z',
    '2019-06-18T15:60:00Z',
    '2019-06-18T15:31:60Z',
    '2019-06-18T15:31:45.610+000',
    '2019-06-18T15:31:45.610+2400',
    '2019-06-18T15:31:45.Z',
    '2019-06-18t15:31:45z',
    ' 2019-06-18T15:31:45Z',
  ])('returns undefined for %j', (text) => {
    expect(parseJssDate(text)).toBeUndefined();
  });
});

describe('formatJssDate', () => {
  it('writes the legacy form in UTC', () => {
    expect(formatJssDate(new Date(Date.UTC(2019, 5, 18, 15, 31, 45, 610)))).toBe(
      '2019-06-18T15:31:45.610+0000',
    );
  });

  it('throws a RangeError for an invalid Date', () => {
    expect(() => formatJssDate(new Date(Number.NaN))).toThrow(RangeError);
  });

  it('writes what parseJssDate reads back to the same instant', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0000-01-01T00:00:00.000Z'),
          max: new Date('9999-12-31T23:59:59.999Z'),
          noInvalidDate: true,
        }),
        (date) => {
          expect(parseJssDate(formatJssDate(date))?.getTime()).toBe(date.getTime());
        },
      ),
      { numRuns: 3000 },
    );
  });
});
