import { describe, expect, it } from 'vitest';
import { isSensitiveHeader } from '../../src/internal/redact';
import { nextHop, type Hop } from '../../src/internal/redirects';

function hop(overrides: Partial<Hop> = {}): Hop {
  return {
    url: 'http://jss.test/jss/1.0/job/abc',
    method: 'PATCH',
    headers: {
      Accept: 'application/json',
      'X-User-Id': 'demo',
      Authorization: 'Bearer tok-1',
      'Content-Type': 'application/json',
      'Idempotency-Key': 'key-1',
    },
    body: '{"status":"WORKING"}',
    ...overrides,
  };
}

const next = (previous: Hop, status: number, location: string) =>
  nextHop(previous, status, location, isSensitiveHeader);

describe('nextHop', () => {
  it('turns a PATCH into a GET without its body or Content-Type on a 303', () => {
    expect(next(hop(), 303, '/jss/1.0/job/abc')).toMatchObject({
      method: 'GET',
      body: undefined,
      headers: { 'Content-Type': false },
    });
  });

  it('keeps the method and the body of a PATCH on a 301 (only a POST becomes a GET)', () => {
    expect(next(hop(), 301, '/jss/2.0/job/abc')).toMatchObject({
      method: 'PATCH',
      body: '{"status":"WORKING"}',
      headers: { 'Content-Type': 'application/json' },
    });
  });

  it('keeps a GET a GET on a 303', () => {
    const get = hop({ method: 'GET', body: undefined });
    expect(next(get, 303, '/elsewhere')).toMatchObject({
      method: 'GET',
      url: 'http://jss.test/elsewhere',
    });
  });

  it.each([300, 304, 305])('follows no %i', (status) => {
    expect(next(hop(), status, '/elsewhere')).toBeUndefined();
  });

  it('resolves a scheme-relative Location with the scheme of the request', () => {
    expect(next(hop(), 307, '//other.test/jss/x')).toMatchObject({
      url: 'http://other.test/jss/x',
    });
  });

  it('says why for a Location that is not a URL', () => {
    expect(next(hop(), 302, 'http://[')).toBe('a Location that is not a URL');
  });

  it('keeps the credentials on an upgrade from http to https on the same host', () => {
    const upgraded = next(hop(), 308, 'https://jss.test/jss/1.0/job/abc') as Hop;
    expect(upgraded.headers.Authorization).toBe('Bearer tok-1');
  });

  it('drops the credentials on an upgrade to https on another port', () => {
    const upgraded = next(hop(), 308, 'https://jss.test:8443/jss/1.0/job/abc') as Hop;
    expect(upgraded.headers.Authorization).toBeUndefined();
  });

  it('drops the credentials on a downgrade from https to http on the same host', () => {
    const secure = hop({ url: 'https://jss.test/jss/1.0/job/abc' });
    const downgraded = next(secure, 308, 'http://jss.test/jss/1.0/job/abc') as Hop;
    expect(downgraded.headers.Authorization).toBeUndefined();
  });

  it('keeps Idempotency-Key and X-User-Id on the way to another origin', () => {
    const moved = next(hop(), 307, 'http://elsewhere.test/jss/1.0/job/abc') as Hop;
    expect(moved.headers).toEqual({
      Accept: 'application/json',
      'X-User-Id': 'demo',
      'Content-Type': 'application/json',
      'Idempotency-Key': 'key-1',
    });
  });
});
