import { ModelError } from './errors';
import { MAX_CRON_LENGTH } from './work-queue-limits';

/**
 * A parsed 5-field cron expression (`minute hour day-of-month month day-of-week`), evaluated in
 * UTC. Each field is the sorted set of values it allows; `domRestricted`/`dowRestricted` record
 * whether that field was restricted (did not start with `*`), for cron's rule that a day matches
 * when either restricted day field matches.
 */
export interface CronSchedule {
  minutes: readonly number[];
  hours: readonly number[];
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  daysOfWeek: ReadonlySet<number>;
  domRestricted: boolean;
  dowRestricted: boolean;
}

// How far ahead a next run is looked for. Every schedule parseCron accepts matches within it:
// the rarest is February 29th, which 2100 skips, so that 2096's is followed by 2104's.
const SEARCH_DAYS = 366 * 8 + 1;
// The longest each month can be (February in a leap year).
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  // 7 is Sunday too, as in most crons.
  { name: 'day of week', min: 0, max: 7 },
] as const;

const invalid = (expression: string, why: string) =>
  new ModelError('invalid_body', `Invalid cron schedule ${JSON.stringify(expression)}: ${why}`);

type Field = (typeof FIELDS)[number];

function parseNumber(text: string, what: string, expression: string): number {
  if (!/^\d+$/.test(text)) throw invalid(expression, `${what} "${text}" is not a number`);
  return Number(text);
}

/** The values one field allows: `*`, `n`, `a-b`, each optionally `/step`, comma-separated. */
function parseField(text: string, field: Field, expression: string): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText, extra] = part.split('/');
    if (extra !== undefined) throw invalid(expression, `the ${field.name} "${part}" has two steps`);
    const step =
      stepText === undefined
        ? 1
        : parseNumber(stepText, `the step of the ${field.name}`, expression);
    if (step < 1) {
      throw invalid(expression, `the step of the ${field.name} "${part}" must be at least 1`);
    }
    let low: number;
    let high: number;
    if (range === '*') {
      low = field.min;
      high = field.max;
    } else {
      const [lowText = '', highText, more] = range.split('-');
      if (more !== undefined) {
        throw invalid(expression, `the ${field.name} "${range}" is not a range`);
      }
      low = parseNumber(lowText, `the ${field.name}`, expression);
      // `n/step` runs from n to the field's end, as in cronie.
      const end = stepText === undefined ? low : field.max;
      high = highText === undefined ? end : parseNumber(highText, `the ${field.name}`, expression);
    }
    if (low < field.min || high > field.max) {
      throw invalid(expression, `the ${field.name} "${part}" is outside ${field.min}-${field.max}`);
    }
    if (low > high) throw invalid(expression, `the ${field.name} range "${range}" runs backwards`);
    for (let value = low; value <= high; value += step) values.add(value);
  }
  return values;
}

/**
 * Refuses a schedule whose days of the month fall in none of its months (`0 0 30 2 *`, `0 0 31
 * 4,6,9,11 *`), which would never run. Only when the day of the week does not widen the days.
 */
function refuseImpossibleDays(schedule: CronSchedule, expression: string): void {
  if (!schedule.domRestricted || schedule.dowRestricted) return;
  const someDay = [...schedule.months].some((month) =>
    [...schedule.daysOfMonth].some((day) => day <= (MONTH_DAYS[month - 1] ?? 0)),
  );
  if (!someDay) {
    throw invalid(expression, 'its days of the month fall in none of its months: it never runs');
  }
}

/**
 * Parses a 5-field cron expression (numbers, `*`, ranges, lists and steps; no names, no
 * `@daily`-style shortcuts), evaluated in UTC.
 *
 * As in Vixie cron: when both day fields are restricted, a day matches when either does (`0 0 13
 * * 5` runs on every 13th and every Friday); a day field that starts with `*` (`*` or `*\/2`)
 * counts as unrestricted; day of week 7 is Sunday, like 0. `n/step` runs from n to the end of the
 * field. Times are UTC, so there is no daylight saving time: `30 2 * * *` runs at 02:30 UTC every
 * day, whatever a local clock does then.
 *
 * @throws ModelError `invalid_body` naming the field and the part that is wrong, also for a
 *   schedule that can never run (`0 0 30 2 *`)
 * @example parseCron('*\/15 9-17 * * 1-5') // every quarter hour, 09:00-17:45 UTC, Monday to Friday
 */
export function parseCron(expression: string): CronSchedule {
  if (expression.length > MAX_CRON_LENGTH) {
    throw invalid(expression.slice(0, 40), `longer than ${MAX_CRON_LENGTH} characters`);
  }
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) throw invalid(expression, 'it needs 5 fields (m h dom mon dow)');
  const [minutes, hours, daysOfMonth, months, daysOfWeek] = parts.map((part, index) =>
    parseField(part, FIELDS[index] as Field, expression),
  ) as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  if (daysOfWeek.has(7)) daysOfWeek.add(0);
  const schedule: CronSchedule = {
    minutes: [...minutes].sort((a, b) => a - b),
    hours: [...hours].sort((a, b) => a - b),
    daysOfMonth,
    months,
    daysOfWeek,
    domRestricted: !parts[2]?.startsWith('*'),
    dowRestricted: !parts[4]?.startsWith('*'),
  };
  refuseImpossibleDays(schedule, expression);
  return schedule;
}

function dayMatches(schedule: CronSchedule, day: Date): boolean {
  if (!schedule.months.has(day.getUTCMonth() + 1)) return false;
  const dom = schedule.daysOfMonth.has(day.getUTCDate());
  const dow = schedule.daysOfWeek.has(day.getUTCDay());
  if (schedule.domRestricted && schedule.dowRestricted) return dom || dow;
  return dom && dow;
}

/**
 * The first time the schedule matches strictly after `after` (to the minute, seconds 0), or
 * undefined when it matches nowhere in the next eight years (never, for a schedule parseCron
 * accepted) or `after` is not a valid date.
 */
export function nextCronTime(schedule: CronSchedule, after: Date): Date | undefined {
  if (Number.isNaN(after.getTime())) return undefined;
  const start = new Date(after.getTime());
  start.setUTCSeconds(0, 0);
  start.setUTCMinutes(start.getUTCMinutes() + 1);
  const day = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()));
  for (let index = 0; index < SEARCH_DAYS; index++) {
    if (dayMatches(schedule, day)) {
      const sameDay = index === 0;
      for (const hour of schedule.hours) {
        if (sameDay && hour < start.getUTCHours()) continue;
        for (const minute of schedule.minutes) {
          if (sameDay && hour === start.getUTCHours() && minute < start.getUTCMinutes()) continue;
          return new Date(day.getTime() + hour * 3_600_000 + minute * 60_000);
        }
      }
    }
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return undefined;
}
