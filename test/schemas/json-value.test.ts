import { describe, expect, it } from 'vitest';
import type { ValidationIssue } from '../../src/errors';
import { collectJsonIssues, isPlainObject } from '../../src/schemas/json-value';

function issuesOf(
  value: unknown,
  options: { refuseOperatorKeys?: boolean } = {},
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  collectJsonIssues(value, [], issues, 0, options);
  return issues;
}

describe('collectJsonIssues', () => {
  it('accepts JSON data with Dates, nulls and undefined properties', () => {
    expect(
      issuesOf({ a: [1, 'b', null, true, { c: new Date(0) }], skipped: undefined, d: {} }),
    ).toEqual([]);
  });

  it.each([
    ['a function', { f: () => 1 }, ['f'], 'not_json'],
    ['a symbol', { s: Symbol('x') }, ['s'], 'not_json'],
    ['a bigint', { b: 10n }, ['b'], 'not_json'],
    ['Infinity', { n: Number.POSITIVE_INFINITY }, ['n'], 'not_json'],
    ['undefined in an array', { list: [1, undefined] }, ['list', 1], 'not_json'],
    ['a Set', { set: new Set([1]) }, ['set'], 'not_json'],
    ['an invalid Date', { when: new Date('invalid') }, ['when'], 'invalid_date'],
    ['a __proto__ key', JSON.parse('{"x":{"__proto__":1}}'), ['x', '__proto__'], 'forbidden_key'],
    ['a prototype key', { prototype: 1 }, ['prototype'], 'forbidden_key'],
  ])('reports %s at its path', (_name, value, path, code) => {
    expect(issuesOf(value)).toEqual([expect.objectContaining({ path, code })]);
  });

  it('counts nesting from the value given and refuses the 65th level', () => {
    let sixtyFour: unknown = 1;
    for (let level = 0; level < 64; level++) sixtyFour = [sixtyFour];

    expect(issuesOf(sixtyFour)).toEqual([]);
    expect(issuesOf([sixtyFour])).toEqual([expect.objectContaining({ code: 'too_deep' })]);
  });

  it('stops at a cycle instead of overflowing the stack', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;

    expect(issuesOf(cycle)).toEqual([expect.objectContaining({ code: 'too_deep' })]);
  });

  it('refuses $ keys at any depth only when asked to', () => {
    const value = { a: [{ $ne: 1 }] };

    expect(issuesOf(value)).toEqual([]);
    expect(issuesOf(value, { refuseOperatorKeys: true })).toEqual([
      expect.objectContaining({ path: ['a', 0, '$ne'], code: 'operator_in_literal' }),
    ]);
  });

  it('caps the number of issues reported', () => {
    const many = Object.fromEntries(
      Array.from({ length: 100 }, (_, index) => [`k${index}`, () => index]),
    );

    expect(issuesOf(many)).toHaveLength(20);
  });
});

describe('isPlainObject', () => {
  it.each([
    [{}, true],
    [Object.create(null), true],
    [JSON.parse('{"a":1}'), true],
    [[], false],
    [new Date(), false],
    [new (class Point {})(), false],
    [null, false],
    ['text', false],
  ])('says %j is plain: %s', (value, expected) => {
    expect(isPlainObject(value)).toBe(expected);
  });
});
