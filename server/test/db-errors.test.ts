import { describe, expect, it } from 'vitest';
import { isDatabaseLoginRefused, isDatabaseUnavailable } from '../src/store/db-errors';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED')],
    ['a reset connection', withCode('ECONNRESET')],
    ['an unknown host', withCode('ENOTFOUND')],
    ['a connection exception (SQLSTATE 08006)', withCode('08006')],
    ['an administrator shutdown (57P01)', withCode('57P01')],
    ['too many connections (53300)', withCode('53300')],
    ['a connection pg lost', new Error('Connection terminated unexpectedly')],
    ['a pool that could not connect in time', new Error('timeout exceeded when trying to connect')],
    ['a closed PGlite', new Error('PGlite is closed')],
    [
      'every address of a host refusing',
      Object.assign(new AggregateError([withCode('ECONNREFUSED')]), {}),
    ],
  ])('recognises %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a syntax error (42601)', withCode('42601')],
    ['a unique violation (23505)', withCode('23505')],
    ['a plain bug', new TypeError('x is undefined')],
    ['a value that is not an error', 'ECONNREFUSED'],
  ])('does not mistake %s for an outage', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

describe('isDatabaseLoginRefused', () => {
  it('recognises a wrong password (28P01) and an unknown role (28000)', () => {
    expect([withCode('28P01'), withCode('28000')].map(isDatabaseLoginRefused)).toEqual([
      true,
      true,
    ]);
  });

  it('does not mistake an outage for a refused login', () => {
    expect(isDatabaseLoginRefused(withCode('ECONNREFUSED'))).toBe(false);
  });
});
