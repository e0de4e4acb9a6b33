// The fast path of response validation. zod's interpreter costs about as much per job as mapping
// the job does, and every answer's jobs go through it, so successful answers are first read by
// hand here. The reader accepts only what the schemas of ./wire.ts accept and returns exactly what
// zod returns for it: a copy with the schema's keys first, in the schema's order, then the other
// keys, `__proto__` left out where zod leaves it out, nested values shared as zod shares them.
// Anything it is not sure of it declines (undefined), and the caller asks zod, which then also
// words the errors. ./wire.ts stays the statement of the rules; this file mirrors them.
import { isPlainObject } from './json-value';
import {
  jobsEnvelopeSchema,
  WIRE_DATE_PATTERN,
  wireJobSchema,
  wireLogEntrySchema,
  wireProgressSchema,
  type WireJob,
  type WireJobsEnvelope,
} from './wire';

/** Returned by a field reader for a value it will not vouch for. */
const DECLINE: unique symbol = Symbol('decline');

/** Checks one value and returns what zod would output for it, or {@link DECLINE}. */
type FieldReader = (value: unknown) => unknown;

interface FieldRule {
  read: FieldReader;
  /** May be absent (zod's `optional`); a present `undefined` is then kept as it is. */
  optional: boolean;
}

interface ObjectRules {
  /** The schema's keys in the schema's order: the order of the copy. */
  keys: readonly string[];
  fields: Readonly<Record<string, FieldRule>>;
  known: ReadonlySet<string>;
}

const required = (read: FieldReader): FieldRule => ({ read, optional: false });
/** `z.optional(z.nullable(inner))`. */
const optionalNullable = (read: FieldReader): FieldRule => ({
  read: (value) => (value === undefined || value === null ? value : read(value)),
  optional: true,
});
/** `z.optional(inner)`. */
const optional = (read: FieldReader): FieldRule => ({
  read: (value) => (value === undefined ? value : read(value)),
  optional: true,
});

const text: FieldReader = (value) => (typeof value === 'string' ? value : DECLINE);
const flag: FieldReader = (value) => (typeof value === 'boolean' ? value : DECLINE);
// zod's number takes every finite number; its int every safe integer.
const finiteNumber: FieldReader = (value) =>
  typeof value === 'number' && Number.isFinite(value) ? value : DECLINE;
const count: FieldReader = (value) =>
  Number.isSafeInteger(value) && (value as number) >= 0 ? value : DECLINE;
const wireDate: FieldReader = (value) =>
  typeof value === 'string' && WIRE_DATE_PATTERN.test(value) ? value : DECLINE;

/** `z.array(element)`: a fresh plain array of the elements' outputs. */
function arrayOf(element: FieldReader): FieldReader {
  return (value) => {
    if (!Array.isArray(value)) return DECLINE;
    const copy: unknown[] = new Array<unknown>(value.length);
    for (let index = 0; index < value.length; index++) {
      const read = element(value[index]);
      if (read === DECLINE) return DECLINE;
      copy[index] = read;
    }
    return copy;
  };
}

function rulesOf(
  schema: { shape: Record<string, unknown> },
  fields: Record<string, FieldRule>,
): ObjectRules | undefined {
  const keys = Object.keys(schema.shape);
  // A field the schema has and this file has no rule for: never guess, leave it all to zod.
  if (keys.length !== Object.keys(fields).length || !keys.every((key) => key in fields)) {
    return undefined;
  }
  return { keys, fields, known: new Set(keys) };
}

/** `z.looseObject(shape)` on a plain object; anything else is declined. */
function readLooseObject(
  value: unknown,
  rules: ObjectRules,
): Record<string, unknown> | typeof DECLINE {
  if (!isPlainObject(value)) return DECLINE;
  const copy: Record<string, unknown> = {};
  for (const key of rules.keys) {
    const rule = rules.fields[key] as FieldRule;
    // `in`, as zod tests presence.
    if (!(key in value)) {
      if (rule.optional) continue;
      return DECLINE;
    }
    const read = rule.read(value[key]);
    if (read === DECLINE) return DECLINE;
    copy[key] = read;
  }
  // zod copies the other keys with `for…in`, all but `__proto__` (which would set the prototype).
  for (const key in value) {
    if (key !== '__proto__' && !rules.known.has(key)) copy[key] = value[key];
  }
  return copy;
}

function looseObject(rules: ObjectRules | undefined): FieldReader {
  return (value) => (rules === undefined ? DECLINE : readLooseObject(value, rules));
}

const progressRules = rulesOf(wireProgressSchema, {
  completed: required(finiteNumber),
  total: required(finiteNumber),
  percent: required(finiteNumber),
});

const logEntryRules = rulesOf(wireLogEntrySchema, {
  time: required(wireDate),
  level: required(text),
  message: required(text),
});

/** `service_fields`: `z.looseObject({})`, every key copied. */
const serviceFieldsRules: ObjectRules = { keys: [], fields: {}, known: new Set() };

const jobRules = rulesOf(wireJobSchema, {
  job_id: required(text),
  user: required(text),
  status: required(text),
  job_name: optionalNullable(text),
  service: optionalNullable(text),
  current_host: optionalNullable(text),
  current_stage: optionalNullable(text),
  origination_host: optionalNullable(text),
  parent_id: optionalNullable(text),
  child_ids: optionalNullable(arrayOf(text)),
  update_parent: optionalNullable(flag),
  service_fields: optionalNullable(looseObject(serviceFieldsRules)),
  created: required(wireDate),
  modified: required(wireDate),
  progress: optionalNullable(looseObject(progressRules)),
  logs: optionalNullable(arrayOf(looseObject(logEntryRules))),
});

const readJob = looseObject(jobRules);

const envelopeRules = rulesOf(jobsEnvelopeSchema, {
  response_type: required((value) => (value === 'SUCCESS' ? value : DECLINE)),
  total_count: optional(count),
  offset: optional(count),
  has_more: optional(flag),
  next_cursor: optionalNullable(text),
  stamp: optional(count),
  data: required(arrayOf(readJob)),
});
const readEnvelope = looseObject(envelopeRules);

/**
 * One job on the wire, as `wireJobSchema` would output it, or undefined when the reader declines
 * (then ask the schema, which knows why).
 */
export function readWireJob(value: unknown): WireJob | undefined {
  const read = readJob(value);
  return read === DECLINE ? undefined : (read as WireJob);
}

/**
 * A successful answer holding jobs, as `jobsEnvelopeSchema` would output it, or undefined when
 * the reader declines (then ask the schema).
 */
export function readJobsEnvelope(value: unknown): WireJobsEnvelope | undefined {
  const read = readEnvelope(value);
  return read === DECLINE ? undefined : (read as WireJobsEnvelope);
}

/** Whether every schema had a rule here, so that the fast path is in use at all (for tests). */
export const wireReaderActive: boolean =
  jobRules !== undefined &&
  progressRules !== undefined &&
  logEntryRules !== undefined &&
  envelopeRules !== undefined;
