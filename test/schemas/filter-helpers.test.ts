import { describe, expect, it } from 'vitest';
import {
  eq,
  exists,
  gt,
  gte,
  lt,
  lte,
  ne,
  noneOf,
  oneOf,
  RequestValidationError,
} from '../../src/index';
import { isBrandedOperator } from '../../src/schemas/filter-operators';

describe('filter helpers', () => {
  it.each([
    ['eq', () => eq('a'), { $eq: 'a' }],
    ['ne', () => ne(null), { $ne: null }],
    ['oneOf', () => oneOf(['a', 'b']), { $in: ['a', 'b'] }],
    ['noneOf', () => noneOf([1, 2]), { $nin: [1, 2] }],
    ['gt', () => gt(3), { $gt: 3 }],
    ['gte', () => gte('m'), { $gte: 'm' }],
    ['lt', () => lt(10), { $lt: 10 }],
    ['lte', () => lte(0.5), { $lte: 0.5 }],
    ['exists', () => exists(), { $exists: true }],
  ])('%s builds the operator object JSON.stringify sends', (_name, build, expected) => {
    expect(JSON.parse(JSON.stringify(build()))).toEqual(expected);
  });

  it('marks what it builds, and the mark does not show in JSON', () => {
    const operator = oneOf(['WAITING']);

    expect(isBrandedOperator(operator)).toBe(true);
    expect(Object.keys(operator)).toEqual(['$in']);
  });

  it('does not mark a look-alike plain object', () => {
    expect(isBrandedOperator({ $in: ['WAITING'] })).toBe(false);
  });

  it('freezes its result so it cannot gain an operator later', () => {
    const operator = eq('x') as Record<string, unknown>;

    expect(() => {
      operator.$where = 'sleep(1)';
    }).toThrow(TypeError);
  });

  it('copies the array given to oneOf, so changing the original later changes nothing', () => {
    const values = ['a'];
    const operator = oneOf(values);
    values.push('b');

    expect(operator.$in).toEqual(['a']);
  });

  it('accepts a nested object without $ keys as an eq literal', () => {
    expect(eq({ a: { b: [1, 2] } }).$eq).toEqual({ a: { b: [1, 2] } });
  });

  it.each([
    ['eq with a $ key at the top', () => eq({ $ne: 'x' }), '$eq.$ne'],
    ['eq with a $ key deep inside', () => eq({ a: [{ $gt: 1 }] }), '$eq.a[0].$gt'],
    ['eq with a function', () => eq(() => 1), '$eq'],
    ['ne with a forbidden key', () => ne(JSON.parse('{"__proto__":{}}')), '$ne.__proto__'],
    ['oneOf with an object element', () => oneOf([{}] as never), '$in[0]'],
    ['oneOf with no array', () => oneOf('a' as never), '$in'],
    ['gt with NaN', () => gt(Number.NaN), '$gt'],
    ['lt with an invalid Date', () => lt(new Date('nope')), '$lt'],
    ['exists with a string', () => exists('yes' as never), '$exists'],
  ])('refuses %s, naming %s', (_name, build, path) => {
    let error: unknown;
    try {
      build();
    } catch (thrown) {
      error = thrown;
    }

    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as Error).message).toContain(`${path}:`);
  });
});
