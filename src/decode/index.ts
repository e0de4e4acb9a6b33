// Validate, then map: every response body goes through here (the client and src/follow), so a
// malformed answer fails with a ResponseValidationError naming the path and the rule instead of
// surfacing later as `undefined`. The rules are the zod schemas of ./wire-schemas. A valid body
// is mapped from itself: the one copy the caller gets is made by the mapping (./map-job), and zod
// builds no second one. The answers only a lazily loaded call reads (batch create, login, whoAmI,
// the paged reads and the status-only read) are decoded in modules of their own (./batch, ./auth,
// ./pages), so that they load with their calls.
import * as z from 'zod/mini';
import {
  ResponseValidationError,
  type ResponseValidationContext,
  type ValidationIssue,
} from '../errors';
import { fromZodIssues, parseContext, type Path } from '../schemas/issues';
import type { Job } from '../schemas/job';
import type { ServiceFields, ServiceFieldsShape } from '../schemas/service-fields';
import {
  batchEnvelopeSchema,
  changesEnvelopeSchema,
  jobsEnvelopeSchema,
  statusEnvelopeSchema,
  WIRE_DATE_RULE,
  wireJobSchema,
  type WireJob,
} from './wire-schemas';
import type { WireOptions } from '../wire/options';
import { decodeJob } from './map-job';
import { isWithoutProtoKey } from '../internal/http-body';
import { loadSchemaCompiler } from '../internal/schema-compiler/load';

/** Which call a body answered, for the error message: `{ method, path, status }`. */
export type DecodeContext = ResponseValidationContext;

const RESPONSE_SCHEMAS: readonly z.ZodMiniType[] = [
  jobsEnvelopeSchema,
  batchEnvelopeSchema,
  changesEnvelopeSchema,
  statusEnvelopeSchema,
  wireJobSchema,
];

/** The compiled twin of each response schema, once Node has compiled them. */
const compiledSchemas = new Map<z.ZodMiniType, z.ZodMiniType>();
let compiling: Promise<boolean> | undefined;

/**
 * Starts compiling the response schemas (each client does when it is created) and says whether
 * all of them were compiled. Only on Node, and not in a page (an Electron renderer has both):
 * elsewhere the compiler's code is not loaded, and eval may be forbidden. Until the schemas are
 * compiled, a few milliseconds later, the interpreter validates; the verdict and the issues are
 * the same either way. Never rejects: a failure leaves the interpreter in place.
 */
export function compileResponseSchemas(): Promise<boolean> {
  compiling ??= (async () => {
    if (typeof globalThis.process?.versions?.node !== 'string') return false;
    if (typeof (globalThis as { document?: unknown }).document !== 'undefined') return false;
    const compiler = await loadSchemaCompiler();
    if (compiler === undefined) return false;
    for (const schema of RESPONSE_SCHEMAS) {
      const compiled = compiler.compileSchema(schema);
      if (compiled !== undefined) compiledSchemas.set(schema, compiled);
    }
    return compiledSchemas.size === RESPONSE_SCHEMAS.length;
  })().catch(() => false);
  return compiling;
}

/** Whether any response schema is compiled (the tests check that a pass runs uncompiled). */
export function areResponseSchemasCompiled(): boolean {
  return compiledSchemas.size > 0;
}

/**
 * Goes back to the interpreter until the next {@link compileResponseSchemas}: the bench measures
 * both in one process, after clients have compiled the schemas.
 */
export async function uncompileResponseSchemas(): Promise<void> {
  await compiling;
  compiledSchemas.clear();
  compiling = undefined;
}

/**
 * `body`, checked against `schema`; else a ResponseValidationError naming each path and rule.
 * The schemas transform nothing, so a body that passes is its own output. Only a failing body is
 * parsed for its issues.
 */
export function validate<Schema extends z.ZodMiniType>(
  schema: Schema,
  body: unknown,
  context: DecodeContext,
): z.output<Schema> {
  if (z.validate(compiledSchemas.get(schema) ?? schema, body)) return body as z.output<Schema>;
  const result = schema.safeParse(body, parseContext);
  if (!result.success) {
    throw new ResponseValidationError(fromZodIssues(result.error.issues), context);
  }
  // The two never disagree (test/schemas/compiled-validation.test.ts compares them); if they
  // did, the body is still what gets mapped, so that the result never depends on the path taken.
  return body as z.output<Schema>;
}

export function badTime(path: Path): ValidationIssue {
  return { path, message: WIRE_DATE_RULE, code: 'invalid_date' };
}

/**
 * The path of the first `"__proto__"` key in `value` (JSON.parse makes it an own property), at any
 * depth; undefined when there is none. Such a job is refused rather than decoded: renamed (the
 * legacy key rule turns it into `proto`) it would silently change the service's data, and kept, it
 * would be a trap for any caller that copies the fields with a plain assignment.
 */
function protoKeyPath(value: unknown): Path | undefined {
  // The path is built on the way back from a find, not copied for every key visited: a body whose
  // text holds `prot` (see isWithoutProtoKey) is walked whole.
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      const found = protoKeyPath(value[index]);
      if (found) return [index, ...found];
    }
    return undefined;
  }
  const record = value as Record<string, unknown>;
  if (Object.hasOwn(record, '__proto__')) return ['__proto__'];
  for (const key of Object.keys(record)) {
    const found = protoKeyPath(record[key]);
    if (found) return [key, ...found];
  }
  return undefined;
}

/**
 * Maps a validated wire job. The schema checked only the shape of its times (a regex is cheap);
 * `decodeJob` leaves a time it cannot read (February 30th) as a string, which is refused here.
 * One parse per time in all.
 */
function toJob<F extends ServiceFieldsShape = ServiceFields>(
  wire: WireJob,
  options: WireOptions,
  path: Path,
  context: DecodeContext,
  /** The body's text showed it holds no `"__proto__"` key (see `isWithoutProtoKey`). */
  withoutProtoKey = false,
): Job<F> {
  const protoPath = withoutProtoKey ? undefined : protoKeyPath(wire);
  if (protoPath) {
    throw new ResponseValidationError(
      [
        {
          path: [...path, ...protoPath],
          message: 'is not allowed (prototype pollution)',
          code: 'forbidden_key',
        },
      ],
      context,
    );
  }
  // The service fields' shape `F` is the caller's promise (see Job): only the protocol's are checked.
  const job = decodeJob(wire, options) as unknown as Job<F>;
  const issues: ValidationIssue[] = [];
  if (!(job.created instanceof Date)) issues.push(badTime([...path, 'created']));
  if (!(job.modified instanceof Date)) issues.push(badTime([...path, 'modified']));
  job.logs?.forEach((entry, index) => {
    if (!(entry.time instanceof Date)) issues.push(badTime([...path, 'logs', index, 'time']));
  });
  if (issues.length > 0) throw new ResponseValidationError(issues, context);
  return job;
}

export function mapJobs<F extends ServiceFieldsShape = ServiceFields>(
  envelope: { data: WireJob[] },
  options: WireOptions,
  context: DecodeContext,
): Job<F>[] {
  const withoutProtoKey = isWithoutProtoKey(envelope);
  return envelope.data.map((wire, index) =>
    toJob<F>(wire, options, ['data', index], context, withoutProtoKey),
  );
}

/** The element the call is about: the first of `data`, which must not be empty. */
export function firstOf<T>(envelope: { data: T[] }, context: DecodeContext): T {
  const [first] = envelope.data;
  if (first === undefined) {
    throw new ResponseValidationError(
      [{ path: ['data'], message: 'must hold the job, but it is empty', code: 'too_small' }],
      context,
    );
  }
  return first;
}

/** Validates one job in its wire form (a live event's payload) and maps it. */
export function decodeWireJob<F extends ServiceFieldsShape = ServiceFields>(
  wire: unknown,
  options: WireOptions,
  context: DecodeContext = {},
): Job<F> {
  return toJob<F>(validate(wireJobSchema, wire, context), options, [], context);
}

/** A body whose `data` holds jobs: every one of them, mapped. */
export function decodeJobList<F extends ServiceFieldsShape = ServiceFields>(
  body: unknown,
  options: WireOptions,
  context: DecodeContext = {},
): Job<F>[] {
  return mapJobs<F>(validate(jobsEnvelopeSchema, body, context), options, context);
}

/** A body whose `data` holds the one job the call is about; empty `data` is an error. */
export function decodeSingleJob<F extends ServiceFieldsShape = ServiceFields>(
  body: unknown,
  options: WireOptions,
  context: DecodeContext = {},
): Job<F> {
  const envelope = validate(jobsEnvelopeSchema, body, context);
  return toJob<F>(
    firstOf(envelope, context),
    options,
    ['data', 0],
    context,
    isWithoutProtoKey(envelope),
  );
}
