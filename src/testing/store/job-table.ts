import {
  applyPatch,
  batchItemMessage,
  batchItems,
  capLog,
  checkServiceFieldsSize,
  cloneJson,
  ModelError,
  parentStatusFromChildren,
  planAction,
  repeatedBatchJobId,
  shouldUpdateParent,
  type JobAction,
  type WireJob,
} from '../../internal/model';
import { isJsonObject } from '../../internal/model/json';
import { formatJssDate, parseJssDate } from '../../wire/dates';
import { invalidBody, jobNotFound } from '../service-error';
import { parseCreateBody, type ParsedCreate } from './create-body';
import type { LogRequest, WireProgress } from './report-bodies';

/** One job as the table keeps it: the wire document and the stamps of its changes. */
export interface StoredJob {
  doc: WireJob;
  /** The stamp of its last change. */
  stamp: number;
  /** The stamp of its creation: a resumed subscription reports it as an insert after this. */
  createdStamp: number;
  /** The canonical creation request, to tell a replayed create from a conflicting one. */
  request: string;
}

/** What a deleted job leaves behind for resumed subscriptions. */
export interface Tombstone {
  stamp: number;
  job_id: string;
  user: string;
  /** What the visibility rule reads once the job is gone. */
  service: string | null;
  parentUser: string | null;
}

/** One write, as listeners hear of it. */
export interface TableChange {
  kind: 'insert' | 'update' | 'delete';
  stamp: number;
  /** The job after the change; for a delete, the job as it was. Shared: do not mutate. */
  job: WireJob;
}

/** What a seed may carry besides the fields of a create request. */
export interface SeedExtras {
  created?: string;
  modified?: string;
  progress?: WireProgress | null;
  logs?: unknown[];
}

/** The stored answer of a write sent with an `Idempotency-Key`. */
export interface StoredAnswer {
  fingerprint: string;
  status: number;
  body: unknown;
  storedAt: number;
}

// How far a chain of `update_parent` parents is followed: a guard against cycles in seeded data.
const MAX_PARENT_DEPTH = 64;

// Stands in for a missing job, so that a bad PATCH body is refused (400) before the 404.
const PLACEHOLDER: WireJob = { job_id: '-', user: '-', status: 'WAITING', service_fields: {} };

function timeOf(value: unknown): number {
  return typeof value === 'string' ? (parseJssDate(value)?.getTime() ?? -Infinity) : -Infinity;
}

/**
 * The state of the in-memory service, in wire form, and every write of docs/protocol.md on it.
 * Writes take the next stamp in order, keep `created` strictly increasing and `modified` never
 * going backwards, move `update_parent` parents, and tell the listeners synchronously. The
 * semantics of patches, filters, sorting and the state machine are the model's
 * (src/internal/model), so that this store and the reference server agree.
 */
export class JobTable {
  readonly #jobs = new Map<string, StoredJob>();
  readonly #tombstones: Tombstone[] = [];
  readonly #listeners = new Set<(change: TableChange) => void>();
  #stamp = 0;
  #lastCreated = -Infinity;
  /** `Idempotency-Key` answers, by `user \n key`; cleared with the jobs. */
  readonly answers = new Map<string, StoredAnswer>();

  constructor(readonly now: () => Date) {}

  /** The stamp of the latest write (0 before any). */
  get stamp(): number {
    return this.#stamp;
  }

  /** How many listeners are attached (open event streams among them). */
  get listenerCount(): number {
    return this.#listeners.size;
  }

  /** Calls `listener` after every write; returns the function that detaches it. */
  listen(listener: (change: TableChange) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /**
   * Forgets every job, deletion and idempotency key. Stamps keep counting, so that a client
   * still following the store never mistakes a new change for one it has seen.
   */
  clear(): void {
    this.#jobs.clear();
    this.#tombstones.length = 0;
    this.answers.clear();
    this.#lastCreated = -Infinity;
  }

  /** The stored job (not a copy: callers that hand it out must clone it). */
  /** The owner of the job's parent, when the job names one that exists (for visibility). */
  parentUserOf(job: Record<string, unknown>): string | null {
    const parentId = job.parent_id;
    return typeof parentId === 'string' ? (this.#jobs.get(parentId)?.doc.user ?? null) : null;
  }

  find(jobId: string): StoredJob | undefined {
    return this.#jobs.get(jobId);
  }

  /** Every stored job, in no particular order (not copies). */
  rows(): StoredJob[] {
    return [...this.#jobs.values()];
  }

  /** Deletions, oldest first (not copies). */
  tombstones(): readonly Tombstone[] {
    return this.#tombstones;
  }

  /**
   * `POST 1.0/job/`: creates the job, or finds the one an equal earlier request created.
   *
   * @throws ModelError `invalid_body`, `invalid_status`, `invalid_job_id` or `job_exists`
   */
  create(body: unknown): { created: boolean; job: WireJob } {
    const parsed = parseCreateBody(body);
    const existing = this.#jobs.get(parsed.job.job_id);
    if (existing === undefined) return { created: true, job: this.#insert(parsed, {}) };
    if (existing.request === parsed.request)
      return { created: false, job: cloneJson(existing.doc) };
    throw new ModelError(
      'job_exists',
      `A different job with id ${JSON.stringify(parsed.job.job_id)} exists`,
    );
  }

  /**
   * `POST 1.0/job/batch`: checks every item first, then creates each (or finds the job an equal
   * earlier request created), in order. Nothing is created when one item is refused.
   *
   * @throws ModelError naming the item (`jobs[3].user`), or `job_exists`
   */
  createMany(body: unknown): { created: boolean; job: WireJob }[] {
    const seen = new Set<string>();
    const parsed = batchItems(body).map((item, index) => {
      let one: ParsedCreate;
      try {
        one = parseCreateBody(item);
      } catch (error) {
        if (!(error instanceof ModelError)) throw error;
        throw new ModelError(error.code, batchItemMessage(error.message, index));
      }
      if (seen.has(one.job.job_id)) repeatedBatchJobId(one.job.job_id, index);
      seen.add(one.job.job_id);
      const existing = this.#jobs.get(one.job.job_id);
      if (existing !== undefined && existing.request !== one.request) {
        throw new ModelError(
          'job_exists',
          `A different job with id ${JSON.stringify(one.job.job_id)} exists (jobs[${index}])`,
        );
      }
      return one;
    });
    return parsed.map((one) => {
      const existing = this.#jobs.get(one.job.job_id);
      if (existing !== undefined) return { created: false, job: cloneJson(existing.doc) };
      return { created: true, job: this.#insert(one, {}) };
    });
  }

  /**
   * Adds a job the way a create would, with times, progress and logs of the caller's choosing.
   *
   * @throws ModelError for a job a create would refuse, or an id that is taken
   */
  seed(parsed: ParsedCreate, extras: SeedExtras): WireJob {
    if (this.#jobs.has(parsed.job.job_id)) {
      throw new ModelError(
        'job_exists',
        `A job with id ${JSON.stringify(parsed.job.job_id)} exists`,
      );
    }
    return this.#insert(parsed, extras);
  }

  /**
   * `PATCH 1.0/job/{jobId}`: applies the `$set` keys with the model.
   *
   * @throws ModelError `not_found`, or the model's refusal of the body
   */
  patch(jobId: string, body: unknown): WireJob {
    if (!isJsonObject(body)) throw invalidBody('The body must be a JSON object of fields to set');
    const stored = this.#jobs.get(jobId);
    if (stored === undefined) {
      applyPatch(PLACEHOLDER, body);
      throw jobNotFound();
    }
    const statusBefore = stored.doc.status;
    const next = applyPatch(stored.doc, body);
    checkServiceFieldsSize(next.service_fields);
    const written = this.#update(stored, next);
    this.#afterStatusChange(written, statusBefore);
    return cloneJson(written);
  }

  /**
   * Abort, retry or delete, as the model's state machine allows.
   *
   * @throws ModelError `not_found` or `invalid_transition`
   */
  act(jobId: string, action: JobAction): WireJob {
    const stored = this.#require(jobId);
    const plan = planAction(stored.doc, action);
    if (!plan.ok) throw plan.error;
    if (action === 'delete') return this.#delete(stored);
    if (plan.status === undefined) return cloneJson(stored.doc);
    const statusBefore = stored.doc.status;
    const written = this.#update(stored, { ...stored.doc, status: plan.status });
    this.#afterStatusChange(written, statusBefore);
    return cloneJson(written);
  }

  /** `POST 1.0/job/{jobId}/progress`. @throws ModelError `not_found` */
  setProgress(jobId: string, progress: WireProgress): WireJob {
    const stored = this.#require(jobId);
    return cloneJson(this.#update(stored, { ...stored.doc, progress: { ...progress } }));
  }

  /** `POST 1.0/job/{jobId}/logs`: appends the entry, stamped with the store's time. */
  appendLog(jobId: string, entry: LogRequest): WireJob {
    const stored = this.#require(jobId);
    const logs = Array.isArray(stored.doc.logs) ? stored.doc.logs : [];
    const line = { time: formatJssDate(this.now()), ...cloneJson(entry) };
    return cloneJson(this.#update(stored, { ...stored.doc, logs: capLog([...logs, line]) }));
  }

  #require(jobId: string): StoredJob {
    const stored = this.#jobs.get(jobId);
    if (stored === undefined) throw jobNotFound();
    return stored;
  }

  #insert(parsed: ParsedCreate, extras: SeedExtras): WireJob {
    // Strictly increasing: cursor paging in (created, job_id) order relies on it.
    const created =
      extras.created ??
      formatJssDate(new Date(Math.max(this.now().getTime(), this.#lastCreated + 1)));
    this.#lastCreated = Math.max(this.#lastCreated, timeOf(created));
    const doc: WireJob = {
      ...cloneJson(parsed.job),
      created,
      modified: extras.modified ?? created,
      progress: extras.progress ?? null,
      logs: extras.logs ?? [],
    };
    const stamp = ++this.#stamp;
    this.#jobs.set(doc.job_id, { doc, stamp, createdStamp: stamp, request: parsed.request });
    this.#emit({ kind: 'insert', stamp, job: cloneJson(doc) });
    return cloneJson(doc);
  }

  /** Stores `next` as the job's new state: `modified` bumped, the next stamp, listeners told. */
  #update(stored: StoredJob, next: WireJob): WireJob {
    const modified = Math.max(this.now().getTime(), timeOf(stored.doc.modified));
    const doc = { ...next, modified: formatJssDate(new Date(modified)) };
    stored.doc = doc;
    stored.stamp = ++this.#stamp;
    this.#emit({ kind: 'update', stamp: stored.stamp, job: cloneJson(doc) });
    return doc;
  }

  #delete(stored: StoredJob): WireJob {
    const { doc } = stored;
    this.#jobs.delete(doc.job_id);
    const stamp = ++this.#stamp;
    this.#tombstones.push({
      stamp,
      job_id: doc.job_id,
      user: doc.user,
      service: typeof doc.service === 'string' ? doc.service : null,
      parentUser: this.parentUserOf(doc),
    });
    this.#emit({ kind: 'delete', stamp, job: cloneJson(doc) });
    return cloneJson(doc);
  }

  /**
   * `update_parent` (docs/protocol.md): a child that asked for it and changed status may move its
   * parent to the status all the parent's children share, which may move the parent's own
   * parent in turn. The model decides; the table writes.
   */
  #afterStatusChange(child: WireJob, statusBefore: string, depth = 0): void {
    if (depth >= MAX_PARENT_DEPTH || !shouldUpdateParent(child, statusBefore)) return;
    const parent = this.#jobs.get(child.parent_id);
    if (parent === undefined) return;
    const parentId = parent.doc.job_id;
    const listed = new Set(Array.isArray(parent.doc.child_ids) ? parent.doc.child_ids : []);
    const children = [...this.#jobs.values()]
      .filter(({ doc }) => doc.parent_id === parentId || listed.has(doc.job_id))
      .map(({ doc }) => doc);
    const status = parentStatusFromChildren(parent.doc, children);
    if (status === undefined) return;
    const parentBefore = parent.doc.status;
    const written = this.#update(parent, { ...parent.doc, status });
    this.#afterStatusChange(written, parentBefore, depth + 1);
  }

  #emit(change: TableChange): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(change);
      } catch (error) {
        // A listener's bug must not undo or half-finish the write; it surfaces as an uncaught
        // error, which test runners report.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
