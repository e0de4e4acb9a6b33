import { describe, expect, it } from 'vitest';
import { matchesFilter, validateFilter, type JobRecord } from '#protocol';

function job(extra: Record<string, unknown> = {}): JobRecord {
  return {
    job_id: 'j1',
    user: 'demo',
    status: 'WORKING',
    created: '2019-06-18T15:31:45.610+0000',
    ...extra,
  };
}

describe('validateFilter', () => {
  it('accepts every documented field, operator and operand', () => {
    expect(
      validateFilter({
        user: 'demo',
        status: { $in: ['FAILED'], $nin: [] },
        job_name: null,
        child_ids: 'c1',
        update_parent: { $exists: true },
        created: { $gte: '2019-01-01T00:00:00Z', $lt: '2020-01-01T00:00:00.000+0000' },
        modified: { $ne: null },
        'service_fields.size': { $gt: 1, $lte: 'z', $eq: { any: ['json'] } },
        'service_fields.file(dot)txt': 'x',
      }),
    ).toBeUndefined();
  });

  it.each([
    ['a field outside the list', { owner: 'x' }],
    ['service_fields without a path', { service_fields: {} }],
    ['a top-level operator', { $where: 'true' }],
    ['an unknown operator', { user: { $regex: 'a' } }],
    ['operators mixed with keys', { 'service_fields.a': { $eq: 1, b: 2 } }],
    ['$in without an array', { status: { $in: 'FAILED' } }],
    ['$nin without an array', { status: { $nin: null } }],
    ['$exists without a boolean', { job_name: { $exists: 1 } }],
    ['$gt with a boolean', { 'service_fields.a': { $gt: true } }],
    ['$lt with an object', { 'service_fields.a': { $lt: {} } }],
    ['$gte with a non-finite number', { 'service_fields.a': { $gte: Infinity } }],
    ['a time compared with a non-date', { created: { $gt: 'yesterday' } }],
    ['a time compared with a number', { modified: { $lt: 5 } }],
    ['a time equal to a non-date', { created: 'soon' }],
    ['a time in $in that is not a date', { created: { $in: ['2019-06-18T15:31:45Z', 'x'] } }],
  ])('refuses %s with invalid_filter (400)', (_name, filter) => {
    const error = validateFilter(filter);
    expect([error?.code, error?.status]).toEqual(['invalid_filter', 400]);
  });

  it('refuses a filter that is not an object', () => {
    expect(validateFilter(['user'])).toHaveProperty('code', 'invalid_filter');
    expect(validateFilter(null)).toHaveProperty('code', 'invalid_filter');
  });
});

describe('matchesFilter', () => {
  it('matches every job with an empty filter', () => {
    expect(matchesFilter(job(), {})).toBe(true);
  });

  it('matches a literal by equality', () => {
    expect(matchesFilter(job(), { user: 'demo' })).toBe(true);
    expect(matchesFilter(job(), { user: 'other' })).toBe(false);
  });

  it('requires every condition to hold', () => {
    expect(matchesFilter(job(), { user: 'demo', status: 'FAILED' })).toBe(false);
  });

  it('matches null against null and missing fields alike', () => {
    expect(matchesFilter(job({ job_name: null }), { job_name: null })).toBe(true);
    expect(matchesFilter(job(), { job_name: null })).toBe(true);
    expect(matchesFilter(job({ job_name: 'n' }), { job_name: null })).toBe(false);
  });

  it('matches $ne on a missing field', () => {
    expect(matchesFilter(job(), { 'service_fields.kind': { $ne: 'x' } })).toBe(true);
    expect(
      matchesFilter(job({ service_fields: { kind: 'x' } }), {
        'service_fields.kind': { $ne: 'x' },
      }),
    ).toBe(false);
  });

  it('matches $ne: null only where the field holds a value', () => {
    expect(matchesFilter(job(), { job_name: { $ne: null } })).toBe(false);
    expect(matchesFilter(job({ job_name: 'n' }), { job_name: { $ne: null } })).toBe(true);
  });

  it('matches $in and $nin by membership, null standing for missing', () => {
    expect(matchesFilter(job(), { status: { $in: ['FAILED', 'WORKING'] } })).toBe(true);
    expect(matchesFilter(job(), { status: { $nin: ['FAILED', 'WORKING'] } })).toBe(false);
    expect(matchesFilter(job(), { parent_id: { $in: [null] } })).toBe(true);
    expect(matchesFilter(job(), { parent_id: { $nin: ['p'] } })).toBe(true);
  });

  it('compares deep values as JSON, whatever the key order', () => {
    const doc = job({ service_fields: { pair: { a: 1, b: [1, { c: 2 }] } } });
    expect(matchesFilter(doc, { 'service_fields.pair': { b: [1, { c: 2 }], a: 1 } })).toBe(true);
    expect(matchesFilter(doc, { 'service_fields.pair': { a: 1 } })).toBe(false);
  });

  it('compares numbers with $gt, $gte, $lt and $lte', () => {
    const doc = job({ service_fields: { size: 10 } });
    const results = [
      { $gt: 9 },
      { $gt: 10 },
      { $gte: 10 },
      { $lt: 11 },
      { $lt: 10 },
      { $lte: 10 },
      { $gt: 2, $lt: 20 },
    ].map((condition) => matchesFilter(doc, { 'service_fields.size': condition }));
    expect(results).toEqual([true, false, true, true, false, true, true]);
  });

  it('compares strings by code point', () => {
    const doc = job({ service_fields: { name: '\u{1F600}' } });
    expect(matchesFilter(doc, { 'service_fields.name': { $gt: '\uFFFF' } })).toBe(true);
    expect(matchesFilter(doc, { 'service_fields.name': { $lt: 'a' } })).toBe(false);
  });

  it('never orders values of different JSON types', () => {
    const doc = job({ service_fields: { size: '10', flag: true } });
    expect(matchesFilter(doc, { 'service_fields.size': { $gt: 1 } })).toBe(false);
    expect(matchesFilter(doc, { 'service_fields.size': { $lt: 100 } })).toBe(false);
    expect(matchesFilter(doc, { 'service_fields.missing': { $lt: 100 } })).toBe(false);
    expect(matchesFilter(doc, { 'service_fields.flag': { $gte: 0 } })).toBe(false);
  });

  it('compares created and modified as times, whatever their form', () => {
    const doc = job({ modified: '2019-06-18T16:00:00.000+0000' });
    expect(matchesFilter(doc, { created: { $gt: '2019-06-18T15:31:45.609Z' } })).toBe(true);
    expect(matchesFilter(doc, { created: { $gt: '2019-06-18T17:31:45.610+02:00' } })).toBe(false);
    expect(matchesFilter(doc, { created: { $gte: '2019-06-18T17:31:45.610+02:00' } })).toBe(true);
    expect(matchesFilter(doc, { modified: { $lt: '2019-06-18T16:00:00.001Z' } })).toBe(true);
  });

  it('matches equality on created as the same instant', () => {
    expect(matchesFilter(job(), { created: '2019-06-18T15:31:45.610Z' })).toBe(true);
    expect(
      matchesFilter(job(), {
        created: { $in: ['2019-06-18T15:31:45Z', '2019-06-18T15:31:45.610+00:00'] },
      }),
    ).toBe(true);
    expect(matchesFilter(job(), { created: { $ne: '2019-06-18T15:31:45.610Z' } })).toBe(false);
  });

  it('matches a scalar on child_ids when the array contains it', () => {
    const doc = job({ child_ids: ['c1', 'c2'] });
    expect(matchesFilter(doc, { child_ids: 'c2' })).toBe(true);
    expect(matchesFilter(doc, { child_ids: { $in: ['x', 'c1'] } })).toBe(true);
    expect(matchesFilter(doc, { child_ids: { $ne: 'c1' } })).toBe(false);
    expect(matchesFilter(doc, { child_ids: 'c3' })).toBe(false);
  });

  it('matches an array on child_ids only when it is the same list', () => {
    const doc = job({ child_ids: ['c1', 'c2'] });
    expect(matchesFilter(doc, { child_ids: ['c1', 'c2'] })).toBe(true);
    expect(matchesFilter(doc, { child_ids: ['c1'] })).toBe(false);
  });

  it('matches a scalar against an array in service fields only by equality', () => {
    expect(
      matchesFilter(job({ service_fields: { tags: ['a'] } }), { 'service_fields.tags': 'a' }),
    ).toBe(false);
  });

  it('matches $exists on presence, null counting as missing', () => {
    const doc = job({ service_fields: { a: 0, b: null } });
    expect(matchesFilter(doc, { 'service_fields.a': { $exists: true } })).toBe(true);
    expect(matchesFilter(doc, { 'service_fields.b': { $exists: true } })).toBe(false);
    expect(matchesFilter(doc, { 'service_fields.b': { $exists: false } })).toBe(true);
    expect(matchesFilter(doc, { 'service_fields.c': { $exists: false } })).toBe(true);
  });

  it('walks service-field paths through array indices and escaped dots', () => {
    const doc = job({
      service_fields: { files: [{ 'name.ext': 'a' }, { 'name.ext': 'b' }], map: { 0: 'z' } },
    });
    expect(matchesFilter(doc, { 'service_fields.files.1.name(dot)ext': 'b' })).toBe(true);
    expect(matchesFilter(doc, { 'service_fields.files.name(dot)ext': 'b' })).toBe(false);
    expect(matchesFilter(doc, { 'service_fields.map.0': 'z' })).toBe(true);
  });

  it('never reads inherited properties', () => {
    expect(
      matchesFilter(job({ service_fields: {} }), { 'service_fields.toString': { $exists: true } }),
    ).toBe(false);
    expect(matchesFilter(job(), { 'service_fields.constructor': null })).toBe(true);
  });

  it('matches a literal empty object only against an empty object', () => {
    expect(matchesFilter(job({ service_fields: { o: {} } }), { 'service_fields.o': {} })).toBe(
      true,
    );
    expect(
      matchesFilter(job({ service_fields: { o: { a: 1 } } }), { 'service_fields.o': {} }),
    ).toBe(false);
  });
});
