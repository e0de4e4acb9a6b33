import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyPatch, JOB_STATUSES, matchesFilter, type JobRecord } from '#protocol';
import { decodeJob, encodePatchBody } from '../../src/wire';

// Properties tying the wire mapping to the model: what a caller patches is what a later read
// gives back, and the model's filters agree with a naive reading of the protocol.

const verbatimPatch = { serviceFieldKeys: 'verbatim', isPatch: true } as const;
const verbatim = { serviceFieldKeys: 'verbatim' } as const;

const REFUSED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Keys as callers write them: unicode, dots, spaces, underscores, `$`, numbers, empty. */
const anyKey = fc
  .oneof(
    fc.string({ unit: 'grapheme', maxLength: 6 }),
    fc.constantFrom('file.txt', '.', 'a..b', 'my_key', 'my key', '$set', '0', '7', '12', ''),
  )
  // `(dot)` in a key comes back as `.` by design, and the model refuses prototype keys.
  .filter((key) => !key.includes('(dot)') && !REFUSED_KEYS.has(key));

/** The same, without canonical numbers, so that an object key never addresses an array. */
const wordKey = anyKey.filter((key) => !/^(?:0|[1-9][0-9]*)$/.test(key));

function isIndexKeyed(object: object): boolean {
  const keys = Object.keys(object);
  return (
    keys.length > 0 && keys.every((key) => String(Number(key)) === key && Number(key) < keys.length)
  );
}

const jsonLeaf = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);

const dateLeaf = fc.date({
  min: new Date('0001-01-01T00:00:00.000Z'),
  max: new Date('9999-12-31T23:59:59.999Z'),
  noInvalidDate: true,
});

type Tree = { value: unknown; array: unknown[]; object: Record<string, unknown> };

/** Nested service fields: long arrays, arrays of arrays, nulls, empty containers. */
function treeOf(key: fc.Arbitrary<string>, leaf: fc.Arbitrary<unknown>) {
  return fc.letrec<Tree>((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
    array: fc.oneof(
      fc.array(tie('value'), { maxLength: 4 }),
      fc.array(leaf, { minLength: 10, maxLength: 14 }),
    ),
    object: fc
      .dictionary(key, tie('value'), { maxKeys: 4, noNullPrototype: true })
      // An object keyed exactly 0..n-1 reads back as an array: that is the contract.
      .filter((object) => !isIndexKeyed(object)),
  }));
}

/** What a caller's value looks like once it has been through JSON: Dates as ISO strings. */
function asJson(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(asJson);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, asJson(child)]));
  }
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
  );
}

/**
 * The deep merge a caller means by a patch: objects merge key by key, arrays element by element,
 * anything else (leaves, empty containers) replaces what was there. An array patched into a
 * non-empty object adds its indices as keys (docs/protocol.md: a numeric segment on anything but
 * an array is an object key).
 */
function deepMerge(target: unknown, patch: unknown): unknown {
  if (Array.isArray(patch) && patch.length > 0) {
    if (Array.isArray(target)) {
      const merged: unknown[] = [...target];
      patch.forEach((element, index) => (merged[index] = deepMerge(merged[index], element)));
      return merged;
    }
    if (isObject(target) && Object.keys(target).length > 0) {
      const merged: Record<string, unknown> = { ...target };
      patch.forEach((element, index) => (merged[index] = deepMerge(merged[index], element)));
      return merged;
    }
    return patch.map((element) => deepMerge(undefined, element));
  }
  if (isObject(patch) && Object.keys(patch).length > 0) {
    const merged: Record<string, unknown> = isObject(target) ? { ...target } : {};
    for (const [key, child] of Object.entries(patch)) merged[key] = deepMerge(merged[key], child);
    return merged;
  }
  return asJson(patch);
}

function emptyJob(serviceFields?: unknown): JobRecord {
  const job: JobRecord = { job_id: 'j1', user: 'demo', status: 'WAITING' };
  if (serviceFields !== undefined) job.service_fields = serviceFields;
  return job;
}

function patchAndRead(job: JobRecord, serviceFields: Record<string, unknown>): unknown {
  const body = encodePatchBody({ serviceFields }, verbatimPatch);
  return decodeJob(applyPatch(job, body), verbatim).serviceFields;
}

describe('patch, store and read back', () => {
  const anyTree = treeOf(anyKey, fc.oneof(jsonLeaf, dateLeaf));

  it('gives back the service fields that were patched into an empty job', () => {
    const nonEmpty = anyTree.object.filter((object) => Object.keys(object).length > 0);
    fc.assert(
      fc.property(nonEmpty, (serviceFields) => {
        expect(patchAndRead(emptyJob(), serviceFields)).toEqual(asJson(serviceFields));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives back top-level service fields keyed "0" … "n-1" as the object they were', () => {
    // Only the top level: below it such an object reads back as an array (the contract).
    const indexKeyed = fc
      .array(anyTree.value, { minLength: 1, maxLength: 12 })
      .map((values) => Object.fromEntries(values.map((value, index) => [String(index), value])));
    fc.assert(
      fc.property(indexKeyed, (serviceFields) => {
        expect(patchAndRead(emptyJob(), serviceFields)).toEqual(asJson(serviceFields));
      }),
      { numRuns: 1000 },
    );
  });

  it('gives back the deep merge of the stored fields and the patch', () => {
    const stored = treeOf(wordKey, jsonLeaf).object;
    const patch = treeOf(wordKey, fc.oneof(jsonLeaf, dateLeaf)).object.filter(
      (object) => Object.keys(object).length > 0,
    );
    fc.assert(
      fc.property(stored, patch, (existing, update) => {
        expect(patchAndRead(emptyJob(existing), update)).toEqual(deepMerge(existing, update));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('matchesFilter against a naive reading of the protocol', () => {
  const scalar = fc.oneof(
    fc.constant(null),
    fc.integer({ min: -2, max: 2 }),
    fc.constantFrom('a', 'b', ''),
    fc.boolean(),
  );
  const status = fc.constantFrom(...JOB_STATUSES, 'NEWER_STATUS');
  const jobs = fc.array(
    fc
      .record({ status, value: fc.option(scalar, { nil: undefined }) })
      .map(({ status, value }) => ({
        ...emptyJob(value === undefined ? {} : { v: value }),
        status,
      })),
    { maxLength: 12 },
  );

  /** null stands for missing; everything else is strict equality of scalars. */
  function naiveEquals(value: unknown, operand: unknown): boolean {
    return operand === null ? value === undefined || value === null : value === operand;
  }

  function storedValue(job: JobRecord): unknown {
    return (job.service_fields as { v?: unknown }).v;
  }

  it('agrees on $in over status', () => {
    fc.assert(
      fc.property(jobs, fc.array(status, { maxLength: 4 }), (all, wanted) => {
        const matched = all.filter((job) => matchesFilter(job, { status: { $in: wanted } }));
        expect(matched).toEqual(all.filter((job) => wanted.includes(job.status)));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees on $in and $nin over a service field', () => {
    fc.assert(
      fc.property(jobs, fc.array(scalar, { maxLength: 4 }), (all, wanted) => {
        const isIn = (job: JobRecord) =>
          wanted.some((operand) => naiveEquals(storedValue(job), operand));
        expect(
          all.filter((job) => matchesFilter(job, { 'service_fields.v': { $in: wanted } })),
        ).toEqual(all.filter(isIn));
        expect(
          all.filter((job) => matchesFilter(job, { 'service_fields.v': { $nin: wanted } })),
        ).toEqual(all.filter((job) => !isIn(job)));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees on $eq, $ne and literal equality over a service field', () => {
    fc.assert(
      fc.property(jobs, scalar, (all, operand) => {
        const expected = all.filter((job) => naiveEquals(storedValue(job), operand));
        expect(
          all.filter((job) => matchesFilter(job, { 'service_fields.v': { $eq: operand } })),
        ).toEqual(expected);
        expect(all.filter((job) => matchesFilter(job, { 'service_fields.v': operand }))).toEqual(
          expected,
        );
        expect(
          all.filter((job) => matchesFilter(job, { 'service_fields.v': { $ne: operand } })),
        ).toEqual(all.filter((job) => !naiveEquals(storedValue(job), operand)));
      }),
      { numRuns: 3000 },
    );
  });
});
