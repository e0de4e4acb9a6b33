import fc from 'fast-check';
import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { compileSchema } from '../../src/internal/schema-compiler/compiler';
import {
  changesEnvelopeSchema,
  jobsEnvelopeSchema,
  statusEnvelopeSchema,
  wireJobSchema,
} from '../../src/decode/wire-schemas';

// On Node the response schemas are validated by zod's compiler (src/internal/decode). Its verdict
// must be the interpreter's on every body, or a job would pass in one place and fail in another.

const schemas = {
  jobsEnvelopeSchema,
  changesEnvelopeSchema,
  statusEnvelopeSchema,
  wireJobSchema,
};

/**
 * A value of the right type, and now and then one of a wrong type or none (undefined): rarely
 * enough that about half of the generated bodies are valid, so both verdicts are compared.
 */
const anyOf = (...right: fc.Arbitrary<unknown>[]) =>
  fc.oneof(
    { weight: 60, arbitrary: fc.oneof(...right) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.constant(undefined),
        fc.constant(null),
        fc.integer(),
        fc.double(),
        fc.string(),
        fc.boolean(),
        fc.constant([]),
        fc.constant({}),
      ),
    },
  );

const time = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('2019-06-18T15:31:45.610+0000', '2019-06-18T15:31:45Z') },
  {
    weight: 6,
    arbitrary: fc
      .date({ min: new Date(0), max: new Date('2999-12-31'), noInvalidDate: true })
      .map((date) => date.toISOString()),
  },
  { weight: 1, arbitrary: fc.constantFrom('2019-02-30T00:00:00Z', '2019-06-18 15:31:45', '') },
);
const text = anyOf(fc.string(), fc.constant(null));
const progress = anyOf(
  fc.record({
    completed: anyOf(fc.integer()),
    total: anyOf(fc.integer()),
    percent: anyOf(fc.double()),
  }),
  fc.constant(null),
);
const logEntry = fc.record({ time, level: anyOf(fc.string()), message: anyOf(fc.string()) });
const wireJob = fc.record(
  {
    job_id: anyOf(fc.string()),
    user: anyOf(fc.string()),
    status: anyOf(fc.constantFrom('WAITING', 'SUCCEEDED', 'SOMETHING_NEW')),
    job_name: text,
    current_stage: text,
    parent_id: text,
    child_ids: anyOf(fc.array(anyOf(fc.string())), fc.constant(null)),
    update_parent: anyOf(fc.boolean(), fc.constant(null)),
    service_fields: anyOf(fc.dictionary(fc.string(), fc.jsonValue()), fc.constant(null)),
    created: anyOf(time),
    modified: anyOf(time),
    progress,
    logs: anyOf(fc.array(logEntry, { maxLength: 3 }), fc.constant(null)),
    __proto__: fc.jsonValue(),
    extra_field: fc.jsonValue(),
  },
  { requiredKeys: ['job_id', 'user', 'status', 'created', 'modified'] },
);
const count = fc.oneof(
  { weight: 12, arbitrary: fc.nat() },
  { weight: 1, arbitrary: fc.oneof(fc.integer({ min: -3, max: -1 }), fc.double(), fc.string()) },
);
const envelope = fc.record(
  {
    response_type: fc.constantFrom('SUCCESS', 'SUCCESS', 'SUCCESS', 'ERROR'),
    data: anyOf(fc.array(wireJob, { maxLength: 2 })),
    total_count: count,
    offset: count,
    has_more: anyOf(fc.boolean()),
    next_cursor: text,
    stamp: count,
  },
  { requiredKeys: ['response_type', 'data'] },
);
/** Bodies as they arrive: through JSON, so `__proto__` is an own key, as JSON.parse makes it. */
const asReceived = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
const bodies = {
  jobsEnvelopeSchema: envelope.map(asReceived),
  changesEnvelopeSchema: envelope.map(asReceived),
  statusEnvelopeSchema: envelope.map(asReceived),
  wireJobSchema: wireJob.map(asReceived),
};

describe('zod compiler and interpreter on the response schemas', () => {
  it.each(Object.entries(schemas))('compiles %s', (_name, schema) => {
    expect(compileSchema(schema)).toBeDefined();
  });

  it.each(Object.entries(schemas))('gives the interpreter’s verdict with %s', (name, schema) => {
    const compiled = compileSchema(schema);
    if (compiled === undefined) throw new Error('the schema did not compile');
    const verdicts = { valid: 0, invalid: 0 };
    fc.assert(
      fc.property(bodies[name as keyof typeof bodies], (value) => {
        const valid = schema.safeParse(value).success;
        verdicts[valid ? 'valid' : 'invalid'] += 1;
        expect(z.validate(compiled, value)).toBe(valid);
      }),
      { numRuns: 2000 },
    );
    // Both verdicts were compared, many times each.
    expect(Math.min(verdicts.valid, verdicts.invalid)).toBeGreaterThan(200);
  });
});
