// The reads other than getJob and getJobs: the paged listings (listJobs, listQueue), the change
// feed (getJobsChangedSince) and the status-only read. The client reaches this module through
// ./load, an `import()`, so that their schemas (paging, sort, queue presets) and decoders are a
// chunk of their own, loaded on first use; getJob and getJobs, the reads every app makes, stay in
// the entry.
import type { CallContext, Decoder } from '../calls/context';
import { JOB_PATH, jobPath } from '../calls/context';
import { decodeJobChanges, decodeJobPage, decodeJobStatusSummary } from '../decode/pages';
import { oneOf } from '../filters';
import type { CallOptions } from '../internal/transport-types';
import { METHOD_OPTION_NAMES, refuseUnknownOptions } from '../schemas/call-options';
import type { JobFilter } from '../schemas/filter';
import { parseInput, throwIfIssues } from '../schemas/issues';
import type { JobStatusSummary } from '../schemas/job';
import {
  changesOptionsSchema,
  listJobsOptionsSchema,
  QUEUE_STATUSES,
  queuePresetSchema,
  stampSchema,
  toWireSort,
  type JobChanges,
  type JobChangesOptions,
  type JobPage,
  type ListJobsOptions,
  type ListQueueOptions,
  type QueuePreset,
} from '../schemas/paging';
import type { ServiceFieldsShape } from '../schemas/service-fields';

/** What the reads need from a client besides its request path: its checked, encoded filters. */
export interface PageContext extends CallContext {
  /** Validates `filter` (naming it by `path` in errors) and encodes it into a query body. */
  filterBody(filter: JobFilter, path: (string | number)[]): Record<string, unknown>;
}

const statusSummary: Decoder<JobStatusSummary> = (body, _wire, context) =>
  decodeJobStatusSummary(body, context);

/** `GET 1.0/job/{jobId}/status`; the job id is checked by the client. */
export function getJobStatus(
  context: PageContext,
  jobId: string,
  options?: CallOptions,
): Promise<JobStatusSummary> {
  const request = { method: 'GET', path: jobPath(jobId, '/status'), idempotent: true } as const;
  return context.call(request, options, statusSummary);
}

/** `listJobs`, naming the filter in errors by where the caller put it. */
export function listJobs<T extends ServiceFieldsShape>(
  context: PageContext,
  filter: JobFilter,
  options: (ListJobsOptions & CallOptions) | undefined,
  filterPath: (string | number)[],
): Promise<JobPage<T>> {
  const paging = parseInput(listJobsOptionsSchema, options ?? {}, 'options');
  const request = {
    method: 'POST',
    path: `${JOB_PATH}query`,
    body: context.filterBody(filter, filterPath),
    query: {
      limit: paging.limit,
      offset: paging.offset,
      sort: paging.sort === undefined ? undefined : toWireSort(paging.sort),
      cursor: paging.cursor,
    },
    idempotent: true,
  } as const;
  const page: Decoder<JobPage<T>> = (body, wire, decodeContext) =>
    decodeJobPage<T>(body, wire, paging.offset, decodeContext);
  return context.call(request, options, page, METHOD_OPTION_NAMES.listJobs);
}

/** `POST 1.0/job/changes?since=`. */
export function getJobsChangedSince<T extends ServiceFieldsShape>(
  context: PageContext,
  stamp: number,
  options?: JobChangesOptions & CallOptions,
): Promise<JobChanges<T>> {
  const since = parseInput(stampSchema, stamp, 'stamp');
  const input = parseInput(changesOptionsSchema, options ?? {}, 'options');
  const request = {
    method: 'POST',
    path: `${JOB_PATH}changes`,
    body: context.filterBody(input.filter ?? {}, ['options', 'filter']),
    query: { since, limit: input.limit, finished: input.finished },
    idempotent: true,
  } as const;
  return context.call(
    request,
    options,
    decodeJobChanges<T>,
    METHOD_OPTION_NAMES.getJobsChangedSince,
  );
}

/** One page of a queue: `listJobs` with the preset's statuses. */
export function listQueue<T extends ServiceFieldsShape>(
  context: PageContext,
  preset: QueuePreset,
  options?: ListQueueOptions & CallOptions,
): Promise<JobPage<T>> {
  const queue = parseInput(queuePresetSchema, preset, 'preset');
  refuseUnknownOptions(options, METHOD_OPTION_NAMES.listQueue);
  const { filter = {}, ...rest } = options ?? {};
  if ((filter as JobFilter).status !== undefined) {
    throwIfIssues([
      {
        path: ['options', 'filter', 'status'],
        message: 'is set by the preset; use listJobs to filter by status',
      },
    ]);
  }
  return listJobs<T>(context, { ...filter, status: oneOf(QUEUE_STATUSES[queue]) }, rest, [
    'options',
    'filter',
  ]);
}

// One shared chunk with the entry's modules (see ../internal/entry-modules).
export { ENTRY_MODULES } from '../internal/entry-modules';
