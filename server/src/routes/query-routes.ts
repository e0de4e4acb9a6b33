import { Hono, type Context } from 'hono';
import { badBody } from '../http/api-error';
import { readJsonBody } from '../http/body';
import { envelope, jsonWithinLimit } from '../http/envelope';
import type { JssEnv } from '../http/env';
import { encodeCursor, isDefaultOrder, parseChangesParams, parsePaging } from '../http/paging';
import { listChanges } from '../store/changes';
import { toWireJob } from '../store/job-row';
import { queryJobs } from '../store/query-jobs';
import { isJsonObject } from '#protocol';
import type { RouteDeps } from './deps';

async function readFilter(c: Context<JssEnv>): Promise<unknown> {
  const body = (await readJsonBody(c)) ?? {};
  if (!isJsonObject(body)) throw badBody('The body must be a JSON object (the filter)');
  return body;
}

/** `POST 1.0/job/query` and `POST 1.0/job/changes`. */
export function queryRoutes(deps: RouteDeps): Hono<JssEnv> {
  const app = new Hono<JssEnv>();
  app.post('/job/query', async (c) => {
    const page = parsePaging(c);
    const filter = await readFilter(c);
    const result = await queryJobs(deps.store, filter, page, c.get('principal'));
    const last = result.rows[result.rows.length - 1];
    const cursor =
      result.hasMore && last && isDefaultOrder(c) ? { next_cursor: encodeCursor(last) } : {};
    return jsonWithinLimit(
      c,
      envelope(result.rows.map(toWireJob), {
        total_count: result.total,
        offset: result.offset,
        has_more: result.hasMore,
        ...cursor,
        ...(result.totalCapped ? { total_count_capped: true } : {}),
      }),
    );
  });

  app.post('/job/changes', async (c) => {
    const request = parseChangesParams(c);
    const filter = await readFilter(c);
    const result = await listChanges(deps.store, filter, request, c.get('principal'));
    return jsonWithinLimit(
      c,
      envelope(result.rows.map(toWireJob), { has_more: result.hasMore, stamp: result.stamp }),
    );
  });
  return app;
}
