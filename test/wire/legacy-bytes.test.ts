import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFilterBody, encodePatchBody, type PatchWireOptions } from '../../src/wire';

// The legacy client's request path, written the slow, obvious way as a reference: its mapper
// (lodash omit/reduce: the other fields, then the flattened service fields spread after them,
// `.` in a key escaped as `(dot)`), then axios' transformRequest `humps.decamelizeKeys` over the
// whole body, which decamelized each dotted key as one string.

function humpsDecamelize(key: string): string {
  return key
    .split(/(?=[A-Z])/)
    .join('_')
    .toLowerCase();
}

function humpsDecamelizeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(humpsDecamelizeKeys);
  if (value instanceof Date || typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [humpsDecamelize(key), humpsDecamelizeKeys(child)]),
  );
}

function isBasicType(value: unknown): boolean {
  return typeof value !== 'object' || value === null || value instanceof Date;
}

function legacyFlatten(
  fields: unknown,
  isPatch: boolean,
  updateKey: string,
  into: Record<string, unknown>,
): void {
  for (const [key, value] of Object.entries(fields as object)) {
    const newKey = `${updateKey}.${key.replace(/\./g, '(dot)')}`;
    if (isBasicType(value) || !isPatch) into[newKey] = value;
    else legacyFlatten(value, isPatch, newKey, into);
  }
}

function legacyClientBody(update: Record<string, unknown>, isPatch: boolean): string {
  const { serviceFields, ...nonServiceFields } = update;
  const flattened: Record<string, unknown> = {};
  if (serviceFields) legacyFlatten(serviceFields, isPatch, 'service_fields', flattened);
  return JSON.stringify(humpsDecamelizeKeys({ ...nonServiceFields, ...flattened }));
}

// What the legacy client handled without its defects (Part 2 of the contract, fixed here):
// non-empty containers, no array directly inside an array, no null array element. Keys exclude
// those the contract keeps unconverted one by one (`$…`, numbers), where humps had no exception:
// a digit-led key with capitals is still generated, inside a path.
const key = fc
  .string({ unit: fc.constantFrom(...'aAbBzZ09_ .'), minLength: 1, maxLength: 6 })
  .filter((candidate) => Number.isNaN(Number(candidate)));
const leaf = fc.oneof(
  fc.string({ maxLength: 4 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }),
);
const { object: serviceFields } = fc.letrec<{
  value: unknown;
  element: unknown;
  object: Record<string, unknown>;
}>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    leaf,
    tie('object'),
    fc.array(tie('element'), { minLength: 1, maxLength: 3 }),
  ),
  element: fc.oneof(
    { depthSize: 'small' },
    leaf.filter((value) => value !== null),
    tie('object'),
  ),
  object: fc.dictionary(key, tie('value'), { minKeys: 1, maxKeys: 3, noNullPrototype: true }),
}));

const otherFields = fc.record(
  {
    status: fc.constantFrom('WAITING', 'WORKING'),
    jobName: fc.option(fc.string({ maxLength: 4 })),
    currentStage: fc.string({ maxLength: 4 }),
    childIds: fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }),
  },
  { requiredKeys: [] },
);

/** An update with the service fields at any position among the other fields. */
const update = fc
  .tuple(otherFields, fc.option(serviceFields, { nil: undefined }), fc.nat())
  .map(([others, fields, position]) => {
    const entries: [string, unknown][] = Object.entries(others);
    if (fields !== undefined)
      entries.splice(position % (entries.length + 1), 0, ['serviceFields', fields]);
    return Object.fromEntries(entries);
  });

const modes: fc.Arbitrary<PatchWireOptions> = fc.record({
  serviceFieldKeys: fc.constantFrom('snake_case', 'verbatim'),
  keyCasing: fc.constantFrom('per-segment', 'legacy'),
  isPatch: fc.boolean(),
});

function isServiceFieldKey(wireKey: string): boolean {
  return wireKey.startsWith('service_fields.');
}

describe('legacy bytes', () => {
  it("sends exactly the legacy client's PATCH body with keyCasing 'legacy', in either mode", () => {
    fc.assert(
      fc.property(update, fc.boolean(), (given, isPatch) => {
        const options = { serviceFieldKeys: 'snake_case', keyCasing: 'legacy', isPatch } as const;
        expect(JSON.stringify(encodePatchBody(given, options))).toBe(
          legacyClientBody(given, isPatch),
        );
      }),
      { numRuns: 3000 },
    );
  });

  it('sends the other fields of any patch first, in their order, then the service fields', () => {
    fc.assert(
      fc.property(update, modes, (given, options) => {
        const keys = Object.keys(encodePatchBody(given, options));
        const firstServiceField = keys.findIndex(isServiceFieldKey);
        const others = firstServiceField === -1 ? keys : keys.slice(0, firstServiceField);
        expect(others).toEqual(
          Object.keys(encodePatchBody({ ...given, serviceFields: undefined }, options)),
        );
        expect(keys.slice(others.length).every(isServiceFieldKey)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('sends the other conditions of any filter first, then the service fields', () => {
    fc.assert(
      fc.property(update, modes, (given, options) => {
        const keys = Object.keys(encodeFilterBody(given, options));
        const firstServiceField = keys.findIndex(isServiceFieldKey);
        if (firstServiceField !== -1) {
          expect(keys.slice(firstServiceField).every(isServiceFieldKey)).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
