import {
  DEFAULT_SORT,
  parseChangesParams as parseChanges,
  parsePageParams,
  type ChangesParams,
  type SortKey,
} from '#protocol';
import { decodeCursor, type CursorPosition } from '#protocol/cursor';

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
export type ChangesRequest = ChangesParams;

// The model reads parameters through a function that answers undefined for an absent one.
const readerOf = (params: URLSearchParams) => (name: string) => params.get(name) ?? undefined;

/**
 * Reads `?limit&offset&sort&cursor` with the model's rules and decodes the kit's cursor.
 *
 * @throws ModelError `invalid_paging`
 */
export function parsePaging(params: URLSearchParams): PageRequest {
  const { limit, offset, sort, cursor } = parsePageParams(readerOf(params));
  const page = { limit, offset, sort: sort ?? DEFAULT_SORT, defaultOrder: sort === undefined };
  return cursor === undefined ? page : { ...page, after: decodeCursor(cursor) };
}

/** @throws ModelError `invalid_paging` */
export function parseChangesParams(params: URLSearchParams): ChangesRequest {
  return parseChanges(readerOf(params));
}
