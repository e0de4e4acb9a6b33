// createJssHandlers' options: where the handlers answer, which store they use, latency.
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createJssHandlers, InMemoryJobStore } from '../../src/testing/index';
import { pathUnderBase } from '../../src/testing/http/base-url';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

async function statusOf(url: string): Promise<number> {
  return (await fetch(url)).status;
}

describe('pathUnderBase', () => {
  it('gives the rest of an absolute base, percent-encoding kept', () => {
    const rest = pathUnderBase(
      'http://jss.test:8080/jss',
      new URL('http://jss.test:8080/jss/1.0/job/a%20b'),
    );

    expect(rest).toBe('1.0/job/a%20b');
  });

  it('reads a default port as no port, as request URLs do', () => {
    expect(pathUnderBase('http://jss.test:80/jss/', new URL('http://jss.test/jss/health'))).toBe(
      'health',
    );
  });

  it('matches any origin for a pattern starting with *', () => {
    expect(pathUnderBase('*/jss/', new URL('https://anywhere.example/jss/health'))).toBe('health');
  });

  it('matches any origin for a base that is a path', () => {
    expect(pathUnderBase('/jss', new URL('http://127.0.0.1:3000/jss/health'))).toBe('health');
  });

  it('leaves a URL outside the base alone', () => {
    expect(
      pathUnderBase('http://jss.test/jss/', new URL('http://jss.test/other/health')),
    ).toBeUndefined();
  });
});

describe('createJssHandlers', () => {
  it('answers at http://localhost/jss/ by default', async () => {
    server.use(...createJssHandlers());

    expect(await statusOf('http://localhost/jss/health')).toBe(200);
  });

  it('answers at any origin for a * pattern', async () => {
    server.use(...createJssHandlers({ baseURL: '*/jss/' }));

    expect(await statusOf('http://10.1.2.3:9999/jss/health')).toBe(200);
  });

  it('reads a function base URL on every request', async () => {
    let base = 'http://first.test/jss';
    server.use(...createJssHandlers({ baseURL: () => base }));
    await fetch('http://first.test/jss/health');

    base = 'http://second.test/jss';

    expect(await statusOf('http://second.test/jss/health')).toBe(200);
  });

  it('leaves requests outside the base to the next handler', async () => {
    server.use(
      ...createJssHandlers({ baseURL: 'http://jss.test/jss' }),
      http.get('http://jss.test/*', () => HttpResponse.text('other', { status: 299 })),
    );

    expect(await statusOf('http://jss.test/elsewhere')).toBe(299);
  });

  it('serves the jobs of the store it is given', async () => {
    const store = new InMemoryJobStore();
    store.insert({ jobId: 'job-1', user: 'demo' });
    server.use(...createJssHandlers({ store }));

    const body = (await (await fetch('http://localhost/jss/1.0/job/job-1')).json()) as {
      data: { job_id: string }[];
    };

    expect(body.data[0]?.job_id).toBe('job-1');
  });

  it('waits latencyMs before answering', async () => {
    server.use(...createJssHandlers({ latencyMs: 60 }));
    const started = performance.now();

    await fetch('http://localhost/jss/health');

    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('refuses a base URL that is neither a URL, a path nor a pattern, at once', () => {
    expect(() => createJssHandlers({ baseURL: 'jss.test' })).toThrow(TypeError);
  });
});
