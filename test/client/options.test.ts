import { describe, expect, it } from 'vitest';
import DefaultClient, { JobStatusClient, type ClientOptions } from '../../src/index';
import * as GlobalBuild from '../../src/global';
import { envelope, ORIGIN, respond, useMswServer, wireJob } from './msw-harness';

useMswServer();

describe('the legacy constructor', () => {
  it('builds http://{host}:{port}/jss/ and sends the username as X-User-Id', async () => {
    const calls = respond('get', '1.0/job/abc', { body: envelope([wireJob()]) });

    const jss = new JobStatusClient('jss.test', '8080', 'legacy-user');
    await jss.getJob('abc');

    expect(jss.baseURL).toBe(`${ORIGIN}/jss/`);
    expect(calls[0]?.headers['x-user-id']).toBe('legacy-user');
  });

  it('defaults the port to 80', () => {
    expect(new JobStatusClient('jss.test').baseURL).toBe('http://jss.test/jss/');
  });

  it('exposes the legacy host and port, the port as a string', () => {
    const jss = new JobStatusClient('jss.test', '8080', 'legacy-user');

    expect([jss.host, jss.port]).toEqual(['jss.test', '8080']);
  });

  it("reads host and port from a baseURL, the port defaulting to the scheme's", () => {
    const jss = new JobStatusClient({ baseURL: 'https://[::1]/jss' });

    expect([jss.host, jss.port]).toEqual(['::1', '443']);
  });

  it('keeps host and port read-only', () => {
    const jss = new JobStatusClient('jss.test', 8080) as unknown as { host: string };

    expect(() => (jss.host = 'elsewhere')).toThrow(TypeError);
  });

  it('accepts host, port and username as an options object too', () => {
    const jss = new JobStatusClient({
      host: 'jss.test',
      port: 8443,
      protocol: 'https',
      username: 'u',
    });

    expect(jss.baseURL).toBe('https://jss.test:8443/jss/');
  });
});

describe('client options', () => {
  it('accepts a baseURL without a trailing slash', () => {
    expect(new JobStatusClient({ baseURL: `${ORIGIN}/jss` }).baseURL).toBe(`${ORIGIN}/jss/`);
  });

  it('sends a string token as Authorization: Bearer and extra headers', async () => {
    const calls = respond('get', '1.0/job/abc', { body: envelope([wireJob()]) });

    await new JobStatusClient({
      baseURL: `${ORIGIN}/jss/`,
      user: 'demo',
      token: 'secret-1',
      headers: { 'X-Trace-Origin': 'nightly' },
    }).getJob('abc');

    expect(calls[0]?.headers.authorization).toBe('Bearer secret-1');
    expect(calls[0]?.headers['x-trace-origin']).toBe('nightly');
  });

  it('calls a token function for the request', async () => {
    const calls = respond('get', '1.0/job/abc', { body: envelope([wireJob()]) });
    let issued = 0;

    await new JobStatusClient({
      baseURL: `${ORIGIN}/jss/`,
      token: async () => `fresh-${++issued}`,
    }).getJob('abc');

    expect(calls[0]?.headers.authorization).toBe('Bearer fresh-1');
    expect(calls[0]?.headers['x-user-id']).toBeUndefined();
  });

  it('lets user win over a same-named extra header', async () => {
    const calls = respond('get', '1.0/job/abc', { body: envelope([wireJob()]) });

    await new JobStatusClient({
      baseURL: `${ORIGIN}/jss/`,
      user: 'real',
      headers: { 'X-User-Id': 'spoofed' },
    }).getJob('abc');

    expect(calls[0]?.headers['x-user-id']).toBe('real');
  });

  it.each<[unknown, string]>([
    [{ host: 'h', port: 0 }, 'Invalid option "port": must be an integer from 1 to 65535'],
    [{ host: 'h', port: '80a' }, 'Invalid option "port": must be an integer from 1 to 65535'],
    [{ host: 'http://h' }, 'Invalid option "host"'],
    [{}, 'Invalid option "baseURL": is required'],
    [{ baseURL: 'jss.test/jss' }, 'Invalid option "baseURL": must be an absolute http(s) URL'],
    [{ baseURL: 'ftp://jss.test/jss' }, 'Invalid option "baseURL": must use http or https'],
    [
      { baseURL: 'http://me:pw@jss.test/jss' },
      'Invalid option "baseURL": must not contain credentials',
    ],
    [
      { baseURL: 'http://h/jss', host: 'h' },
      'Invalid option "host": cannot be combined with baseURL',
    ],
    [
      { baseUrl: 'http://h/jss' },
      'Invalid option "baseUrl": is not an option; did you mean "baseURL"?',
    ],
    [{ baseURL: 'http://h/jss', user: 'a', username: 'b' }, 'Invalid option "username"'],
    [
      { baseURL: 'http://h/jss', user: 'a\r\nX-Evil: 1' },
      'Invalid option "user": must not contain control characters',
    ],
    [{ baseURL: 'http://h/jss', token: '' }, 'Invalid option "token": must be a non-empty string'],
    [{ baseURL: 'http://h/jss', headers: { 'Bad Name': 'x' } }, 'Invalid option "headers"'],
    [{ baseURL: 'http://h/jss', timeout: -1 }, 'Invalid option "timeout"'],
    [{ baseURL: 'http://h/jss', deadline: 0 }, 'Invalid option "deadline"'],
    [
      { baseURL: 'http://h/jss', maxRetries: 1.5 },
      'Invalid option "maxRetries": must be an integer from 0 to 100',
    ],
    [
      { baseURL: 'http://h/jss', retryDelay: { initialMs: 100, maxMs: 10 } },
      'Invalid option "retryDelay.maxMs"',
    ],
    [{ baseURL: 'http://h/jss', logLevel: 'verbose' }, 'Invalid option "logLevel": must be one of'],
    [
      { baseURL: 'http://h/jss', logger: { info: () => undefined } },
      'Invalid option "logger.debug": must be a function',
    ],
    [
      { baseURL: 'http://h/jss', hooks: { onRetry: 1 } },
      'Invalid option "hooks.onRetry": must be a function',
    ],
    [{ baseURL: 'http://h/jss', serviceFieldKeys: 'camel' }, 'Invalid option "serviceFieldKeys"'],
    [{ baseURL: 'http://h/jss', filters: 'loose' }, 'Invalid option "filters"'],
    [{ baseURL: 'http://h/jss', keyCasing: 'whole' }, 'Invalid option "keyCasing": must be one of'],
    [
      { baseURL: 'http://h/jss', keyCasing: 'legacy', serviceFieldKeys: 'verbatim' },
      'Invalid option "keyCasing": \'legacy\' converts keys',
    ],
    [{ baseURL: 'http://h/jss', fetch: 'fetch' }, 'Invalid option "fetch": must be a function'],
    [{ baseURL: 'http://h/jss', axios: {} }, 'Invalid option "axios.request": must be a function'],
  ])('refuses %j at construction: %s', (options, message) => {
    expect(() => new JobStatusClient(options as ClientOptions)).toThrow(message);
  });
});

describe('entry points', () => {
  it('exports the client as the default export too', () => {
    expect(DefaultClient).toBe(JobStatusClient);
  });

  it('gives the global build the same client, errors and helpers', () => {
    expect(GlobalBuild.JobStatusClient).toBe(JobStatusClient);
    expect(typeof GlobalBuild.NotFoundError).toBe('function');
    expect(typeof GlobalBuild.RequestValidationError).toBe('function');
    expect(typeof GlobalBuild.eq).toBe('function');
    expect(GlobalBuild.isTerminalStatus('ABORTED')).toBe(true);
  });
});
