import type { Context } from 'hono';
import type { ChangesRequest } from '../store/changes';
import type { PageRequest, SortKey } from '../store/query-jobs';
import {
  parseChangesParams as parseModelChangesParams,
  parsePageParams,
  parseSort as parseModelSort,
} from '#protocol';
import { isValidJobId } from '../wire/job-id';
import { withApiErrors } from '../wire/model-errors';
import { ApiError } from './api-error';

const DEFAULT_SORT: SortKey[] = [
  { field: 'created', descending: false },
  { field: 'job_id', descending: false },
];

const invalid = (message: string) => new ApiError(400, 'invalid_paging', message);

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

const WIRE_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;

/** The opaque `next_cursor`: the (created, job_id) of the last job of a page. */
export function encodeCursor(last: { created: string; job_id: string }): string {
  return Buffer.from(JSON.stringify([last.created, last.job_id])).toString('base64url');
}

function decodeCursor(cursor: string): { created: string; job_id: string } {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('Malformed cursor');
  }
  if (
    !Array.isArray(decoded) ||
    decoded.length !== 2 ||
    typeof decoded[0] !== 'string' ||
    !WIRE_DATE.test(decoded[0]) ||
    typeof decoded[1] !== 'string' ||
    !isValidJobId(decoded[1])
  ) {
    throw invalid('Malformed cursor');
  }
  return { created: decoded[0], job_id: decoded[1] };
}

/** `since`, `limit` and `finished` of `POST 1.0/job/changes` (the rules are the model's). */
export function parseChangesParams(c: Context): ChangesRequest {
  return withApiErrors(() => parseModelChangesParams((name) => c.req.query(name)));
}
