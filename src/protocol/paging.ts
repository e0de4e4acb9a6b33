import { ModelError } from './errors';
import type { SortKey } from './sort';

/** The most jobs one page (or one changes answer) may hold. */
export const MAX_LIMIT = 1000;
/** The largest `offset`: the database takes a 32-bit OFFSET. */
export const MAX_OFFSET = 2 ** 31 - 1;
/** How many changes one answer holds when the poller does not say. */
export const DEFAULT_CHANGES_LIMIT = 100;

/** The wire fields a query may sort by (docs/protocol.md, "Paging"). */
export const SORTABLE_FIELDS: readonly string[] = [
  'created',
  'modified',
  'job_id',
  'status',
  'user',
  'job_name',
  'service',
  'current_stage',
];

/**
 * One query parameter by name, undefined when absent. Each side passes its own reader (a Hono
 * context, a `URLSearchParams`), so the rules below stay free of any HTTP library.
 */
export type QueryParam = (name: string) => string | undefined;

/** What `?limit&offset&sort&cursor` of `POST 1.0/job/query` ask for. */
export interface PageParams {
  /** Undefined: every match (the legacy behaviour). */
  limit: number | undefined;
  offset: number;
  /** Undefined: the default order, the only one that gets (and continues) a cursor. */
  sort: SortKey[] | undefined;
  /** The opaque cursor as sent, for the side that made it to decode. Never with sort or offset. */
  cursor: string | undefined;
}

/** What `?since&limit&finished` of `POST 1.0/job/changes` ask for. */
export interface ChangesParams {
  since: number;
  limit: number;
  finished: boolean;
}

const invalidPaging = (message: string) => new ModelError('invalid_paging', message);

function integerParam(query: QueryParam, name: string, min: number, max: number) {
  const text = query(name);
  if (text === undefined) return undefined;
  // Digits only: Number() would also take `1e3`, ` 7` or `0x10`.
  const value = /^\d{1,15}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max)) {
    throw invalidPaging(`"${name}" must be an integer in ${min}..${max}`);
  }
  return value;
}

/**
 * Reads a `sort` parameter such as `status,-created`.
 *
 * @throws ModelError `invalid_paging` for an unknown field or a field named twice
 */
export function parseSort(text: string): SortKey[] {
  const keys = text.split(',').map((part): SortKey => {
    const descending = part.startsWith('-');
    const field = descending ? part.slice(1) : part;
    if (!SORTABLE_FIELDS.includes(field)) {
      throw invalidPaging(
        `Cannot sort by ${JSON.stringify(field)}: use ${SORTABLE_FIELDS.join(', ')}`,
      );
    }
    return { field, direction: descending ? -1 : 1 };
  });
  if (new Set(keys.map((key) => key.field)).size < keys.length) {
    throw invalidPaging('A sort names a field twice');
  }
  return keys;
}

/** @throws ModelError `invalid_paging` */
export function parsePageParams(query: QueryParam): PageParams {
  const limit = integerParam(query, 'limit', 1, MAX_LIMIT);
  const offset = integerParam(query, 'offset', 0, MAX_OFFSET);
  const sort = query('sort');
  const cursor = query('cursor');
  if (cursor !== undefined) {
    if (sort !== undefined || offset !== undefined) {
      throw invalidPaging('A cursor cannot be combined with sort or offset');
    }
    return { limit, offset: 0, sort: undefined, cursor };
  }
  return {
    limit,
    offset: offset ?? 0,
    sort: sort === undefined ? undefined : parseSort(sort),
    cursor: undefined,
  };
}

/** @throws ModelError `invalid_paging` */
export function parseChangesParams(query: QueryParam): ChangesParams {
  const finished = query('finished');
  if (finished !== undefined && finished !== 'true' && finished !== 'false') {
    throw invalidPaging('"finished" must be true or false');
  }
  return {
    since: integerParam(query, 'since', 0, Number.MAX_SAFE_INTEGER) ?? 0,
    limit: integerParam(query, 'limit', 1, MAX_LIMIT) ?? DEFAULT_CHANGES_LIMIT,
    finished: finished === 'true',
  };
}
