import * as z from 'zod/mini';
import type { JobFilter } from './filter';
import { jobSchema } from './job';

/** The largest page the server serves. */
export const MAX_PAGE_SIZE = 1000;

/** The fields a listing can be ordered by, with their wire names. */
const SORT_WIRE_NAMES = {
  created: 'created',
  modified: 'modified',
  jobId: 'job_id',
  status: 'status',
  user: 'user',
  jobName: 'job_name',
  service: 'service',
  currentStage: 'current_stage',
} as const;

/** A field a listing can be ordered by. */
export type SortField = keyof typeof SORT_WIRE_NAMES;

/** A sort field, ascending, or with a `-` prefix, descending. */
export type SortKey = SortField | `-${SortField}`;

const sortFields = Object.keys(SORT_WIRE_NAMES).join(', ');

function sortParts(sort: string | readonly string[]): string[] {
  return typeof sort === 'string' ? sort.split(',').map((part) => part.trim()) : [...sort];
}

function sortPartProblem(part: unknown): string | undefined {
  if (typeof part !== 'string') return `must be a string, received ${typeof part}`;
  const field = part.startsWith('-') ? part.slice(1) : part;
  return Object.prototype.hasOwnProperty.call(SORT_WIRE_NAMES, field)
    ? undefined
    : `must name a sort field (fields: ${sortFields}; prefix "-" for descending)`;
}

/** `'-created,jobId'` or `['-created', 'jobId']` → the wire form `-created,job_id`. */
export function toWireSort(sort: string | readonly string[]): string {
  return sortParts(sort)
    .map((part) => {
      const descending = part.startsWith('-');
      const field = (descending ? part.slice(1) : part) as SortField;
      return `${descending ? '-' : ''}${SORT_WIRE_NAMES[field]}`;
    })
    .join(',');
}

const sortSchema = z.union([z.string(), z.array(z.string())]).check(
  z.superRefine((sort, context) => {
    const parts = sortParts(sort);
    if (parts.length === 0)
      context.addIssue({ code: 'custom', message: 'must name at least one field', input: sort });
    parts.forEach((part, index) => {
      const problem = sortPartProblem(part);
      if (problem !== undefined) {
        const path = typeof sort === 'string' ? [] : [index];
        context.addIssue({ code: 'custom', message: problem, path, input: sort });
      }
    });
  }),
);

const limitSchema = z.int().check(z.gte(1), z.lte(MAX_PAGE_SIZE));
const offsetSchema = z.int().check(z.gte(0));

/** Paging and order of `listJobs`; other keys (the call options) are ignored here. */
export const listJobsOptionsSchema = z
  .object({
    /** Jobs per page, 1 to 1000. */
    limit: z.optional(limitSchema),
    /** Jobs to skip. */
    offset: z.optional(offsetSchema),
    /** camelCase field names, `-` prefix for descending. */
    sort: z.optional(sortSchema),
    /** The `nextCursor` of the previous page. */
    cursor: z.optional(z.string().check(z.minLength(1))),
  })
  .check(
    z.superRefine((options, context) => {
      if (options.cursor === undefined) return;
      for (const key of ['sort', 'offset'] as const) {
        if (options[key] !== undefined) {
          context.addIssue({
            code: 'custom',
            message: 'cannot be combined with cursor (a cursor continues in the default order)',
            path: [key],
            input: options,
          });
        }
      }
    }),
  );

/** Paging and order of a listing. */
export interface ListJobsOptions {
  /**
   * Jobs per page, 1 to 1000. Without it the server answers every match.
   * @example { limit: 100 }
   */
  limit?: number;
  /** Jobs to skip before the page starts. */
  offset?: number;
  /**
   * camelCase field names, comma-separated or as an array, `-` prefix for descending.
   * @default 'created,jobId'
   * @example { sort: ['-modified', 'jobId'] }
   */
  sort?: SortKey | (string & {}) | readonly SortKey[];
  /** The `nextCursor` of the previous page; cannot be combined with `sort` or `offset`. */
  cursor?: string;
}

/** What `getJobsChangedSince` accepts besides the stamp. */
export const changesOptionsSchema = z.object({
  /** Only jobs matching this filter. */
  filter: z.optional(z.unknown()),
  /** Only jobs that have ended. */
  finished: z.optional(z.boolean()),
  /** At most this many jobs (server default 100). */
  limit: z.optional(limitSchema),
});

/** Options of `getJobsChangedSince`. */
export interface JobChangesOptions {
  /** Only jobs matching this filter. */
  filter?: JobFilter;
  /** Only jobs that have ended (succeeded, failed or aborted). */
  finished?: boolean;
  /** At most this many jobs, 1 to 1000 (server default 100). */
  limit?: number;
}

/** A stamp: a non-negative integer from a previous `JobChanges`, or 0 for the beginning. */
export const stampSchema = z.int().check(z.gte(0));

/** The queues `listQueue` knows, each a set of statuses. */
export const QUEUE_STATUSES = {
  pending: ['WAITING', 'BLOCKED'],
  running: ['WORKING', 'RETRYING'],
  inProgress: ['WAITING', 'BLOCKED', 'WORKING', 'RETRYING'],
  finished: ['SUCCEEDED', 'FAILED', 'UNRECOVERABLE', 'ABORTED'],
  succeeded: ['SUCCEEDED'],
  failed: ['FAILED', 'UNRECOVERABLE'],
  aborted: ['ABORTED'],
} as const;

/** A preset of `listQueue`. */
export type QueuePreset = keyof typeof QUEUE_STATUSES;

export const queuePresetSchema = z.enum(
  Object.keys(QUEUE_STATUSES) as [QueuePreset, ...QueuePreset[]],
  { error: `must be one of ${Object.keys(QUEUE_STATUSES).join(', ')}` },
);

/** Options of `listQueue`. */
export interface ListQueueOptions extends Omit<ListJobsOptions, 'cursor'> {
  /** More conditions; `status` is set by the preset and cannot be given. */
  filter?: Omit<JobFilter, 'status'>;
}

/** One page of a listing. */
export const jobPageSchema = z.object({
  jobs: z.array(jobSchema),
  /** Every match, on every page. */
  totalCount: z.number(),
  /** Where this page starts. */
  offset: z.number(),
  /** Whether another page follows. */
  hasMore: z.boolean(),
  /** Pass as `cursor` to get the next page (present when `hasMore`). */
  nextCursor: z.optional(z.string()),
});

/** The jobs changed after a stamp, and the stamp to pass next time. */
export const jobChangesSchema = z.object({
  jobs: z.array(jobSchema),
  stamp: z.number(),
});

/** One page of a listing. */
export type JobPage = z.infer<typeof jobPageSchema>;
/** The jobs changed after a stamp, and the stamp to pass next time. */
export type JobChanges = z.infer<typeof jobChangesSchema>;
