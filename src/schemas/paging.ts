import * as z from 'zod/mini';
import type { JobFilter } from './filter';
import { MAX_PAGE_SIZE, QUEUE_STATUSES } from './names';
import { toSnakeKey } from '../wire/casing';
import type { Job } from './job';
import type { ServiceFields, ServiceFieldsShape } from './service-fields';
import type { AssertTrue, IsSameType } from './issues';

export { MAX_PAGE_SIZE, QUEUE_STATUSES };

/** The fields a listing can be ordered by; on the wire each is snake_cased, like every key. */
const SORT_FIELDS = [
  'created',
  'modified',
  'jobId',
  'status',
  'user',
  'jobName',
  'service',
  'currentStage',
] as const;

/** A field a listing can be ordered by. */
export type SortField =
  'created' | 'modified' | 'jobId' | 'status' | 'user' | 'jobName' | 'service' | 'currentStage';

type _SortFieldsAreListed = AssertTrue<IsSameType<SortField, (typeof SORT_FIELDS)[number]>>;

/** A sort field, ascending, or with a `-` prefix, descending. */
export type SortKey = SortField | `-${SortField}`;

function sortParts(sort: string | readonly unknown[]): unknown[] {
  return typeof sort === 'string' ? sort.split(',').map((part) => part.trim()) : [...sort];
}

/** `'-created,jobId'` or `['-created', 'jobId']` → the wire form `-created,job_id`. */
export function toWireSort(sort: string | readonly string[]): string {
  // The `-` prefix goes through unchanged: toSnakeKey only splits before capitals.
  return (sortParts(sort) as string[]).map(toSnakeKey).join(',');
}

// A hand-written check rather than `z.union([z.string(), z.array(z.string())])`: the union
// machinery is not otherwise needed, and the issues below name each bad field anyway.
const sortSchema = z.custom<string | string[]>().check(
  z.superRefine((sort, context) => {
    const addIssue = (message: string, path: number[] = []): void =>
      context.addIssue({ code: 'custom', message, path, input: sort });
    if (typeof sort !== 'string' && !Array.isArray(sort)) {
      return addIssue(`must be a string or an array of strings, received ${typeof sort}`);
    }
    const parts = sortParts(sort);
    if (parts.length === 0) addIssue('must name at least one field');
    parts.forEach((part, index) => {
      const field = typeof part === 'string' ? part.replace(/^-/, '') : part;
      if (!(SORT_FIELDS as readonly unknown[]).includes(field)) {
        addIssue(
          `must name a sort field (fields: ${SORT_FIELDS.join(', ')}; prefix "-" for descending)`,
          typeof sort === 'string' ? [] : [index],
        );
      }
    });
  }),
);

const limitSchema = z.int().check(z.gte(1), z.lte(MAX_PAGE_SIZE));
/** Offsets and stamps. */
const wholeNumberSchema = z.int().check(z.gte(0));

/** Paging and order of `listJobs`; other keys (the call options) are ignored here. */
export const listJobsOptionsSchema = z
  .object({
    /** Jobs per page, 1 to 1000. */
    limit: z.optional(limitSchema),
    /** Jobs to skip. */
    offset: z.optional(wholeNumberSchema),
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
export const stampSchema = wholeNumberSchema;

/** A preset of `listQueue`. */
export type QueuePreset = keyof typeof QUEUE_STATUSES;

const queuePresets = Object.keys(QUEUE_STATUSES) as [QueuePreset, ...QueuePreset[]];

export const queuePresetSchema = z.enum(queuePresets, {
  error: `must be one of ${queuePresets.join(', ')}`,
});

/** Options of `listQueue`. */
export interface ListQueueOptions extends Omit<ListJobsOptions, 'cursor'> {
  /** More conditions; `status` is set by the preset and cannot be given. */
  filter?: Omit<JobFilter, 'status'>;
}

/** One page of a listing. */
export interface JobPage<F extends ServiceFieldsShape = ServiceFields> {
  jobs: Job<F>[];
  /** Every match, on every page. */
  totalCount: number;
  /** Where this page starts. */
  offset: number;
  /** Whether another page follows. */
  hasMore: boolean;
  /** Pass as `cursor` to get the next page (present when `hasMore`). */
  nextCursor?: string | undefined;
}

/** The jobs changed after a stamp, and the stamp to pass next time. */
export interface JobChanges<F extends ServiceFieldsShape = ServiceFields> {
  jobs: Job<F>[];
  stamp: number;
}
