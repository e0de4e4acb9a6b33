// Random inputs for the differential tests: job documents, wire-form PATCH bodies, filters and
// sorts. Values come from small pools, and patches and filters are drawn partly from the paths
// and values of the documents they meet, so that paths hit, equalities hold and comparisons land
// on both sides (a random string almost never equals another). A few rare choices reach the
// edges: refusals, long padding, non-canonical indexes, astral characters, extreme doubles.
import fc from 'fast-check';
import { SORTABLE_FIELDS, type SortKey, type JobRecord } from '#protocol';

/** Keys of service-field objects, and so path segments: dots, `$`, numbers canonical or not. */
const KEY_POOL = ['a', 'b', 'c', '0', '1', '2', '10', '01', '-1', 'x.y', '$k', 'ü', 'A b', ''];

const STRING_POOL = ['', 'a', 'b', 'A', 'ab', 'é', '😀', '\uE000', 'a.b', '2', '10', '$x'];

/** Pool strings, and now and then any short string (no NUL: PostgreSQL text cannot hold it). */
const text = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...STRING_POOL) },
  { weight: 1, arbitrary: fc.string({ maxLength: 5 }).filter((value) => !value.includes('\0')) },
);

const nullableText = fc.oneof(fc.constant(null), text);

const number = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -2, max: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(0.5, -0, 1e21, 2 ** 53 + 2, -1.5e-7) },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
);

/** A JSON scalar. */
const scalar = fc.oneof(fc.constant(null), fc.boolean(), number, text);

type Tree = { value: unknown; array: unknown[]; object: Record<string, unknown> };

const tree = fc.letrec<Tree>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, tie('array'), tie('object')),
  array: fc.oneof(
    { weight: 4, arbitrary: fc.array(tie('value'), { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.array(scalar, { minLength: 10, maxLength: 13 }) },
  ),
  object: fc.dictionary(fc.constantFrom(...KEY_POOL), tie('value'), {
    maxKeys: 4,
    noNullPrototype: true,
  }),
}));

/** Any JSON value, nested. */
const jsonValue = tree.value;

/** A `service_fields` document. */
export const serviceFields = tree.object;

/** Every path (as segments) inside `value`, down to `depth` levels. */
function pathsIn(value: unknown, depth = 3): string[][] {
  if (depth === 0 || typeof value !== 'object' || value === null) return [];
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((child, index) => [String(index), child])
    : Object.entries(value);
  return entries.flatMap(([key, child]) => [
    [key],
    ...pathsIn(child, depth - 1).map((rest) => [key, ...rest]),
  ]);
}

/** The value at `path` inside `value` (undefined when missing), walking arrays by index. */
function valueAt(value: unknown, path: string[]): unknown {
  let current = value;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** `service_fields.<path>` with each segment's `.` escaped as `(dot)`. */
const toWireKey = (path: string[]) =>
  `service_fields.${path.map((segment) => segment.replaceAll('.', '(dot)')).join('.')}`;

/** One path segment as a caller might write it, beyond the pool of stored keys. */
const segment = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...KEY_POOL) },
  { weight: 2, arbitrary: fc.constantFrom('3', '11') },
  // An index past the end pads with nulls, up to 10 000 of them; one more is refused.
  { weight: 1, arbitrary: fc.constantFrom('10000', '10001', '99999999999') },
);

const randomPath = fc.array(segment, { minLength: 1, maxLength: 3 });

/** A path into `document`: an existing one (now and then extended), or any. */
function pathInto(document: unknown): fc.Arbitrary<string[]> {
  const existing = pathsIn(document);
  if (existing.length === 0) return randomPath;
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...existing) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...existing), randomPath)
        .map(([head, tail]) => [...head, ...tail]),
    },
    { weight: 2, arbitrary: randomPath },
  );
}

const STATUSES = ['WAITING', 'WORKING', 'SUCCEEDED', 'FAILED', 'ABORTED', 'NEW_STATUS'];

/** A top-level PATCH entry: mostly valid, sometimes a refused field or value. */
const topLevelEntry: fc.Arbitrary<[string, unknown]> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constant('status'), fc.constantFrom(...STATUSES)) },
  {
    weight: 6,
    arbitrary: fc.tuple(fc.constantFrom('job_name', 'current_host', 'current_stage'), nullableText),
  },
  {
    weight: 4,
    arbitrary: fc.tuple(
      fc.constant('child_ids'),
      fc.oneof(fc.constant(null), fc.array(text, { maxLength: 3 })),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.tuple(fc.constant('status'), fc.constantFrom('working', '', 'A'.repeat(100), 7)),
      fc.tuple(fc.constantFrom('service', 'user', 'created', 'service_fields', 'progress'), text),
      fc.tuple(fc.constantFrom('job_name', 'child_ids'), fc.constantFrom(5, [1], { a: 1 })),
    ),
  },
);

/** A `service_fields.<path>` PATCH entry for `document`; rarely a segment that is refused. */
function serviceFieldEntry(document: unknown): fc.Arbitrary<[string, unknown]> {
  const refusedPath = fc
    .tuple(randomPath, fc.constantFrom('__proto__', 'constructor', 'prototype'))
    .map(([path, refused]) => [...path, refused]);
  return fc.tuple(
    fc
      .oneof({ weight: 40, arbitrary: pathInto(document) }, { weight: 1, arbitrary: refusedPath })
      .map(toWireKey),
    jsonValue,
  );
}

/**
 * A PATCH body in wire form for a job holding `document`: `service_fields.<path>` keys (most of
 * them) with any JSON value, and top-level fields. Later keys may set inside, or over, what
 * earlier ones set.
 */
export function patchBodyFor(document: unknown): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .array(
      fc.oneof(
        { weight: 5, arbitrary: serviceFieldEntry(document) },
        { weight: 1, arbitrary: topLevelEntry },
      ),
      { minLength: 1, maxLength: 5 },
    )
    .map((entries) => {
      const body: Record<string, unknown> = {};
      for (const [key, value] of entries) body[key] = value;
      return body;
    });
}

const BASE_TIME = Date.UTC(2020, 0, 1);

/** Times a few seconds apart, often equal, so that comparisons land on every side. */
const timeMillis = fc.integer({ min: 0, max: 6 }).map((step) => BASE_TIME + step * 1_500);

/** A time as the server writes it: `2020-01-01T00:00:01.500+0000`. */
const jssTime = timeMillis.map((millis) => new Date(millis).toISOString().replace('Z', '+0000'));

/** A time as a filter may write it: any accepted zone form, with or without a fraction. */
const filterTime = fc
  .tuple(timeMillis, fc.constantFrom('Z', '+0000', '+02:00', '-0130', '+05:45'), fc.boolean())
  .map(([millis, zone, fraction]) => {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.replace(/[^0-9]/g, '');
    const offsetMinutes =
      zone === 'Z' ? 0 : sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
    const local = new Date(millis + offsetMinutes * 60_000).toISOString().slice(0, -1);
    // Six fraction digits are cut to milliseconds; none at all drops the .500 of half the times.
    return `${fraction ? `${local}123` : local.slice(0, 19)}${zone}`;
  });

const JOB_IDS = ['j-a', 'j-b', 'j-c', 'J', 'j-é', 'j-😀', 'j-10', 'j-2'];
const USERS = ['u1', 'u2', 'U'];

/** Random jobs with distinct ids, every top-level field set (null where nullable). */
export const jobDocuments: fc.Arbitrary<JobRecord[]> = fc
  .uniqueArray(fc.constantFrom(...JOB_IDS), { minLength: 1, maxLength: 7 })
  .chain((ids) =>
    fc.tuple(
      ...ids.map((jobId) =>
        fc.record(
          {
            job_id: fc.constant(jobId),
            user: fc.constantFrom(...USERS),
            status: fc.constantFrom(...STATUSES),
            job_name: nullableText,
            service: nullableText,
            current_host: nullableText,
            current_stage: nullableText,
            origination_host: nullableText,
            parent_id: fc.oneof(fc.constant(null), fc.constantFrom(...JOB_IDS)),
            child_ids: fc.oneof(
              fc.constant(null),
              fc.array(fc.constantFrom(...JOB_IDS), { maxLength: 3 }),
            ),
            update_parent: fc.boolean(),
            service_fields: serviceFields,
            created: jssTime,
            modified: jssTime,
          },
          { noNullPrototype: true },
        ),
      ),
    ),
  );

type FieldKind = 'text' | 'child_ids' | 'update_parent' | 'time' | 'path';

const TOP_LEVEL_KINDS: Readonly<Record<string, FieldKind>> = {
  job_id: 'text',
  user: 'text',
  status: 'text',
  job_name: 'text',
  service: 'text',
  current_host: 'text',
  current_stage: 'text',
  origination_host: 'text',
  parent_id: 'text',
  child_ids: 'child_ids',
  update_parent: 'update_parent',
  created: 'time',
  modified: 'time',
};

/** The values `seen` in the documents, mostly, else `other`. */
function seenOr(seen: unknown[], other: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const present = seen.filter((value) => value !== undefined);
  return present.length === 0
    ? other
    : fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...present) },
        { weight: 2, arbitrary: other },
      );
}

/** A value to compare a field of this kind with: mostly of its type, sometimes not. */
function literalFor(kind: FieldKind, seen: unknown[]): fc.Arbitrary<unknown> {
  const odd = fc.oneof(number, fc.boolean(), fc.constant({}), fc.constant({ $gt: 1 }));
  switch (kind) {
    case 'text':
      return fc.oneof(
        {
          weight: 16,
          arbitrary: seenOr(
            seen,
            fc.constantFrom(...JOB_IDS, ...USERS, ...STATUSES, ...STRING_POOL),
          ),
        },
        { weight: 2, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: odd },
      );
    case 'child_ids':
      return fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...JOB_IDS) },
        {
          weight: 4,
          arbitrary: seenOr(seen, fc.array(fc.constantFrom(...JOB_IDS), { maxLength: 2 })),
        },
        { weight: 2, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: odd },
      );
    case 'update_parent':
      return fc.oneof(
        { weight: 12, arbitrary: fc.boolean() },
        { weight: 2, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: odd },
      );
    case 'time':
      return fc.oneof(
        { weight: 30, arbitrary: filterTime },
        { weight: 2, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.oneof(fc.constant('soon'), number) },
      );
    case 'path':
      return seenOr(seen, fc.oneof({ weight: 4, arbitrary: scalar }, jsonValue));
  }
}

/** An operand of `$gt`/`$gte`/`$lt`/`$lte`: a number or a string of the field's kind, rarely not. */
function comparableFor(kind: FieldKind, seen: unknown[]): fc.Arbitrary<unknown> {
  const odd = fc.constantFrom(null, true, {}, [1]);
  if (kind === 'time') {
    return fc.oneof(
      { weight: 30, arbitrary: filterTime },
      { weight: 1, arbitrary: fc.oneof(fc.constant('2020-13-01T00:00:00Z'), number, odd) },
    );
  }
  const comparable = seen.filter((value) => typeof value === 'string' || typeof value === 'number');
  return fc.oneof(
    { weight: 30, arbitrary: seenOr(comparable, fc.oneof(number, text)) },
    { weight: 1, arbitrary: odd },
  );
}

function operatorsFor(kind: FieldKind, seen: unknown[]): fc.Arbitrary<Record<string, unknown>> {
  const literal = literalFor(kind, seen);
  const list = fc.oneof(
    { weight: 30, arbitrary: fc.array(literal, { maxLength: 3 }) },
    { weight: 1, arbitrary: literal },
  );
  const comparable = comparableFor(kind, seen);
  const operands: Record<string, fc.Arbitrary<unknown>> = {
    $eq: literal,
    $ne: literal,
    $in: list,
    $nin: list,
    $gt: comparable,
    $gte: comparable,
    $lt: comparable,
    $lte: comparable,
    $exists: fc.oneof({ weight: 30, arbitrary: fc.boolean() }, fc.constant('yes')),
  };
  // One operator most of the time: a conjunction of random conditions seldom holds.
  const names = (count: number) =>
    fc.uniqueArray(fc.constantFrom(...Object.keys(operands)), {
      minLength: count,
      maxLength: count,
    });
  const allowed = fc
    .oneof({ weight: 3, arbitrary: names(1) }, { weight: 1, arbitrary: names(2) })
    .chain((chosen) =>
      fc
        .tuple(...chosen.map((name) => operands[name]!))
        .map((values) => Object.fromEntries(chosen.map((name, index) => [name, values[index]]))),
    );
  const refused = fc.oneof(
    fc.record({ $where: fc.constant('true') }),
    fc.record({ $regex: fc.constant('.*') }),
    fc.record({ $gt: fc.constant(1), plain: fc.constant(2) }),
  );
  return fc.oneof({ weight: 40, arbitrary: allowed }, { weight: 1, arbitrary: refused });
}

/** One filter entry over `jobs`: a field (top-level or service-field path) and its condition. */
function filterEntryFor(jobs: JobRecord[]): fc.Arbitrary<[string, unknown]> {
  const documents = jobs.map((job) => job.service_fields);
  const existing = [
    ...new Map(documents.flatMap((d) => pathsIn(d)).map((p) => [toWireKey(p), p])).values(),
  ];
  const servicePath = (
    existing.length === 0
      ? randomPath
      : fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom(...existing) },
          { weight: 1, arbitrary: randomPath },
        )
  ).map((path) => ({
    key: toWireKey(path),
    seen: documents.map((document) => valueAt(document, path)),
  }));
  const topLevel = fc
    .constantFrom(...Object.keys(TOP_LEVEL_KINDS))
    .map((key) => ({ key, seen: jobs.map((job) => job[key]) }));
  const unknown = fc
    .constantFrom('progress', 'service_fields', 'bogus', '$where')
    .map((key) => ({ key, seen: [] as unknown[] }));
  return fc
    .oneof(
      { weight: 20, arbitrary: topLevel },
      { weight: 20, arbitrary: servicePath },
      { weight: 1, arbitrary: unknown },
    )
    .chain(({ key, seen }) => {
      const kind = TOP_LEVEL_KINDS[key] ?? 'path';
      return fc.tuple(
        fc.constant(key),
        fc.oneof(
          { weight: 1, arbitrary: literalFor(kind, seen) },
          { weight: 2, arbitrary: operatorsFor(kind, seen) },
        ),
      );
    });
}

/** A wire filter over `jobs`: 1 or 2 conditions (rarely none), now and then a refused one. */
export function filterBodyFor(jobs: JobRecord[]): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .oneof(
      { weight: 1, arbitrary: fc.constant([]) },
      { weight: 8, arbitrary: fc.array(filterEntryFor(jobs), { minLength: 1, maxLength: 1 }) },
      { weight: 4, arbitrary: fc.array(filterEntryFor(jobs), { minLength: 2, maxLength: 2 }) },
    )
    .map((entries) => Object.fromEntries(entries) as Record<string, unknown>);
}

/** A sort as the query parameter writes it and as the model takes it (empty: the default). */
export const sortOrder: fc.Arbitrary<{ param: string | undefined; keys: SortKey[] }> = fc
  .uniqueArray(
    fc.record({ field: fc.constantFrom(...SORTABLE_FIELDS), descending: fc.boolean() }),
    {
      maxLength: 3,
      selector: (key) => key.field,
    },
  )
  .map((chosen) => {
    const keys = chosen.map(({ field, descending }): SortKey => ({
      field,
      direction: descending ? -1 : 1,
    }));
    const param = chosen.map(({ field, descending }) => `${descending ? '-' : ''}${field}`);
    return { param: param.length === 0 ? undefined : param.join(','), keys };
  });
