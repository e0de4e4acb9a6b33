import { cloneJson, compareJobs, DEFAULT_SORT, type WireJob } from '#protocol';
import { parseInput } from '../../schemas/issues';
import type { Job } from '../../schemas/job';
import { jobUpdateSchema, type JobUpdate } from '../../schemas/job-update';
import type { NewJob } from '../../schemas/new-job';
import type { JobStatus, LogLevel } from '../../schemas/status';
import {
  decodeJob,
  encodeCreateBody,
  encodePatchBody,
  type KeyCasing,
  type ServiceFieldKeys,
  type WireOptions,
} from '../../wire';
import { JobTable, type TableChange } from './job-table';
import { parseSeed } from './seed';

/** Options of {@link InMemoryJobStore}. */
export interface InMemoryJobStoreOptions {
  /**
   * How keys inside `serviceFields` (and log `data`) are converted by `insert`, `update`, `get`
   * and `all`. Give the same value as the client under test.
   * @default 'snake_case'
   * @example { serviceFieldKeys: 'verbatim' }
   */
  serviceFieldKeys?: ServiceFieldKeys;
  /**
   * How `update` writes the dotted keys of its patch, as the client's option of that name. Give
   * the same value as the client under test.
   * @default 'per-segment'
   * @example { keyCasing: 'legacy' }
   */
  keyCasing?: KeyCasing;
  /**
   * The store's clock, for `created`, `modified` and log times. Times stay strictly increasing
   * for `created` and never go backwards for `modified`, whatever the clock says.
   * @default () => new Date()
   * @example { now: () => new Date('2024-01-01T00:00:00Z') }
   */
  now?: () => Date;
}

/** A log entry to seed; `time` defaults to the store's clock. */
export interface SeedLogEntry {
  time?: Date | string;
  level: LogLevel;
  message: string;
  data?: unknown;
}

/**
 * A job to seed with {@link InMemoryJobStore.insert}: what `createJob` takes (camelCase), plus
 * what only the service sets in real life. `jobId` defaults to a fresh server-made id, `status`
 * to WAITING, `created` to now.
 */
export type SeedJob = Omit<NewJob, 'status'> & {
  /** Any status, including ones the SDK does not know. */
  status?: JobStatus;
  created?: Date | string;
  modified?: Date | string;
  /** `percent` is derived, as the service derives it. */
  progress?: { completed: number; total: number } | null;
  logs?: SeedLogEntry[] | null;
};

/** A change to the store, with the job as the SDK would see it. */
export interface JobStoreChange {
  type: 'jobInsert' | 'jobUpdate' | 'jobDelete';
  /** The change's stamp: the `id` of its event on a subscription. */
  stamp: number;
  /** The job after the change; for `jobDelete`, as it was. */
  job: Job;
}

const EVENT_TYPES = { insert: 'jobInsert', update: 'jobUpdate', delete: 'jobDelete' } as const;

const tables = new WeakMap<InMemoryJobStore, JobTable>();

/** The wire-level table behind a store, for the request handlers. */
export function tableOf(store: InMemoryJobStore): JobTable {
  const table = tables.get(store);
  if (table === undefined) throw new TypeError('Not an InMemoryJobStore');
  return table;
}

/**
 * The jobs behind `createJssHandlers`: a Job Status Service in memory, with the same semantics
 * as the reference server (patches, filters, sorting and the state machine come from one shared
 * model). Seed it before a test, read it after, or change it while a client waits.
 *
 * Jobs go in and come out SDK-shaped (camelCase, Dates), exactly as `JobStatusClient` returns
 * them; `insertWire`, `getWire` and `allWire` work on the wire form (snake_case, legacy time
 * strings) instead. Every write takes the next stamp and is announced to open subscriptions.
 *
 * @example
 * const store = new InMemoryJobStore();
 * const job = store.insert({ user: 'demo', jobName: 'upload', status: 'WORKING' });
 * server.use(...createJssHandlers({ store }));
 * // ... run the code under test ...
 * expect(store.get(job.jobId)?.status).toBe('SUCCEEDED');
 */
export class InMemoryJobStore {
  readonly #wire: WireOptions;
  readonly #table: JobTable;

  constructor(options: InMemoryJobStoreOptions = {}) {
    this.#wire = {
      serviceFieldKeys: options.serviceFieldKeys ?? 'snake_case',
      keyCasing: options.keyCasing ?? 'per-segment',
    };
    const now = options.now ?? (() => new Date());
    this.#table = new JobTable(now);
    tables.set(this, this.#table);
  }

  /** How many jobs the store holds. */
  get size(): number {
    return this.#table.rows().length;
  }

  /** The stamp of the latest write (0 before any); stamps keep counting across `clear()`. */
  get stamp(): number {
    return this.#table.stamp;
  }

  /**
   * Adds a job, as if it had been created (open subscriptions see a `jobInsert`; as for a
   * create, its parent does not move: that takes a change of status) and returns it as the SDK
   * would.
   *
   * @throws Error with a `code` (`invalid_body`, `invalid_status`, `invalid_job_id`,
   * `job_exists`) when the service would refuse such a job, or the id is taken
   */
  insert(job: SeedJob): Job {
    const { logs, ...fields } = job;
    const wire = encodeCreateBody(fields, this.#wire);
    if (logs !== undefined) wire.logs = logs?.map((entry) => this.#encodeLogEntry(entry)) ?? null;
    return this.#toJob(this.insertWire(wire));
  }

  /**
   * {@link insert} in wire form: snake_case keys, times as Dates or JSS time strings.
   *
   * @example store.insertWire({ job_id: 'a', user: 'demo', service_fields: { file_name: 'x' } })
   */
  insertWire(job: Record<string, unknown>): WireJob {
    const { parsed, extras } = parseSeed(job, this.#table.now);
    return this.#table.seed(parsed, extras);
  }

  /**
   * Changes a job as `client.updateJob(jobId, update, isPatch)` would (same `$set` body, same
   * semantics), for a test that plays the worker while the code under test watches.
   *
   * @throws RequestValidationError for an update the client would refuse
   * @throws Error with the code `not_found` when there is no such job
   */
  update(jobId: string, update: JobUpdate, isPatch = true): Job {
    parseInput(jobUpdateSchema, update, 'update');
    const body = encodePatchBody(update as Record<string, unknown>, { ...this.#wire, isPatch });
    return this.#toJob(this.#table.patch(jobId, body));
  }

  /** The job as the SDK would return it, or undefined. */
  get(jobId: string): Job | undefined {
    const wire = this.getWire(jobId);
    return wire === undefined ? undefined : this.#toJob(wire);
  }

  /** The job in wire form (a copy), or undefined. */
  getWire(jobId: string): WireJob | undefined {
    const stored = this.#table.find(jobId);
    return stored === undefined ? undefined : cloneJson(stored.doc);
  }

  /** Every job as the SDK would return it, oldest first (`created`, then `jobId`). */
  all(): Job[] {
    return this.allWire().map((wire) => this.#toJob(wire));
  }

  /** Every job in wire form (copies), oldest first. */
  allWire(): WireJob[] {
    return this.#table
      .rows()
      .map((row) => cloneJson(row.doc))
      .sort(compareJobs(DEFAULT_SORT));
  }

  /**
   * Forgets every job, deletion and `Idempotency-Key`, without events (as if the database had
   * been emptied). Open subscriptions stay open and see later writes.
   */
  clear(): void {
    this.#table.clear();
  }

  /**
   * Calls `listener` synchronously after every write (handlers' and this store's).
   *
   * @returns the function that removes the listener
   * @example const off = store.onChange((change) => seen.push(change.type));
   */
  onChange(listener: (change: JobStoreChange) => void): () => void {
    return this.#table.listen((change: TableChange) =>
      listener({
        type: EVENT_TYPES[change.kind],
        stamp: change.stamp,
        job: this.#toJob(change.job),
      }),
    );
  }

  #toJob(wire: WireJob): Job {
    return decodeJob(wire, this.#wire) as unknown as Job;
  }

  #encodeLogEntry(entry: SeedLogEntry): Record<string, unknown> {
    const { data, ...rest } = entry;
    const encoded: Record<string, unknown> = { ...rest };
    // Log data travels like service fields, as the client sends it.
    if (data !== undefined)
      encoded.data = encodeCreateBody({ serviceFields: data }, this.#wire).service_fields;
    return encoded;
  }
}
