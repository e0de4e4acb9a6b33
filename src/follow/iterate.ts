import { ResponseValidationError } from '../errors';
import type { Job, JobFilter } from '../schemas';
import { MAX_PAGE_SIZE } from '../schemas/names';
import { throwIfIssues } from '../schemas/issues';
import type { FollowContext } from './context';
import type { IterateJobsOptions } from './options';

export type { IterateJobsOptions } from './options';

/**
 * Every job matching `filter`, in the default order (`created`, then `jobId`), fetched page by
 * page with cursors: the first request has no cursor, each next one the previous page's
 * `nextCursor`, until a page says `hasMore: false`. Cursor paging neither skips nor repeats a job
 * when others are inserted or deleted meanwhile. Stop early with `break`; no request is left open.
 *
 * @throws RequestValidationError for a page size outside 1..1000
 * @throws ResponseValidationError when a page says `hasMore` without a new `nextCursor`
 * @example
 * for await (const job of iterateJobs(ctx, { status: 'FAILED' })) console.log(job.jobId);
 */
export async function* iterateJobs(
  ctx: FollowContext,
  filter: JobFilter,
  { pageSize: limit = 100, signal }: IterateJobsOptions = {},
): AsyncGenerator<Job, void, undefined> {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throwIfIssues([
      {
        path: ['pageSize'],
        message: `must be an integer from 1 to ${MAX_PAGE_SIZE}`,
        code: 'invalid_value',
      },
    ]);
  }
  let cursor: string | undefined;
  for (;;) {
    const page = await ctx.listJobs(filter, { limit, cursor, signal });
    yield* page.jobs;
    if (!page.hasMore) return;
    // Without a fresh cursor the next request would repeat this page forever.
    if (page.nextCursor === undefined || page.nextCursor === cursor) {
      throw new ResponseValidationError(
        [
          {
            path: ['next_cursor'],
            message: 'must be a new cursor when has_more is true',
            code: 'invalid_type',
          },
        ],
        { method: 'POST', path: '1.0/job/query' },
      );
    }
    cursor = page.nextCursor;
  }
}
