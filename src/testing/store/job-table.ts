import {
  applyDependencyState,
  applyPatch,
  batchItemMessage,
  batchItems,
  capLog,
  checkServiceFieldsSize,
  claimJob,
  type ClaimRequest,
  cloneJson,
  compareClaimOrder,
  completeJob,
  dependenciesOf,
  expireLease,
  extendLease,
  failJob,
  isClaimable,
  isLeaseExpired,
  ModelError,
  nextRepeatRun,
  parentStatusFromChildren,
  planAction,
  repeatedBatchJobId,
  requireLease,
  resolveDependencies,
  schedulingFields,
  shouldUpdateParent,
  type JobAction,
  type JobRecord,
  type WireJob,
} from '#protocol';
import { isJsonObject } from '#protocol/json';
import { formatJssDate, parseJssDate } from '#protocol/dates';
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
  /** Fields only the service writes, such as the `repeat_of` of a repeating job's next run. */
  serviceFields?: Record<string, unknown>;
}

/** The stored answer of a write sent with an `Idempotency-Key`. */
export interface StoredAnswer {
  fingerprint: string;
  status: number;
  body: unknown;
  storedAt: number;
}

// How far a chain of `update_parent` parents (or of dependants) is followed: a guard against
// cycles in seeded data.
const MAX_PARENT_DEPTH = 64;

// Stands in for a missing job, so that a bad PATCH body is refused (400) before the 404.
const PLACEHOLDER: JobRecord = { job_id: '-', user: '-', status: 'WAITING', service_fields: {} };

function timeOf(value: unknown): number {
  return typeof value === 'string' ? (parseJssDate(value)?.getTime() ?? -Infinity) : -Infinity;
}

/**
 * The state of the in-memory service, in wire form, and every write of docs/protocol.md on it.
 * Writes take the next stamp in order, keep `created` strictly increasing and `modified` never
 * going backwards, move `update_parent` parents, and tell the listeners synchronously. The
 * semantics of patches, filters, sorting and the state machine are the model's
 * (src/protocol), so that this store and the reference server agree.
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
    const next = this.#renewLease(applyPatch(stored.doc, body));
    checkServiceFieldsSize(next.service_fields);
    const written = this.#write(stored, next);
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
    return cloneJson(this.#write(stored, { ...stored.doc, status: plan.status }));
  }

  /** `POST 1.0/job/{jobId}/progress`. @throws ModelError `not_found` */
  setProgress(jobId: string, progress: WireProgress): WireJob {
    const stored = this.#require(jobId);
    const next = this.#renewLease({ ...stored.doc, progress: { ...progress } });
    return cloneJson(this.#update(stored, next));
  }

  /** `POST 1.0/job/{jobId}/logs`: appends the entry, stamped with the store's time. */
  appendLog(jobId: string, entry: LogRequest): WireJob {
    const stored = this.#require(jobId);
    const logs = Array.isArray(stored.doc.logs) ? stored.doc.logs : [];
    const line = { time: formatJssDate(this.now()), ...cloneJson(entry) };
    return cloneJson(
      this.#update(stored, this.#renewLease({ ...stored.doc, logs: capLog([...logs, line]) })),
    );
  }

  /**
   * Turns every WORKING job whose lease has run out into a failed attempt (retried or failed by
   * its retry policy). The kit does this lazily, before every claim and every worker's report.
   */
  expireLeases(): void {
    const now = this.now();
    for (const stored of [...this.#jobs.values()]) {
      if (isLeaseExpired(stored.doc, now)) this.#write(stored, expireLease(stored.doc, now));
    }
  }

  /** Whether a claim would get at least one job now (leases that ran out are failed first). */
  hasClaimable(request: ClaimRequest): boolean {
    this.expireLeases();
    const now = this.now();
    return [...this.#jobs.values()].some((stored) =>
      isClaimable(stored.doc, request.services, now, this.#statusOf),
    );
  }

  /** `POST 1.0/job/claim`: leases up to `limit` claimable jobs, in claim order. */
  claim(request: ClaimRequest): WireJob[] {
    this.expireLeases();
    const now = this.now();
    const statusOf = this.#statusOf;
    return [...this.#jobs.values()]
      .filter((stored) => isClaimable(stored.doc, request.services, now, statusOf))
      .sort((left, right) => compareClaimOrder(left.doc, right.doc))
      .slice(0, request.limit)
      .map((stored) => cloneJson(this.#write(stored, claimJob(stored.doc, request, now))));
  }

  /**
   * The earliest future time at which a job of `services` may become claimable by the clock
   * alone (a `run_at`, or a lease that runs out), or undefined.
   */
  nextWakeUp(services: readonly string[]): number | undefined {
    const now = this.now().getTime();
    let earliest: number | undefined;
    for (const { doc } of this.#jobs.values()) {
      if (typeof doc.service !== 'string' || !services.includes(doc.service)) continue;
      const field = doc.status === 'WORKING' ? doc.lease_expires : doc.run_at;
      const time = timeOf(field);
      if (time > now && (earliest === undefined || time < earliest)) earliest = time;
    }
    return earliest;
  }

  /** `POST 1.0/job/{jobId}/heartbeat`. @throws ModelError `not_found` or `not_claimed` */
  heartbeat(jobId: string, request: { workerId: string; leaseMs?: number }): WireJob {
    const stored = this.#leased(jobId, request.workerId);
    return cloneJson(this.#update(stored, extendLease(stored.doc, this.now(), request.leaseMs)));
  }

  /**
   * `POST 1.0/job/{jobId}/complete`: SUCCEEDED with the result; a repeating job gets its next run.
   * @throws ModelError `not_found` or `not_claimed`
   */
  complete(jobId: string, request: { workerId: string; result?: unknown }): WireJob {
    const stored = this.#leased(jobId, request.workerId);
    const written = this.#write(stored, completeJob(stored.doc, request.result));
    const next = nextRepeatRun(written, this.now());
    if (next !== undefined) {
      const { repeat_of, ...body } = next;
      this.#insert(parseCreateBody(body), { serviceFields: { repeat_of } });
    }
    return cloneJson(written);
  }

  /** `POST 1.0/job/{jobId}/fail`. @throws ModelError `not_found` or `not_claimed` */
  fail(
    jobId: string,
    request: { workerId: string; error: Record<string, unknown>; fatal: boolean },
  ): WireJob {
    const stored = this.#leased(jobId, request.workerId);
    const failed = failJob(stored.doc, request.error, request.fatal, this.now());
    return cloneJson(this.#write(stored, failed));
  }

  readonly #statusOf = (jobId: string): string | undefined => this.#jobs.get(jobId)?.doc.status;

  /** The job, held by `workerId` under a live lease (an expired one is failed first). */
  #leased(jobId: string, workerId: string): StoredJob {
    const stored = this.#require(jobId);
    const now = this.now();
    if (isLeaseExpired(stored.doc, now)) this.#write(stored, expireLease(stored.doc, now));
    requireLease(stored.doc, workerId, now);
    return stored;
  }

  /** A report on a leased job (progress, log, patch) renews its lease, as a heartbeat does. */
  #renewLease(doc: WireJob): WireJob {
    const now = this.now();
    const leased = doc.status === 'WORKING' && typeof doc.lease_expires === 'string';
    return leased && !isLeaseExpired(doc, now) ? extendLease(doc, now) : doc;
  }

  /** {@link #update}, then what a change of status sets off. */
  #write(stored: StoredJob, next: WireJob): WireJob {
    const statusBefore = stored.doc.status;
    // A job that leaves WORKING by any route (abort, a patch of its status) is no longer leased.
    const leaving = statusBefore === 'WORKING' && next.status !== 'WORKING';
    if (leaving && typeof next.lease_expires === 'string') next = { ...next, lease_expires: null };
    const written = this.#update(stored, next);
    if (written.status !== statusBefore) this.#afterStatusChange(written, statusBefore);
    return written;
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
    const scheduled =
      parsed.scheduling === undefined ? {} : schedulingFields(parsed.scheduling, this.now());
    const initial = this.#withDependencies({ ...cloneJson(parsed.job), ...scheduled });
    this.#lastCreated = Math.max(this.#lastCreated, timeOf(created));
    const doc: WireJob = {
      ...initial,
      ...cloneJson(extras.serviceFields ?? {}),
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

  /**
   * A new job checked against its `depends_on`: every dependency must exist (and not be the job
   * itself); a job whose dependency can no longer succeed starts BLOCKED.
   *
   * @throws ModelError `invalid_body`
   */
  #withDependencies<Job extends JobRecord>(job: Job): Job {
    const dependsOn = dependenciesOf(job);
    for (const id of dependsOn) {
      if (id === job.job_id || !this.#jobs.has(id)) {
        throw invalidBody(`"depends_on" names job ${JSON.stringify(id)}, which does not exist`);
      }
    }
    if (dependsOn.length === 0) return job;
    return applyDependencyState(job, resolveDependencies(dependsOn, this.#statusOf)) ?? job;
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
    if (depth >= MAX_PARENT_DEPTH) return;
    this.#resolveDependants(child.job_id, depth);
    if (!shouldUpdateParent(child, statusBefore)) return;
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

  /**
   * The work queue's dependencies (docs/protocol.md): when a job's status changes, each job that
   * depends on it is blocked (its dependency can no longer succeed) or released again.
   */
  #resolveDependants(jobId: string, depth: number): void {
    for (const stored of [...this.#jobs.values()]) {
      if (!dependenciesOf(stored.doc).includes(jobId)) continue;
      const state = resolveDependencies(dependenciesOf(stored.doc), this.#statusOf);
      const next = applyDependencyState(stored.doc, state);
      if (next === undefined) continue;
      const statusBefore = stored.doc.status;
      this.#afterStatusChange(this.#update(stored, next), statusBefore, depth + 1);
    }
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
