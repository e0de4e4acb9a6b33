import type { Context } from 'hono';
import type { ChangesRequest } from '../store/changes';
import { SORT_COLUMNS, type PageRequest, type SortKey } from '../store/query-jobs';
import { isValidJobId } from '../wire/job-id';
import { ApiError } from './api-error';

/** The most jobs one page (or one changes answer) may hold. */
export const MAX_LIMIT = 1000;
/** How many changes one answer holds when the poller does not say. */
export const DEFAULT_CHANGES_LIMIT = 100;

const DEFAULT_SORT: SortKey[] = [
  { field: 'created', descending: false },
  { field: 'job_id', descending: false },
];

const invalid = (message: string) => new ApiError(400, 'invalid_paging', message);

function integerParam(c: Context, name: string, min: number, max: number): number | undefined {
  const text = c.req.query(name);
  if (text === undefined) return undefined;
  const value = /^\d{1,15}$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max))
    throw invalid(`"${name}" must be an integer in ${min}..${max}`);
  return value;
}

/** Reads a `sort` parameter (`status,-created`); 400 `invalid_paging` for a bad one. */
export function parseSort(text: string): SortKey[] {
  const keys = text.split(',').map((part) => {
    const descending = part.startsWith('-');
    const field = descending ? part.slice(1) : part;
    if (!SORT_COLUMNS.has(field)) {
      throw invalid(
        `Cannot sort by ${JSON.stringify(field)}: use ${[...SORT_COLUMNS.keys()].join(', ')}`,
      );
    }
    return { field, descending };
  });
  if (new Set(keys.map((key) => key.field)).size < keys.length)
    throw invalid('A sort names a field twice');
  return keys;
}

/** `limit`, `offset`, `sort` and `cursor` of `POST 1.0/job/query`. */
export function parsePaging(c: Context): PageRequest {
  const limit = integerParam(c, 'limit', 1, MAX_LIMIT);
  const offset = integerParam(c, 'offset', 0, Number.MAX_SAFE_INTEGER);
  const sort = c.req.query('sort');
  const cursor = c.req.query('cursor');
  if (cursor !== undefined) {
    if (sort !== undefined || offset !== undefined)
      throw invalid('A cursor cannot be combined with sort or offset');
    return { limit, offset: 0, sort: DEFAULT_SORT, after: decodeCursor(cursor) };
  }
  return { limit, offset: offset ?? 0, sort: sort === undefined ? DEFAULT_SORT : parseSort(sort) };
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

/** `since`, `limit` and `finished` of `POST 1.0/job/changes`. */
export function parseChangesParams(c: Context): ChangesRequest {
  const finished = c.req.query('finished');
  if (finished !== undefined && finished !== 'true' && finished !== 'false') {
    throw invalid('"finished" must be true or false');
  }
  return {
    since: integerParam(c, 'since', 0, Number.MAX_SAFE_INTEGER) ?? 0,
    limit: integerParam(c, 'limit', 1, MAX_LIMIT) ?? DEFAULT_CHANGES_LIMIT,
    finished: finished === 'true',
  };
}
