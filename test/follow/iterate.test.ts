import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RequestValidationError, ResponseValidationError } from '../../src/errors';
import type { FollowContext } from '../../src/follow';
import { iterateJobs } from '../../src/follow';
import type { CallOptions } from '../../src/internal/transport-types';
import type { Job, JobFilter, JobPage, ListJobsOptions } from '../../src/schemas';
import { BASE_URL, decodeTestJob, makeContext, wireJob } from './support';

const QUERY_URL = `${BASE_URL}1.0/job/query`;
const ALL_JOBS = ['j1', 'j2', 'j3', 'j4', 'j5'].map((id) => wireJob(id, 'WAITING'));

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

interface SeenQuery {
  method: string;
  search: string;
  contentType: string | null;
  userId: string | null;
  body: string;
}

/**
 * A server that pages ALL_JOBS by cursor, as docs/protocol.md describes: the cursor names the last
 * job of the previous page.
 */
function serveCursorPages(seen: SeenQuery[], options: { dropCursor?: boolean } = {}): void {
  server.use(
    http.post(QUERY_URL, async ({ request }) => {
      const url = new URL(request.url);
      seen.push({
        method: request.method,
        search: url.search,
        contentType: request.headers.get('content-type'),
        userId: request.headers.get('x-user-id'),
        body: await request.text(),
      });
      const limit = Number(url.searchParams.get('limit'));
      const cursor = url.searchParams.get('cursor');
      const start = cursor === null ? 0 : ALL_JOBS.findIndex((job) => job.job_id === cursor) + 1;
      const data = ALL_JOBS.slice(start, start + limit);
      const hasMore = start + limit < ALL_JOBS.length;
      const last = data[data.length - 1];
      return HttpResponse.json({
        response_type: 'SUCCESS',
        data,
        total_count: ALL_JOBS.length,
        offset: start,
        has_more: hasMore,
        ...(hasMore && !options.dropCursor && last ? { next_cursor: last.job_id } : {}),
      });
    }),
  );
}

/** A stand-in for the client's listJobs: the query string and body the protocol prescribes. */
async function listJobsOverHttp(
  filter: JobFilter,
  options: ListJobsOptions & CallOptions = {},
): Promise<JobPage> {
  const query = new URLSearchParams();
  if (options.limit !== undefined) query.set('limit', String(options.limit));
  if (options.cursor !== undefined) query.set('cursor', options.cursor);
  const response = await fetch(`${QUERY_URL}?${query.toString()}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-User-Id': 'demo' },
    body: JSON.stringify(filter),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const body = (await response.json()) as {
    data: unknown[];
    total_count: number;
    offset: number;
    has_more: boolean;
    next_cursor?: string;
  };
  const page: JobPage = {
    jobs: body.data.map(decodeTestJob),
    totalCount: body.total_count,
    offset: body.offset,
    hasMore: body.has_more,
  };
  if (body.next_cursor !== undefined) page.nextCursor = body.next_cursor;
  return page;
}

function contextOverHttp(): FollowContext {
  return makeContext({ listJobs: vi.fn(listJobsOverHttp) });
}

async function collect(jobs: AsyncIterable<Job>): Promise<string[]> {
  const ids: string[] = [];
  for await (const job of jobs) ids.push(job.jobId);
  return ids;
}

describe('iterateJobs', () => {
  it('walks three pages by cursor and stops after the one without more', async () => {
    const seen: SeenQuery[] = [];
    serveCursorPages(seen);

    const ids = await collect(iterateJobs(contextOverHttp(), { user: 'demo' }, { pageSize: 2 }));

    expect(ids).toEqual(['j1', 'j2', 'j3', 'j4', 'j5']);
    expect(seen.map((query) => query.search)).toEqual([
      '?limit=2',
      '?limit=2&cursor=j2',
      '?limit=2&cursor=j4',
    ]);
    for (const query of seen) {
      expect(query).toMatchObject({
        method: 'POST',
        contentType: 'application/json',
        userId: 'demo',
        body: '{"user":"demo"}',
      });
    }
  });

  it('asks for 100 jobs a page by default', async () => {
    const seen: SeenQuery[] = [];
    serveCursorPages(seen);

    await collect(iterateJobs(contextOverHttp(), {}));

    expect(seen.map((query) => query.search)).toEqual(['?limit=100']);
  });

  it('fetches the next page only once the previous one is read', async () => {
    const seen: SeenQuery[] = [];
    serveCursorPages(seen);
    const ids: string[] = [];

    for await (const job of iterateJobs(contextOverHttp(), {}, { pageSize: 2 })) {
      ids.push(job.jobId);
      if (ids.length === 3) break;
    }

    expect(ids).toEqual(['j1', 'j2', 'j3']);
    expect(seen).toHaveLength(2);
  });

  it('fails rather than repeat a page when has_more comes without a cursor', async () => {
    const seen: SeenQuery[] = [];
    serveCursorPages(seen, { dropCursor: true });

    const failure = await collect(iterateJobs(contextOverHttp(), {}, { pageSize: 2 })).catch(
      (error: unknown) => error,
    );

    expect(ResponseValidationError.is(failure)).toBe(true);
    expect(seen).toHaveLength(1);
  });

  it('passes its signal to every page request', async () => {
    const seen: SeenQuery[] = [];
    serveCursorPages(seen);
    const ctx = contextOverHttp();
    const controller = new AbortController();

    await collect(iterateJobs(ctx, {}, { pageSize: 2, signal: controller.signal }));

    const signals = vi.mocked(ctx.listJobs).mock.calls.map(([, options]) => options?.signal);
    expect(signals).toEqual([controller.signal, controller.signal, controller.signal]);
  });

  it('refuses a page size outside 1 to 1000 before any request', async () => {
    const ctx = contextOverHttp();

    const failure = await collect(iterateJobs(ctx, {}, { pageSize: 0 })).catch(
      (error: unknown) => error,
    );

    expect(RequestValidationError.is(failure)).toBe(true);
    expect((failure as Error).message).toContain('pageSize');
    expect(ctx.listJobs).not.toHaveBeenCalled();
  });
});
