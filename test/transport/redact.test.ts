import { describe, expect, it } from 'vitest';
import {
  isSensitiveHeader,
  redactHeaders,
  redactText,
  sensitiveHeaderValues,
  toSafeErrorInfo,
} from '../../src/internal/redact';

describe('isSensitiveHeader', () => {
  it.each(['Authorization', 'cookie', 'Set-Cookie', 'Proxy-Authorization', 'X-Api-Key'])(
    'flags %s',
    (name) => {
      expect(isSensitiveHeader(name)).toBe(true);
    },
  );

  it.each(['X-Auth-Token', 'X-Session-Secret', 'Api-Key', 'X-CSRF-TOKEN'])(
    'flags %s by a telling part of its name',
    (name) => {
      expect(isSensitiveHeader(name)).toBe(true);
    },
  );

  it.each(['Accept', 'Content-Type', 'X-User-Id', 'X-Request-Id'])('lets %s through', (name) => {
    expect(isSensitiveHeader(name)).toBe(false);
  });
});

describe('redactHeaders', () => {
  it('replaces sensitive values and keeps the others', () => {
    const headers = { Authorization: 'Bearer abc', Cookie: 'a=b', 'X-User-Id': 'demo' };

    expect(redactHeaders(headers)).toEqual({
      Authorization: '[REDACTED]',
      Cookie: '[REDACTED]',
      'X-User-Id': 'demo',
    });
  });

  it('does not change the headers it was given', () => {
    const headers = { Authorization: 'Bearer abc' };

    redactHeaders(headers);

    expect(headers.Authorization).toBe('Bearer abc');
  });
});

describe('sensitiveHeaderValues', () => {
  it('collects the values of sensitive headers only', () => {
    expect(sensitiveHeaderValues({ Cookie: 'sid=1', 'X-Trace': 't', 'X-Api-Key': 'k-9' })).toEqual([
      'sid=1',
      'k-9',
    ]);
  });
});

describe('redactText', () => {
  it('scrubs a bearer token but keeps the scheme', () => {
    expect(redactText('sent Authorization: Bearer eyJhbGciOi.J9.x-y_z= to host')).toBe(
      'sent Authorization: Bearer [REDACTED] to host',
    );
  });

  it('scrubs every occurrence of a given secret', () => {
    expect(redactText('a SECRET-1 b SECRET-1', ['SECRET-1'])).toBe('a [REDACTED] b [REDACTED]');
  });

  it('scrubs the longer of two overlapping secrets whole', () => {
    expect(redactText('value abc123', ['abc', 'abc123'])).toBe('value [REDACTED]');
  });

  it('ignores empty secrets', () => {
    expect(redactText('plain text', [''])).toBe('plain text');
  });

  it('scrubs secret-looking query parameters', () => {
    expect(redactText('GET /x?access_token=abc&limit=2&api_key=zz')).toBe(
      'GET /x?access_token=[REDACTED]&limit=2&api_key=[REDACTED]',
    );
  });

  it('leaves prose about tokens readable', () => {
    expect(redactText('the token expired; basic checks passed')).toBe(
      'the token expired; basic checks passed',
    );
  });
});

describe('toSafeErrorInfo', () => {
  it('keeps name, code and scrubbed message, and drops everything else', () => {
    const axiosLike = Object.assign(new Error('failed with Bearer abc'), {
      name: 'AxiosError',
      code: 'ERR_BAD_RESPONSE',
      config: { headers: { Authorization: 'Bearer abc' } },
    });

    expect(toSafeErrorInfo(axiosLike)).toEqual({
      name: 'AxiosError',
      code: 'ERR_BAD_RESPONSE',
      message: 'failed with Bearer [REDACTED]',
    });
  });

  it('describes a thrown non-object', () => {
    expect(toSafeErrorInfo('boom s3', ['s3'])).toEqual({
      name: 'Error',
      message: 'boom [REDACTED]',
    });
  });
});
