// The edges of the work queue's cron schedules (src/protocol/cron.ts): Vixie cron's day
// rule, month lengths, steps, refusals that name the field, and the search's bound.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextCronTime, parseCron } from '#protocol';

/** The next run after `after` (an ISO time), as an ISO time. */
const next = (expression: string, after: string) =>
  nextCronTime(parseCron(expression), new Date(after))?.toISOString();

/** The first `count` runs after `after`, each found from the one before. */
function runs(expression: string, after: string, count: number): string[] {
  const schedule = parseCron(expression);
  const found: string[] = [];
  let at = new Date(after);
  for (let index = 0; index < count; index++) {
    const run = nextCronTime(schedule, at);
    if (run === undefined) break;
    found.push(run.toISOString().slice(0, 16));
    at = run;
  }
  return found;
}

describe('a cron schedule', () => {
  it('runs on either day when both day fields are restricted', () => {
    // Friday the 13th, and the Fridays and 13ths around it, in September 2024.
    expect(runs('0 0 13 * 5', '2024-09-01T00:00:00Z', 4)).toEqual([
      '2024-09-06T00:00',
      '2024-09-13T00:00',
      '2024-09-20T00:00',
      '2024-09-27T00:00',
    ]);
  });

  it('runs only on days both fields allow when one day field starts with *', () => {
    // Odd days that are Mondays (Vixie cron: `*/2` does not count as a restriction).
    expect(runs('0 0 */2 * 1', '2024-09-01T00:00:00Z', 3)).toEqual([
      '2024-09-09T00:00',
      '2024-09-23T00:00',
      '2024-10-07T00:00',
    ]);
  });

  it('runs on February 29th only in leap years', () => {
    expect(runs('0 12 29 2 *', '2024-03-01T00:00:00Z', 2)).toEqual([
      '2028-02-29T12:00',
      '2032-02-29T12:00',
    ]);
  });

  it('finds February 29th across 2100, which is no leap year', () => {
    expect(next('0 0 29 2 *', '2096-03-01T00:00:00Z')).toBe('2104-02-29T00:00:00.000Z');
  });

  it('skips the months too short for the 31st', () => {
    expect(runs('0 0 31 * *', '2024-01-31T00:00:00Z', 4)).toEqual([
      '2024-03-31T00:00',
      '2024-05-31T00:00',
      '2024-07-31T00:00',
      '2024-08-31T00:00',
    ]);
  });

  it('steps through a range from its start', () => {
    expect(parseCron('0 0 1-30/7 * *').daysOfMonth).toEqual(new Set([1, 8, 15, 22, 29]));
  });

  it('steps from a single number to the end of the field', () => {
    expect(parseCron('50/5 * * * *').minutes).toEqual([50, 55]);
  });

  it('treats day of week 7 as Sunday', () => {
    expect(next('0 0 * * 7', '2024-09-02T00:00:00Z')).toBe('2024-09-08T00:00:00.000Z');
  });

  it('answers the next minute, not the same one, when given a matching time', () => {
    expect(next('* * * * *', '2024-09-02T10:00:00.000Z')).toBe('2024-09-02T10:01:00.000Z');
  });

  it('answers the next whole minute when given a time with seconds', () => {
    expect(next('*/5 * * * *', '2024-09-02T10:04:59.999Z')).toBe('2024-09-02T10:05:00.000Z');
  });

  it('keeps to UTC across a local daylight saving change', () => {
    // 2024-03-31 01:00 UTC is when Central Europe moves its clocks forward.
    expect(runs('30 1 * * *', '2024-03-30T02:00:00Z', 2)).toEqual([
      '2024-03-31T01:30',
      '2024-04-01T01:30',
    ]);
  });

  it('answers nothing for a date that is not valid', () => {
    expect(nextCronTime(parseCron('* * * * *'), new Date(Number.NaN))).toBeUndefined();
  });
});

describe('parseCron refuses', () => {
  it.each([
    ['*/0 * * * *', 'the step of the minute "*/0" must be at least 1'],
    ['60 * * * *', 'the minute "60" is outside 0-59'],
    ['* 24 * * *', 'the hour "24" is outside 0-23'],
    ['* * 0 * *', 'the day of month "0" is outside 1-31'],
    ['* * * 13 *', 'the month "13" is outside 1-12'],
    ['* * * * 8', 'the day of week "8" is outside 0-7'],
    ['* * * * 1-9/2', 'the day of week "1-9/2" is outside 0-7'],
    ['5-1 * * * *', 'the minute range "5-1" runs backwards'],
    ['* x * * *', 'the hour "x" is not a number'],
    ['* * * */y *', 'the step of the month "y" is not a number'],
    ['* * 1-2-3 * *', 'the day of month "1-2-3" is not a range'],
    ['*/2/3 * * * *', 'the minute "*/2/3" has two steps'],
    ['* * * *', 'it needs 5 fields'],
    ['0 0 30 2 *', 'it never runs'],
    ['0 0 31 4,6,9,11 *', 'it never runs'],
  ])('%s: %s', (expression, message) => {
    expect(() => parseCron(expression)).toThrow(message);
  });
});

describe('cron properties', () => {
  const part = (min: number, max: number) =>
    fc.oneof(
      fc.constant('*'),
      fc.integer({ min, max }).map(String),
      fc
        .tuple(fc.integer({ min, max }), fc.integer({ min, max }), fc.integer({ min: 1, max: 9 }))
        .map(([a, b, step]) => `${Math.min(a, b)}-${Math.max(a, b)}/${step}`),
      fc.integer({ min: 1, max: 9 }).map((step) => `*/${step}`),
    );
  const field = (min: number, max: number) =>
    fc.array(part(min, max), { minLength: 1, maxLength: 3 }).map((parts) => parts.join(','));
  // Every field over its whole range, impossible month and day pairs included.
  const expression = fc
    .tuple(field(0, 59), field(0, 23), field(1, 31), field(1, 12), field(0, 7))
    .map((fields) => fields.join(' '));
  const after = fc.date({
    min: new Date('2000-01-01Z'),
    max: new Date('2090-12-31Z'),
    noInvalidDate: true,
  });
  const accepted = (cron: string) => {
    try {
      return parseCron(cron);
    } catch {
      return undefined;
    }
  };

  it('gives every schedule it accepts a next run, strictly after the given time', () => {
    fc.assert(
      fc.property(expression, after, (cron, at) => {
        const schedule = accepted(cron);
        if (schedule === undefined) return;
        const run = nextCronTime(schedule, at);
        expect(run).toBeDefined();
        expect(run!.getTime()).toBeGreaterThan(at.getTime());
        expect(run!.getTime() % 60_000).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('answers a run that the schedule matches, and again from just before it', () => {
    fc.assert(
      fc.property(expression, after, (cron, at) => {
        const schedule = accepted(cron);
        const run = schedule && nextCronTime(schedule, at);
        if (schedule === undefined || run === undefined) return;
        const day = run.getUTCDate();
        const weekday = run.getUTCDay();
        const dom = schedule.daysOfMonth.has(day);
        const dow = schedule.daysOfWeek.has(weekday);
        expect({
          minute: schedule.minutes.includes(run.getUTCMinutes()),
          hour: schedule.hours.includes(run.getUTCHours()),
          month: schedule.months.has(run.getUTCMonth() + 1),
          day: schedule.domRestricted && schedule.dowRestricted ? dom || dow : dom && dow,
          again: nextCronTime(schedule, new Date(run.getTime() - 1))?.getTime(),
        }).toEqual({ minute: true, hour: true, month: true, day: true, again: run.getTime() });
      }),
      { numRuns: 300 },
    );
  });
});
