import { ModelError } from './errors';
import { MAX_CRON_LENGTH } from './work-queue-limits';

/**
 * A parsed 5-field cron expression (`minute hour day-of-month month day-of-week`), evaluated in
 * UTC. Each field is the sorted set of values it allows; `domRestricted`/`dowRestricted` record
 * whether that field was anything but `*`, for cron's rule that a day matches when either
 * restricted day field matches.
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

// How far ahead a next run is looked for: a schedule such as `0 0 30 2 *` never matches.
const SEARCH_DAYS = 366 * 5;

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

function parseNumber(text: string, expression: string): number {
  if (!/^\d{1,2}$/.test(text)) throw invalid(expression, `"${text}" is not a number`);
  return Number(text);
}

/** The values one field allows: `*`, `n`, `a-b`, each optionally `/step`, comma-separated. */
function parseField(text: string, field: (typeof FIELDS)[number], expression: string): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText, extra] = part.split('/');
    if (extra !== undefined) throw invalid(expression, `"${part}" has two steps`);
    const step = stepText === undefined ? 1 : parseNumber(stepText, expression);
    if (step < 1) throw invalid(expression, `the step of "${part}" must be at least 1`);
    let low: number;
    let high: number;
    if (range === '*') {
      low = field.min;
      high = field.max;
    } else {
      const [lowText = '', highText, more] = range.split('-');
      if (more !== undefined) throw invalid(expression, `"${range}" is not a range`);
      low = parseNumber(lowText, expression);
      high =
        highText === undefined
          ? stepText === undefined
            ? low
            : field.max
          : parseNumber(highText, expression);
    }
    if (low < field.min || high > field.max || low > high) {
      throw invalid(expression, `the ${field.name} "${part}" is outside ${field.min}-${field.max}`);
    }
    for (let value = low; value <= high; value += step) values.add(value);
  }
  return values;
}

/**
 * Parses a 5-field cron expression (numbers, `*`, ranges, lists and steps; no names, no
 * `@daily`-style shortcuts), evaluated in UTC.
 *
 * @throws ModelError `invalid_body` naming the part that is wrong
 * @example parseCron('*\/15 9-17 * * 1-5') // every quarter hour, 09:00-17:45 UTC, Monday to Friday
 */
export function parseCron(expression: string): CronSchedule {
  if (expression.length > MAX_CRON_LENGTH) {
    throw invalid(expression.slice(0, 40), `longer than ${MAX_CRON_LENGTH} characters`);
  }
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) throw invalid(expression, 'it needs 5 fields (m h dom mon dow)');
  const [minutes, hours, daysOfMonth, months, daysOfWeek] = parts.map((part, index) =>
    parseField(part, FIELDS[index] as (typeof FIELDS)[number], expression),
  ) as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  if (daysOfWeek.has(7)) daysOfWeek.add(0);
  return {
    minutes: [...minutes].sort((a, b) => a - b),
    hours: [...hours].sort((a, b) => a - b),
    daysOfMonth,
    months,
    daysOfWeek,
    domRestricted: parts[2] !== '*',
    dowRestricted: parts[4] !== '*',
  };
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
 * undefined when it matches nowhere in the next five years.
 */
export function nextCronTime(schedule: CronSchedule, after: Date): Date | undefined {
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
