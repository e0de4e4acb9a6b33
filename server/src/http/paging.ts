import type { Context } from 'hono';
import type { ChangesRequest } from '../store/changes';
import type { PageRequest, SortKey } from '../store/query-jobs';
import {
  parseChangesParams as parseModelChangesParams,
  parsePageParams,
  parseSort as parseModelSort,
} from '#protocol';
import { decodeCursor as decodeModelCursor } from '#protocol/cursor';
import { withApiErrors } from '../wire/model-errors';

const DEFAULT_SORT: SortKey[] = [
  { field: 'created', descending: false },
  { field: 'job_id', descending: false },
];

/** Reads a `sort` parameter (`status,-created`); 400 `invalid_paging` for a bad one. */
export function parseSort(text: string): SortKey[] {
  return withApiErrors(() => parseModelSort(text)).map(({ field, direction }) => ({
    field,
    descending: direction === -1,
  }));
}

/** `limit`, `offset`, `sort` and `cursor` of `POST 1.0/job/query` (the rules are the model's). */
export function parsePaging(c: Context): PageRequest {
  const { limit, offset, sort, cursor } = withApiErrors(() =>
    parsePageParams((name) => c.req.query(name)),
  );
  if (cursor !== undefined)
    return { limit, offset, sort: DEFAULT_SORT, after: decodeCursor(cursor) };
  const keys = sort?.map(({ field, direction }) => ({ field, descending: direction === -1 }));
  return { limit, offset, sort: keys ?? DEFAULT_SORT };
}

/** Whether a page was read in the default order, the only one a cursor can continue. */
export const isDefaultOrder = (c: Context) => c.req.query('sort') === undefined;

export { encodeCursor } from '#protocol/cursor';

/** Reads a `next_cursor` this server handed out; 400 `invalid_paging` for anything else. */
function decodeCursor(cursor: string): { created: string; job_id: string } {
  return withApiErrors(() => decodeModelCursor(cursor));
}

/** `since`, `limit` and `finished` of `POST 1.0/job/changes` (the rules are the model's). */
export function parseChangesParams(c: Context): ChangesRequest {
  return withApiErrors(() => parseModelChangesParams((name) => c.req.query(name)));
}
