import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  NotFoundError,
  ResponseValidationError,
  type JobStatusError,
} from '../../src/index';
import { demoClient, mswServer, ORIGIN, useMswServer } from './msw-harness';

useMswServer();

/** A web server at ORIGIN that is not the service: an HTML 404 for every path. */
function htmlSite(status = 404): string[] {
  const seen: string[] = [];
  mswServer().use(
    http.all(`${ORIGIN}/*`, ({ request }) => {
      seen.push(new URL(request.url).pathname);
      return HttpResponse.html('<html><body><h1>Not Found</h1></body></html>', { status });
    }),
  );
  return seen;
}

const client = () => demoClient({ baseURL: ORIGIN, maxRetries: 0, token: 'sekrit-token-value' });

async function failureOf(call: Promise<unknown>): Promise<JobStatusError> {
  return call.then(
    () => {
      throw new Error('the call resolved');
    },
    (error: unknown) => error as JobStatusError,
  );
}

describe('a baseURL that does not reach the service', () => {
  it('gives an HTML 404 as an ApiError that is not a NotFoundError', async () => {
    htmlSite();

    const error = await failureOf(client().getJob('abc123'));

    expect(error).toBeInstanceOf(ApiError);
    expect(error).not.toBeInstanceOf(NotFoundError);
    expect(error.code).toBe('not_jss_answer');
  });

  it('says the baseURL is probably wrong and shows the URL tried', async () => {
    const seen = htmlSite();

    const error = await failureOf(client().getJob('abc123'));

    expect(seen).toEqual(['/1.0/job/abc123']);
    expect(error.message).toBe(
      `HTTP 404 from GET ${ORIGIN}/1.0/job/abc123 is not a Job Status Service answer: the ` +
        'baseURL is probably wrong (it must end with the path the service is mounted at, such as /jss)',
    );
  });

  it('shows the URL without its query string', async () => {
    htmlSite();

    const error = await failureOf(client().listJobs({}, { cursor: 'c2VjcmV0', limit: 5 }));

    expect(error.message).toContain(`${ORIGIN}/1.0/job/query is not`);
    expect(error.message).not.toContain('c2VjcmV0');
    expect(JSON.stringify(error)).not.toContain('sekrit-token-value');
  });

  it('says so for an HTML page answered with 200 too', async () => {
    htmlSite(200);

    const error = await failureOf(client().getJob('abc123'));

    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.message).toContain(
      `200 from GET ${ORIGIN}/1.0/job/abc123 is not a Job Status Service answer`,
    );
  });

  it("keeps the service's own 404 a NotFoundError", async () => {
    mswServer().use(
      http.get(`${ORIGIN}/1.0/job/abc123`, () =>
        HttpResponse.json(
          { response_type: 'CLIENT_ERROR', error: 'Job not found', code: 'not_found' },
          { status: 404 },
        ),
      ),
    );

    const error = await failureOf(client().getJob('abc123'));

    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe('Job not found');
  });
});
