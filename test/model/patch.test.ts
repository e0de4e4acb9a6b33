import { describe, expect, it } from 'vitest';
import { applyPatch, MAX_ARRAY_PADDING, ModelError, type JobRecord } from '#protocol';

function job(extra: Record<string, unknown> = {}): JobRecord {
  return { job_id: 'j1', user: 'demo', status: 'WAITING', ...extra };
}

function errorOf(action: () => unknown): ModelError {
  try {
    action();
  } catch (error) {
    if (error instanceof ModelError) return error;
    throw error;
  }
  throw new Error('expected a ModelError');
}

describe('applyPatch', () => {
  it('sets the updatable top-level fields', () => {
    const next = applyPatch(job(), {
      job_name: 'n',
      child_ids: ['c1'],
      current_host: 'h',
      current_stage: 's',
      status: 'NEW_STATUS',
    });
    expect(next).toEqual({
      ...job(),
      job_name: 'n',
      child_ids: ['c1'],
      current_host: 'h',
      current_stage: 's',
      status: 'NEW_STATUS',
    });
  });

  it.each([
    'user',
    'job_id',
    'created',
    'parent_id',
    'service_fields',
    'serviceFields',
    'progress',
  ])('refuses the key %s with field_not_updatable (400)', (key) => {
    const error = errorOf(() => applyPatch(job(), { [key]: 'x' }));
    expect([error.code, error.status]).toEqual(['field_not_updatable', 400]);
  });

  it('refuses a status that is not an upper-case word with invalid_status', () => {
    expect(errorOf(() => applyPatch(job(), { status: 'working' })).code).toBe('invalid_status');
  });

  it('refuses a top-level value of the wrong type with invalid_body', () => {
    expect(errorOf(() => applyPatch(job(), { child_ids: ['a', 1] })).code).toBe('invalid_body');
    expect(errorOf(() => applyPatch(job(), { job_name: 5 })).code).toBe('invalid_body');
  });

  it('creates service_fields and the intermediate objects of a path', () => {
    expect(applyPatch(job(), { 'service_fields.a.b.c': 1 }).service_fields).toEqual({
      a: { b: { c: 1 } },
    });
  });

  it('creates service_fields when it is null', () => {
    expect(
      applyPatch(job({ service_fields: null }), { 'service_fields.a': 1 }).service_fields,
    ).toEqual({ a: 1 });
  });

  it('keeps the other service fields', () => {
    const doc = job({ service_fields: { a: { keep: 1, change: 2 }, b: 3 } });
    expect(applyPatch(doc, { 'service_fields.a.change': 9 }).service_fields).toEqual({
      a: { keep: 1, change: 9 },
      b: 3,
    });
  });

  it('sets an element of an existing array by its index', () => {
    const doc = job({ service_fields: { list: ['a', 'b', 'c'] } });
    expect(applyPatch(doc, { 'service_fields.list.1': 'B' }).service_fields).toEqual({
      list: ['a', 'B', 'c'],
    });
  });

  it('pads an existing array with null up to the index it sets', () => {
    const doc = job({ service_fields: { list: ['a'] } });
    expect(applyPatch(doc, { 'service_fields.list.3': 'd' }).service_fields).toEqual({
      list: ['a', null, null, 'd'],
    });
  });

  it('refuses an index more than MAX_ARRAY_PADDING past the end of an array', () => {
    const doc = job({ service_fields: { list: [] } });
    const key = `service_fields.list.${MAX_ARRAY_PADDING + 1}`;
    expect(errorOf(() => applyPatch(doc, { [key]: 1 })).code).toBe('invalid_body');
    expect(
      applyPatch(doc, { [`service_fields.list.${MAX_ARRAY_PADDING}`]: 1 }).service_fields,
    ).toHaveProperty('list.length', MAX_ARRAY_PADDING + 1);
  });

  it('treats a numeric segment on a missing value as an object key', () => {
    expect(applyPatch(job(), { 'service_fields.list.0': 'a' }).service_fields).toEqual({
      list: { 0: 'a' },
    });
  });

  it('treats a numeric segment on an object as an object key', () => {
    const doc = job({ service_fields: { map: { x: 1 } } });
    expect(applyPatch(doc, { 'service_fields.map.5': 'a' }).service_fields).toEqual({
      map: { x: 1, 5: 'a' },
    });
  });

  it('treats a non-canonical number as an object key, even on an array', () => {
    const doc = job({ service_fields: { list: ['a'] } });
    expect(applyPatch(doc, { 'service_fields.list.01': 'b' }).service_fields).toEqual({
      list: { '01': 'b' },
    });
  });

  it('replaces a scalar or null in the way by an object', () => {
    const doc = job({ service_fields: { a: 'text', b: null } });
    expect(
      applyPatch(doc, { 'service_fields.a.x': 1, 'service_fields.b.y': 2 }).service_fields,
    ).toEqual({
      a: { x: 1 },
      b: { y: 2 },
    });
  });

  it('replaces an array met with a non-numeric segment by an object', () => {
    const doc = job({ service_fields: { list: [1, 2] } });
    expect(applyPatch(doc, { 'service_fields.list.name': 'x' }).service_fields).toEqual({
      list: { name: 'x' },
    });
  });

  it('replaces an array service_fields met with a non-numeric segment by an object', () => {
    const doc = job({ service_fields: ['a'] });
    expect(applyPatch(doc, { 'service_fields.k': 1 }).service_fields).toEqual({ k: 1 });
  });

  it('unescapes (dot) in path segments', () => {
    expect(applyPatch(job(), { 'service_fields.file(dot)txt.size': 3 }).service_fields).toEqual({
      'file.txt': { size: 3 },
    });
  });

  it('sets a whole value, replacing what was there', () => {
    const doc = job({ service_fields: { favorites: { color: 'red', food: 'pie' } } });
    expect(
      applyPatch(doc, { 'service_fields.favorites': { color: 'blue' } }).service_fields,
    ).toEqual({
      favorites: { color: 'blue' },
    });
  });

  it('applies keys in the order of the body, so a later key wins', () => {
    const next = applyPatch(job(), {
      'service_fields.a.b': 1,
      'service_fields.a': 2,
      'service_fields.c': 1,
    });
    expect(next.service_fields).toEqual({ a: 2, c: 1 });
  });

  it.each(['__proto__', 'constructor', 'prototype'])(
    'refuses the path segment %s with invalid_body',
    (segment) => {
      const error = errorOf(() =>
        applyPatch(job(), { [`service_fields.a.${segment}.polluted`]: true }),
      );
      expect(error.code).toBe('invalid_body');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  it('refuses a body that is not an object with invalid_body', () => {
    expect(errorOf(() => applyPatch(job(), [] as unknown as Record<string, unknown>)).code).toBe(
      'invalid_body',
    );
  });

  it('leaves its input untouched and shares nothing with it', () => {
    const doc = job({ service_fields: { a: { b: [1, { c: 2 }] } } });
    const value = { deep: [1] };
    const before = structuredClone(doc);
    const next = applyPatch(doc, { 'service_fields.a.b.1.c': 3, 'service_fields.v': value });
    expect(doc).toEqual(before);
    (next.service_fields as { v: { deep: number[] } }).v.deep.push(2);
    ((next.service_fields as { a: { b: unknown[] } }).a.b as unknown[]).push('x');
    expect(value).toEqual({ deep: [1] });
    expect(doc).toEqual(before);
  });

  it('leaves its input untouched when it refuses a patch', () => {
    const doc = job({ service_fields: { a: 1 } });
    const before = structuredClone(doc);
    errorOf(() => applyPatch(doc, { 'service_fields.a': 2, user: 'x' }));
    expect(doc).toEqual(before);
  });
});
