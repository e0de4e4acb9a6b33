import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index';
import { apiClient, jobOf, uniqueUser, useTestDatabase, type ApiClient } from './support/harness';

const database = useTestDatabase();
let server: RunningServer;
let api: ApiClient;

// One user's fixed set of jobs; every filter below is scoped to that user.
const jobs = {
  a: {
    status: 'FAILED',
    job_name: 'alpha',
    parent_id: null,
    child_ids: ['x', 'y'],
    update_parent: true,
    service_fields: {
      type: 'upload',
      n: 1,
      size: 10,
      tags: ['red'],
      when: '2020-01-01',
      nested: { deep: true },
    },
  },
  b: {
    status: 'UNRECOVERABLE',
    job_name: 'beta',
    parent_id: 'p',
    child_ids: null,
    service_fields: { type: 'upload', n: 2, size: 'big', empty: null },
  },
  c: {
    status: 'WORKING',
    job_name: null,
    parent_id: 'q',
    child_ids: ['y'],
    service_fields: { type: 'download', n: 3, size: 30 },
  },
  d: { status: 'SUCCEEDED', job_name: 'delta', parent_id: null, child_ids: [], service_fields: {} },
} as const;
type Name = keyof typeof jobs;
const ids = {} as Record<Name, string>;

beforeAll(async () => {
  server = await database.server();
  api = apiClient(() => server.url, uniqueUser('filters'));
  for (const [name, fields] of Object.entries(jobs)) {
    ids[name as Name] = jobOf(
      await api.create({ job_id: `${name}-${api.user}`, ...fields }),
    ).job_id;
  }
});

async function matching(filter: Record<string, unknown>): Promise<Name[]> {
  const answer = await api.query({ user: api.user, ...filter });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  const found = answer.body.data.map((job) => job.job_id);
  return (Object.keys(ids) as Name[]).filter((name) => found.includes(ids[name])).sort();
}

describe('the legacy query vector', () => {
  it('matches the jobs the flattened legacy filter names', async () => {
    const body = {
      user: api.user,
      job_id: { $in: [ids.a, ids.b, ids.c] },
      status: { $in: ['FAILED', 'UNRECOVERABLE'] },
      parent_id: { $ne: 'p' },
      'service_fields.type': 'upload',
    };
    const answer = await api.query(body);
    expect(answer.body.data.map((job) => job.job_id)).toEqual([ids.a]);
    expect(answer.body).toMatchObject({
      response_type: 'SUCCESS',
      total_count: 1,
      offset: 0,
      has_more: false,
    });
  });

  it('returns every job of the user, expanded, for a filter on the user alone', async () => {
    const answer = await api.query({ user: api.user });
    expect(answer.body.data.map((job) => job.job_id)).toEqual([ids.a, ids.b, ids.c, ids.d]);
    expect(answer.body.data[0]!.service_fields).toEqual(jobs.a.service_fields);
  });
});

describe('equality', () => {
  it('matches a top-level string', async () => {
    expect(await matching({ status: 'WORKING' })).toEqual(['c']);
  });
  it('matches null against a null column', async () => {
    expect(await matching({ parent_id: null })).toEqual(['a', 'd']);
  });
  it('matches null against a null or missing service field', async () => {
    expect(await matching({ 'service_fields.empty': null })).toEqual(['a', 'b', 'c', 'd']);
    expect(await matching({ 'service_fields.type': null })).toEqual(['d']);
  });
  it('matches a nested service field path', async () => {
    expect(await matching({ 'service_fields.nested.deep': true })).toEqual(['a']);
  });
  it('compares service fields as deep JSON', async () => {
    expect(await matching({ 'service_fields.nested': { deep: true } })).toEqual(['a']);
    expect(await matching({ 'service_fields.tags': ['red'] })).toEqual(['a']);
  });
  it('addresses array elements by index', async () => {
    expect(await matching({ 'service_fields.tags.0': 'red' })).toEqual(['a']);
  });
  it('never equates values of different JSON types', async () => {
    expect(await matching({ 'service_fields.n': '1' })).toEqual([]);
  });
  it('matches a scalar inside child_ids', async () => {
    expect(await matching({ child_ids: 'y' })).toEqual(['a', 'c']);
  });
  it('matches a whole child_ids array', async () => {
    expect(await matching({ child_ids: ['x', 'y'] })).toEqual(['a']);
    expect(await matching({ child_ids: [] })).toEqual(['d']);
  });
  it('matches update_parent as a boolean', async () => {
    expect(await matching({ update_parent: true })).toEqual(['a']);
  });
  it('matches $eq like a plain value', async () => {
    expect(await matching({ job_name: { $eq: 'beta' } })).toEqual(['b']);
  });
});

describe('operators', () => {
  it('$ne also matches missing fields', async () => {
    expect(await matching({ 'service_fields.type': { $ne: 'upload' } })).toEqual(['c', 'd']);
  });
  it('$ne null matches present, non-null values', async () => {
    expect(await matching({ job_name: { $ne: null } })).toEqual(['a', 'b', 'd']);
  });
  it('$in matches any listed value, null meaning null or missing', async () => {
    expect(await matching({ 'service_fields.n': { $in: [1, 3] } })).toEqual(['a', 'c']);
    expect(await matching({ job_name: { $in: ['alpha', null] } })).toEqual(['a', 'c']);
  });
  it('$nin matches none of the listed values, missing included', async () => {
    expect(await matching({ 'service_fields.type': { $nin: ['download'] } })).toEqual([
      'a',
      'b',
      'd',
    ]);
    expect(await matching({ status: { $nin: ['FAILED', 'UNRECOVERABLE'] } })).toEqual(['c', 'd']);
  });
  it('$in on child_ids matches arrays holding any listed id', async () => {
    expect(await matching({ child_ids: { $in: ['x', 'zzz'] } })).toEqual(['a']);
  });
  it('$gt and $lte compare numbers only with numbers', async () => {
    expect(await matching({ 'service_fields.size': { $gt: 5 } })).toEqual(['a', 'c']);
    expect(await matching({ 'service_fields.size': { $lte: 10 } })).toEqual(['a']);
  });
  it('$gte and $lt compare strings by code point', async () => {
    expect(await matching({ job_name: { $gte: 'b', $lt: 'delta' } })).toEqual(['b']);
    expect(await matching({ 'service_fields.size': { $gte: 'a' } })).toEqual(['b']);
  });
  it('combines several operators on one field, all of which must hold', async () => {
    expect(await matching({ 'service_fields.n': { $gt: 1, $lt: 3 } })).toEqual(['b']);
  });
  it('compares ISO date strings in service fields as strings', async () => {
    expect(await matching({ 'service_fields.when': { $lt: '2020-06-01' } })).toEqual(['a']);
  });
  it('compares created as a time, the legacy date form included', async () => {
    const created = jobOf(await api.get(ids.c)).created;
    expect(await matching({ created: { $gte: created } })).toEqual(['c', 'd']);
    expect(await matching({ created })).toEqual(['c']);
    const iso = new Date(Date.parse(created.replace('+0000', 'Z'))).toISOString();
    expect(await matching({ created: { $lt: iso } })).toEqual(['a', 'b']);
  });
  it('$exists tests whether a service field has a value, null counting as missing', async () => {
    expect(await matching({ 'service_fields.size': { $exists: true } })).toEqual(['a', 'b', 'c']);
    expect(await matching({ 'service_fields.empty': { $exists: false } })).toEqual([
      'a',
      'b',
      'c',
      'd',
    ]);
  });
  it('$exists on a top-level field tests for null', async () => {
    expect(await matching({ job_name: { $exists: true } })).toEqual(['a', 'b', 'd']);
    expect(await matching({ parent_id: { $exists: false } })).toEqual(['a', 'd']);
  });
  it('never matches a comparison against child_ids', async () => {
    expect(await matching({ child_ids: { $gte: '' } })).toEqual([]);
  });
  it('treats operator-shaped values inside $in as plain values', async () => {
    expect(await matching({ status: { $in: [{ $ne: 'x' }] } })).toEqual([]);
  });
  it('treats a plain object without operators as a value', async () => {
    expect(await matching({ 'service_fields.nested': { deep: false } })).toEqual([]);
  });
  it('reads escaped dots in keys', async () => {
    const job = jobOf(
      await api.create({ job_id: `dots-${api.user}`, service_fields: { 'file.txt': { size: 3 } } }),
    );
    const answer = await api.query({ user: api.user, 'service_fields.file(dot)txt.size': 3 });
    expect(answer.body.data.map((found) => found.job_id)).toEqual([job.job_id]);
    await api.patch(job.job_id, { status: 'SUCCEEDED' });
    await api.remove(job.job_id);
  });
});

describe('refusals', () => {
  it.each(['$where', '$function', '$expr', '$regex', '$or'])(
    'refuses %s with 400 invalid_filter',
    async (operator) => {
      const answer = await api.query({ user: api.user, job_name: { [operator]: 'x' } });
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('invalid_filter');
    },
  );
  it('refuses a top-level operator', async () => {
    const answer = await api.query({ $where: 'sleep(10)' });
    expect(answer.body.code).toBe('invalid_filter');
  });
  it('refuses an unknown top-level field', async () => {
    const answer = await api.query({ colour: 'red' });
    expect(answer.body.code).toBe('invalid_filter');
  });
  it.each([
    ['$in without an array', { status: { $in: 'FAILED' } }],
    ['$gt with a boolean', { 'service_fields.n': { $gt: true } }],
    ['$exists with a string', { job_name: { $exists: 'yes' } }],
    ['a date comparison with a non-date', { created: { $gt: 'yesterday' } }],
    ['operators mixed with keys', { 'service_fields.n': { $gt: 1, plain: 2 } }],
    ['a date without a time', { created: { $gt: '2020-01-01' } }],
    ['a date without a zone', { modified: { $lt: '2020-01-01T00:00:00' } }],
    ['an impossible date', { created: '2021-02-30T00:00:00Z' }],
  ])('refuses %s', async (_label, filter) => {
    const answer = await api.query(filter);
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('invalid_filter');
  });
  it('refuses a body that is not an object (400 invalid_body)', async () => {
    const answer = await api.query([1, 2]);
    expect(answer.body.code).toBe('invalid_body');
  });
});

describe('hostile values', () => {
  it.each([
    ['a quote that closes the string', "x' OR '1'='1"],
    ['a statement separator', "x'; DROP TABLE jobs; --"],
    ['a comment', 'x/*'],
  ])('treats %s as a plain value', async (_label, value) => {
    expect(await matching({ job_name: value })).toEqual([]);
    expect(await matching({ [`service_fields.${value}`]: value })).toEqual([]);
    expect(await matching({ status: { $in: [value] }, job_name: { $gt: value } })).toEqual([]);
    expect(await matching({})).toEqual(['a', 'b', 'c', 'd']);
  });
  it('stores and finds such a value exactly', async () => {
    const hostile = "Robert'); DROP TABLE jobs;--";
    const job = jobOf(
      await api.create({ job_id: `hostile-${api.user}`, job_name: hostile, status: 'SUCCEEDED' }),
    );
    const answer = await api.query({ user: api.user, job_name: hostile });
    expect(answer.body.data.map((found) => found.job_name)).toEqual([hostile]);
    await api.remove(job.job_id);
  });
});
