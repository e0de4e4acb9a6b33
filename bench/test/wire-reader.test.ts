// The hand-written reader of src/schemas/wire-reader.ts must never accept what zod refuses, and
// must return exactly what zod returns (keys, their order, prototypes, holes) when it accepts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jobsEnvelopeSchema, wireJobSchema } from '../../src/schemas/wire';
import { readJobsEnvelope, readWireJob, wireReaderActive } from '../../src/schemas/wire-reader';
import { jobsEnvelope, wireJob } from '../lib/fixtures';

/** Everything observable about a value: own keys in order (`__proto__` included), prototypes, holes. */
function anatomy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) {
    return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  const kind =
    prototype === Object.prototype
      ? 'object'
      : prototype === Array.prototype
        ? 'array'
        : prototype === null
          ? 'null-prototype'
          : `other:${String((value as object).constructor?.name)}`;
  const entries = Reflect.ownKeys(value).map((key) => {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    return [String(key), descriptor?.enumerable ?? false, anatomy(descriptor?.value)];
  });
  return { kind, entries };
}

const date = fc.constantFrom(
  '2019-06-18T15:31:45.610+0000',
  '2019-06-18T15:31:45Z',
  '2019-02-30T00:00:00+00:00',
  '2019-06-18 15:31:45Z',
  'yesterday',
);
const oddValue = fc.oneof(
  fc.constantFrom(undefined, null, NaN, Infinity, -1, 1.5, 0, 7, '', 'x', true, false),
  fc.constant(new Date(0)),
  fc.constant([]),
  fc.constant({}),
  fc.constant(Object.create(null) as object),
  fc.constant(['a', 1]),
);
const looseExtras = fc.dictionary(
  fc.constantFrom('extra', '__proto__', 'constructor', 'toString', '0', 'job_id', 'time'),
  oddValue,
  { maxKeys: 3 },
);

/** Mostly `nothing`, sometimes `arbitrary`: most generated jobs must stay valid to compare outputs. */
function rarely<T>(arbitrary: fc.Arbitrary<T>, nothing: T): fc.Arbitrary<T> {
  return fc.oneof({ weight: 3, arbitrary: fc.constant(nothing) }, { weight: 1, arbitrary });
}

/** Copies own keys as data properties: an own `__proto__` stays a key and never sets a prototype. */
function put(target: Record<string, unknown>, ...sources: object[]): Record<string, unknown> {
  for (const source of sources) {
    for (const [key, value] of Object.entries(source)) {
      Object.defineProperty(target, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return target;
}

/** A wire job with some fields mutated, dropped, or added, and some keys reordered. */
const mutatedJob = fc
  .record({
    index: fc.nat(50),
    drop: rarely(
      fc.subarray([
        'job_name',
        'status',
        'created',
        'logs',
        'progress',
        'service_fields',
        'child_ids',
      ]),
      [],
    ),
    replace: rarely(
      fc.dictionary(
        fc.constantFrom(
          'job_id',
          'status',
          'job_name',
          'child_ids',
          'update_parent',
          'service_fields',
          'created',
          'modified',
          'progress',
          'logs',
        ),
        fc.oneof(oddValue, date),
        { maxKeys: 2 },
      ),
      {},
    ),
    extras: looseExtras,
    progressExtras: fc.oneof(
      looseExtras,
      fc.dictionary(fc.constantFrom('completed', 'total', 'percent'), oddValue, { maxKeys: 2 }),
    ),
    logExtras: fc.oneof(
      looseExtras,
      fc.dictionary(fc.constantFrom('time', 'level', 'message'), fc.oneof(oddValue, date), {
        maxKeys: 2,
      }),
    ),
    sfExtras: looseExtras,
    reverse: fc.boolean(),
    viaJson: fc.boolean(),
  })
  .map(
    ({ index, drop, replace, extras, progressExtras, logExtras, sfExtras, reverse, viaJson }) => {
      const job = wireJob(index);
      job.progress = put({}, job.progress as object, progressExtras);
      (job.logs as unknown[])[0] = put({}, (job.logs as object[])[0] as object, logExtras);
      job.service_fields = put({}, job.service_fields as object, sfExtras);
      for (const key of drop) delete job[key];
      put(job, replace, extras);
      const ordered = reverse ? put({}, Object.fromEntries(Object.entries(job).reverse())) : job;
      // Through JSON, `__proto__` keys become own properties, as in a real answer.
      return viaJson ? (JSON.parse(JSON.stringify(ordered)) as unknown) : ordered;
    },
  );

describe('readWireJob', () => {
  it('is in use: every schema field has a rule', () => {
    expect(wireReaderActive).toBe(true);
  });

  it('accepts a realistic job and returns what zod returns for it', () => {
    const job = JSON.parse(JSON.stringify(wireJob(3))) as unknown;
    const read = readWireJob(job);
    expect(read).toBeDefined();
    expect(anatomy(read)).toEqual(anatomy(wireJobSchema.parse(job)));
  });

  it('accepts nothing zod refuses and returns exactly what zod returns otherwise', () => {
    let accepted = 0;
    fc.assert(
      fc.property(mutatedJob, (job) => {
        const read = readWireJob(job);
        if (read === undefined) return;
        accepted++;
        const parsed = wireJobSchema.safeParse(job);
        expect(parsed.success).toBe(true);
        expect(anatomy(read)).toEqual(anatomy(parsed.data));
      }),
      { numRuns: 3000 },
    );
    // Comparing outputs proves something only if the reader accepts a good share of the jobs.
    expect(accepted).toBeGreaterThan(600);
  });

  it('declines a job whose created time is not a JSS time', () => {
    expect(readWireJob({ ...wireJob(1), created: 'last tuesday' })).toBeUndefined();
  });
});

describe('readJobsEnvelope', () => {
  it('returns what zod returns for an answer of 20 jobs', () => {
    const body = JSON.parse(JSON.stringify(jobsEnvelope(20))) as unknown;
    expect(anatomy(readJobsEnvelope(body))).toEqual(anatomy(jobsEnvelopeSchema.parse(body)));
  });

  it('accepts no envelope zod refuses, whatever its paging fields hold', () => {
    const envelope = fc.record(
      {
        response_type: fc.constantFrom('SUCCESS', 'CLIENT_ERROR', undefined),
        total_count: oddValue,
        offset: oddValue,
        has_more: oddValue,
        next_cursor: oddValue,
        stamp: oddValue,
        data: fc.oneof(fc.array(mutatedJob, { maxLength: 3 }), oddValue),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(envelope, (body) => {
        const read = readJobsEnvelope(body);
        if (read === undefined) return;
        const parsed = jobsEnvelopeSchema.safeParse(body);
        expect(parsed.success).toBe(true);
        expect(anatomy(read)).toEqual(anatomy(parsed.data));
      }),
      { numRuns: 2000 },
    );
  });
});
