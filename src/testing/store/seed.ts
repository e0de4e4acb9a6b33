import { isJsonObject } from '#protocol/json';
import { formatJssDate, parseJssDate } from '#protocol/dates';
import { invalidBody } from '../service-error';
import { parseCreateBody, type ParsedCreate } from './create-body';
import type { SeedExtras } from './job-table';
import { parseLogBody, parseProgressBody } from './report-bodies';

/** The fields a seed may carry that a create request may not. */
const SEED_ONLY_FIELDS = ['created', 'modified', 'progress', 'logs'] as const;

/** A time given as a Date or a JSS time string, written in the legacy form. */
export function seedTime(value: unknown, field: string): string {
  const date =
    value instanceof Date ? value : typeof value === 'string' ? parseJssDate(value) : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) {
    throw invalidBody(`"${field}" must be a Date or a time such as 2019-06-18T15:31:45.610+0000`);
  }
  return formatJssDate(date);
}

function seedLogs(value: unknown, now: () => Date): unknown[] {
  if (!Array.isArray(value)) throw invalidBody('"logs" must be an array of log entries');
  return value.map((entry: unknown, index) => {
    if (!isJsonObject(entry)) throw invalidBody(`"logs[${index}]" must be an object`);
    const { time, ...request } = entry;
    return {
      time: time === undefined ? formatJssDate(now()) : seedTime(time, `logs[${index}].time`),
      ...parseLogBody(request),
    };
  });
}

/**
 * Splits a seeded job in wire form into a create request (validated as `POST 1.0/job/` would
 * validate it) and what only a seed may set: `created`, `modified`, `progress` (`{completed,
 * total}`, `percent` derived) and `logs` (each entry's `time` defaulting to now).
 *
 * @throws ModelError for anything a create (or a progress or log request) would refuse
 */
export function parseSeed(
  wire: Record<string, unknown>,
  now: () => Date,
): { parsed: ParsedCreate; extras: SeedExtras } {
  const { created, modified, progress, logs } = wire;
  const request = Object.fromEntries(
    Object.entries(wire).filter(([key]) => !(SEED_ONLY_FIELDS as readonly string[]).includes(key)),
  );
  const extras: SeedExtras = {};
  if (created !== undefined && created !== null) extras.created = seedTime(created, 'created');
  if (modified !== undefined && modified !== null) extras.modified = seedTime(modified, 'modified');
  if (progress !== undefined && progress !== null) {
    // `percent` is the store's to derive, as the service derives it.
    const reported = isJsonObject(progress)
      ? { completed: progress.completed, total: progress.total }
      : progress;
    extras.progress = parseProgressBody(reported);
  }
  if (logs !== undefined && logs !== null) extras.logs = seedLogs(logs, now);
  return { parsed: parseCreateBody(request), extras };
}
