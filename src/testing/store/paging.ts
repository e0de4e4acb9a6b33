import { DEFAULT_SORT, ModelError, type SortKey } from '../../internal/model';
import { decodeCursor, type CursorPosition } from './cursor';

/** The most jobs one page (or one changes answer) may hold. */
export const MAX_LIMIT = 1000;
/** How many changes one answer holds when the poller does not say. */
export const DEFAULT_CHANGES_LIMIT = 100;

/** The wire fields a query may sort by (docs/protocol.md, "Paging"). */
export const SORTABLE_FIELDS: ReadonlySet<string> = new Set([
  'created',
  'modified',
  'job_id',
  'status',
  'user',
  'job_name',
  'service',
  'current_stage',
]);

/** What `?limit&offset&sort&cursor` of `POST 1.0/job/query` ask for. */
export interface PageRequest {
  /** Undefined: every match (the legacy behaviour). */
  limit: number | undefined;
  offset: number;
  sort: readonly SortKey[];
  /** Only a page in the default order (no `sort`) gets a `next_cursor`. */
  defaultOrder: boolean;
  after?: CursorPosition;
}

/** What `?since&limit&finished` of `POST 1.0/job/changes` ask for. */
export interface ChangesRequest {
  since: number;
  limit: number;
  finished: boolean;
}

const invalidPaging = (message: string) => new ModelError('invalid_paging', message);

function integerParam(params: URLSearchParams, name: string, min: number, max: number) {
  const text = params.get(name);
  if (text === null) return undefined;
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
    if (!SORTABLE_FIELDS.has(field)) {
      throw invalidPaging(
        `Cannot sort by ${JSON.stringify(field)}: use ${[...SORTABLE_FIELDS].join(', ')}`,
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
export function parsePaging(params: URLSearchParams): PageRequest {
  const limit = integerParam(params, 'limit', 1, MAX_LIMIT);
  const offset = integerParam(params, 'offset', 0, Number.MAX_SAFE_INTEGER);
  const sort = params.get('sort');
  const cursor = params.get('cursor');
  if (cursor !== null) {
    if (sort !== null || offset !== undefined) {
      throw invalidPaging('A cursor cannot be combined with sort or offset');
    }
    return {
      limit,
      offset: 0,
      sort: DEFAULT_SORT,
      defaultOrder: true,
      after: decodeCursor(cursor),
    };
  }
  return {
    limit,
    offset: offset ?? 0,
    sort: sort === null ? DEFAULT_SORT : parseSort(sort),
    defaultOrder: sort === null,
  };
}

/** @throws ModelError `invalid_paging` */
export function parseChangesParams(params: URLSearchParams): ChangesRequest {
  const finished = params.get('finished');
  if (finished !== null && finished !== 'true' && finished !== 'false') {
    throw invalidPaging('"finished" must be true or false');
  }
  return {
    since: integerParam(params, 'since', 0, Number.MAX_SAFE_INTEGER) ?? 0,
    limit: integerParam(params, 'limit', 1, MAX_LIMIT) ?? DEFAULT_CHANGES_LIMIT,
    finished: finished === 'true',
  };
}
