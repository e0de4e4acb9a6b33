import {
  cloneJson,
  compareJobs,
  DEFAULT_SORT,
  isTerminalStatus,
  matchesFilter,
  validateFilter,
  type WireJob,
} from '#protocol';
import { isJsonObject } from '#protocol/json';
import { invalidBody } from '../service-error';
import { encodeCursor } from '#protocol/cursor';
import type { JobTable, StoredJob, Tombstone } from './job-table';
import type { ChangesRequest, PageRequest } from './paging';

/** One page of `POST 1.0/job/query`. */
export interface QueryResult {
  jobs: WireJob[];
  /** Every match of the filter. */
  total: number;
  /** The matches before the page. */
  offset: number;
  hasMore: boolean;
  nextCursor?: string;
}

/** One answer of `POST 1.0/job/changes`. */
export interface ChangesResult {
  jobs: WireJob[];
  hasMore: boolean;
  /** What the poller passes as `since` next time. */
  stamp: number;
}

const inDefaultOrder = compareJobs(DEFAULT_SORT);

/**
 * Checks a filter body: a JSON object (absent means `{}`) that the model accepts.
 *
 * @throws ModelError `invalid_body` or `invalid_filter`
 */
export function requireFilter(body: unknown): Record<string, unknown> {
  const filter = body ?? {};
  if (!isJsonObject(filter)) throw invalidBody('The body must be a JSON object (the filter)');
  const problem = validateFilter(filter);
  if (problem !== undefined) throw problem;
  return filter;
}

/** Runs `POST 1.0/job/query` on the table. */
export function queryJobs(
  table: JobTable,
  filter: Record<string, unknown>,
  page: PageRequest,
  visible: (job: WireJob) => boolean = () => true,
): QueryResult {
  const matches = table
    .rows()
    .map((row) => row.doc)
    .filter((job) => matchesFilter(job, filter) && visible(job))
    .sort(compareJobs(page.sort));
  const { after } = page;
  // A cursor continues after a position, not an index: jobs inserted or deleted meanwhile
  // neither shift nor repeat the rest.
  const position = after && { ...after, user: '', status: '' };
  const before = position ? matches.filter((job) => inDefaultOrder(job, position) <= 0).length : 0;
  const start = position ? before : page.offset;
  const end = page.limit === undefined ? matches.length : start + page.limit;
  const jobs = matches.slice(start, end);
  const hasMore = end < matches.length;
  const last = jobs[jobs.length - 1];
  const result: QueryResult = {
    jobs: jobs.map((job) => cloneJson(job)),
    total: matches.length,
    offset: start,
    hasMore,
  };
  if (hasMore && page.defaultOrder && last !== undefined) {
    result.nextCursor = encodeCursor({ created: String(last.created), job_id: last.job_id });
  }
  return result;
}

/** Runs `POST 1.0/job/changes` on the table: matching jobs changed after `since`, stamp order. */
export function listChanges(
  table: JobTable,
  filter: Record<string, unknown>,
  request: ChangesRequest,
  visible: (job: WireJob) => boolean = () => true,
): ChangesResult {
  const changed = table
    .rows()
    .filter(
      (row) =>
        row.stamp > request.since &&
        (!request.finished || isTerminalStatus(row.doc.status)) &&
        matchesFilter(row.doc, filter) &&
        visible(row.doc),
    )
    .sort((left, right) => left.stamp - right.stamp);
  const hasMore = changed.length > request.limit;
  const page = changed.slice(0, request.limit);
  const last = page[page.length - 1];
  return {
    jobs: page.map((row) => cloneJson(row.doc)),
    hasMore,
    stamp: hasMore && last !== undefined ? last.stamp : table.stamp,
  };
}

/** Whose jobs an event stream follows. */
export type StreamScope = { user: string } | { jobIds: readonly string[] };

/** Whether a job belongs to an event stream's scope. */
export function inScope(scope: StreamScope, job: { job_id: string; user: string }): boolean {
  return 'user' in scope ? job.user === scope.user : scope.jobIds.includes(job.job_id);
}

/** The jobs a new event stream starts with, in the default order. */
export function jobsInScope(
  table: JobTable,
  scope: StreamScope,
  visible: (job: WireJob) => boolean = () => true,
): WireJob[] {
  return table
    .rows()
    .map((row) => row.doc)
    .filter((job) => inScope(scope, job) && visible(job))
    .sort(inDefaultOrder)
    .map((job) => cloneJson(job));
}

/** A change a resumed event stream missed. */
export type MissedChange =
  | { kind: 'insert' | 'update'; stamp: number; job: WireJob }
  | { kind: 'delete'; stamp: number; job: { job_id: string; user: string } };

/**
 * What changed in scope after `since` (a `Last-Event-ID`), in stamp order: each job's current
 * state (an insert when it was created after `since`) and each deletion.
 */
export function changesInScopeSince(
  table: JobTable,
  scope: StreamScope,
  since: number,
  visible: {
    job: (job: WireJob) => boolean;
    tombstone: (tombstone: Tombstone) => boolean;
  } = { job: () => true, tombstone: () => true },
): MissedChange[] {
  const updates = table
    .rows()
    .filter((row) => row.stamp > since && inScope(scope, row.doc) && visible.job(row.doc))
    .map((row: StoredJob): MissedChange => ({
      kind: row.createdStamp > since ? 'insert' : 'update',
      stamp: row.stamp,
      job: cloneJson(row.doc),
    }));
  const deletions = table
    .tombstones()
    .filter(
      (tombstone) =>
        tombstone.stamp > since && inScope(scope, tombstone) && visible.tombstone(tombstone),
    )
    .map(({ stamp, job_id, user }): MissedChange => ({
      kind: 'delete',
      stamp,
      job: { job_id, user },
    }));
  return [...updates, ...deletions].sort((left, right) => left.stamp - right.stamp);
}
