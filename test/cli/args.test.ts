import { describe, expect, it } from 'vitest';
import {
  parseAssignments,
  parseDuration,
  parseFilter,
  parseLimit,
  parseStatuses,
  parseValue,
} from '../../cli/args';
import { UsageError } from '../../cli/errors';

describe('parseAssignments', () => {
  it('nests dotted keys', () => {
    expect(parseAssignments(['a.b=1', 'a.c=x', 'd=true'], '--set')).toEqual({
      a: { b: 1, c: 'x' },
      d: true,
    });
  });

  it('keeps everything after the first = as the value', () => {
    expect(parseAssignments(['query=a=b'], '--set')).toEqual({ query: 'a=b' });
  });

  it.each(['__proto__.x=1', 'constructor=1', 'a.prototype=1', 'a={"__proto__":{"x":1}}'])(
    'refuses the prototype key in %s',
    (pair) => {
      expect(() => parseAssignments([pair], '--set')).toThrow(UsageError);
    },
  );

  it('refuses a key given twice', () => {
    expect(() => parseAssignments(['a=1', 'a=2'], '--set')).toThrow('"a" is given twice');
  });

  it('refuses a key under a key that already holds a value', () => {
    expect(() => parseAssignments(['a=1', 'a.b=2'], '--set')).toThrow('"a" is given twice');
  });

  it.each(['novalue', '=1', 'a..b=1'])('refuses %s', (pair) => {
    expect(() => parseAssignments([pair], '--set')).toThrow(UsageError);
  });
});

describe('parseValue', () => {
  it.each([
    ['3', 3],
    ['true', true],
    ['null', null],
    ['"3"', '3'],
    ['[1,2]', [1, 2]],
    ['red', 'red'],
    ['/data/in', '/data/in'],
  ])('reads %s as %j', (text, value) => {
    expect(parseValue(text)).toEqual(value);
  });
});

describe('parseStatuses', () => {
  it('upper-cases and splits on commas', () => {
    expect(parseStatuses('working, failed')).toEqual(['WORKING', 'FAILED']);
  });

  it('refuses an unknown status', () => {
    expect(() => parseStatuses('DONE')).toThrow('unknown status "DONE"');
  });
});

describe('parseLimit', () => {
  it.each(['0', '1001', '2.5', '-1', 'ten'])('refuses %s', (value) => {
    expect(() => parseLimit(value, 1000)).toThrow('--limit must be an integer from 1 to 1000');
  });

  it('accepts the largest page', () => {
    expect(parseLimit('1000', 1000)).toBe(1000);
  });
});

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1500', 1500],
    ['1.5s', 1500],
  ])('reads %s as %i ms', (text, ms) => {
    expect(parseDuration(text, '--timeout')).toBe(ms);
  });

  it.each(['soon', '10 minutes', '0'])('refuses %s', (text) => {
    expect(() => parseDuration(text, '--timeout')).toThrow(UsageError);
  });
});

describe('parseFilter', () => {
  it('refuses a JSON array', () => {
    expect(() => parseFilter('[]')).toThrow('--filter must be a JSON object');
  });

  it('refuses a prototype key at any depth', () => {
    expect(() => parseFilter('{"serviceFields":{"__proto__":{"x":1}}}')).toThrow(
      'the key "__proto__" is not allowed',
    );
  });
});
