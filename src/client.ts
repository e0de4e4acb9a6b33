import type {
  FollowContext,
  IterateJobsOptions,
  JobSubscription,
  SubscribeOptions,
  SubscriptionTarget,
  WaitForJobOptions,
} from './follow';
// Only the synchronous face of subscribe: the rest of ./follow is loaded by `import()` on first
// use, so an app that never follows jobs does not ship it (a separate chunk in the ESM build).
import { loadFollow } from './follow/load';
import { subscribe } from './follow/subscribe';
import { JOB_PATH, jobPath, type Decoder } from './calls/context';
// The writes and the token calls, like ./follow, are loaded on first use; so are the paged
// reads and the status-only read (./pages).
import { loadCalls } from './calls/load';
import type { CreatedJob } from './decode/batch';
import {
  compileResponseSchemas,
  decodeJobList,
  decodeSingleJob,
  decodeWireJob,
  type DecodeContext,
} from './decode';
import type { PageContext } from './pages';
import { loadPages } from './pages/load';
import { createTransport } from './internal/transport';
import { log as writeLog } from './internal/transport-log';
import type {
  CallOptions,
  Transport,
  TransportRequest,
  TransportResponse,
} from './internal/transport-types';
import {
  legacyHostAndPort,
  legacyOptions,
  normalizeClientOptions,
  type ClientOptions,
  type NormalizedClientOptions,
} from './options';
import {
  callOptionsSchema,
  METHOD_OPTION_NAMES,
  pickCallOptions,
  refuseUnknownOptions,
} from './schemas/call-options';
import { collectFilterIssues, type FilterMode, type JobFilter } from './schemas/filter';
import { parseInput, throwIfIssues } from './schemas/issues';
import type { Job, JobStatusSummary } from './schemas/job';
import { assertJobId } from './schemas/job-id';
import type { JobUpdate } from './schemas/job-update';
import type { LogOptions } from './schemas/log';
import type { NewJob } from './schemas/new-job';
import type {
  JobChanges,
  JobChangesOptions,
  JobPage,
  ListJobsOptions,
  ListQueueOptions,
  QueuePreset,
} from './schemas/paging';
import { checkBodySize } from './schemas/body-size';
import type { Identity, LoginInput, LoginResult } from './schemas/auth';
import type { ServiceFields, ServiceFieldsShape } from './schemas/service-fields';
import { encodeFilterBody } from './wire/encode';
import type { WireOptions } from './wire/options';
import type {
  ClaimedJob,
  ClaimJobsOptions,
  FailJobOptions,
  HeartbeatOptions,
  JobFailure,
  ProcessJobsOptions,
  WorkerCallOptions,
} from './schemas/work-queue';
import type { WorkerContext } from './workers/context';
// The work-queue calls and the processor's engine are loaded on first use, like ./follow.
import { loadWorkers } from './workers/load';
import { JobProcessor } from './workers/processor';
import type { JobHandler } from './workers/processor-types';
import { randomHex } from '#protocol/ids';

/**
 * A client of the Job Status Service: one method per operation, each validating its input before
 * anything is sent and its answer on receipt, retrying what is safe to retry, and throwing only
 * {@link JobStatusError} subclasses.
 *
 * `F` is the shape of the service fields of the client's jobs (any JSON object by default); each
 * method that takes or returns jobs accepts its own too (`client.getJob<OtherFields>(id)`). It is
 * a promise about the service, not checked at run time.
 *
 * @example
 * const jss = new JobStatusClient({ baseURL: 'http://jss.example.org:8080/jss', user: 'demo' });
 * const job = await jss.createJob({ user: 'demo', jobName: 'upload', serviceFields: { files: 3 } });
 * await jss.updateJob(job.jobId, { status: 'WORKING', currentStage: 'copying' });
 */
export class JobStatusClient<F extends ServiceFieldsShape = ServiceFields> {
  /** The base URL every path is relative to; always ends with `/`. */
  readonly baseURL: string;

  /**
   * The server's host name, read from {@link baseURL}; the legacy client exposed it.
   * @deprecated read `baseURL`
   * @example new JobStatusClient('jss.example.org', '8080', 'demo').host // 'jss.example.org'
   */
  get host(): string {
    return legacyHostAndPort(this.baseURL).host;
  }

  /**
   * The server's port as a string, read from {@link baseURL} (`'80'` or `'443'` when it names
   * none); the legacy client exposed it.
   * @deprecated read `baseURL`
   * @example new JobStatusClient({ baseURL: 'https://jss.example.org/jss', user: 'demo' }).port // '443'
   */
  get port(): string {
    return legacyHostAndPort(this.baseURL).port;
  }
  readonly #transport: Transport;
  readonly #wire: WireOptions;
  readonly #filters: FilterMode;
  readonly #follow: FollowContext;
  /** What the lazily loaded calls (src/calls, src/pages) reach the client by. */
  readonly #calls: PageContext;

  /** @param options see {@link ClientOptions}; validated here, so a mistake throws at once. */
  constructor(options: ClientOptions);
  /**
   * The legacy form: `new JobStatusClient(host, port, username)`.
   * @example new JobStatusClient('jss.example.org', '8080', 'demo')
   */
  constructor(host: string, port?: string | number, username?: string);
  constructor(optionsOrHost: ClientOptions | string, port?: string | number, username?: string) {
    const options =
      typeof optionsOrHost === 'string'
        ? legacyOptions(optionsOrHost, port, username)
        : optionsOrHost;
    const normalized = normalizeClientOptions(options);
    this.baseURL = normalized.transport.baseURL;
    this.#transport = createTransport(normalized.transport);
    this.#wire = normalized.wire;
    this.#filters = normalized.filters;
    this.#follow = this.#createFollowContext(normalized);
    this.#calls = {
      wire: this.#wire,
      call: (...args) => this.#call(...args),
      filterBody: (filter, path) => this.#filterBody(filter, path),
    };
    // In the background: the first answers may still be validated by zod's interpreter.
    void compileResponseSchemas();
  }

  /**
   * Creates a job. A `jobId` (32 hex characters) is fixed before the first attempt when none is
   * given, and an `Idempotency-Key` is sent, so a retry after a lost answer returns the job
   * created the first time instead of creating a second one.
   *
   * @throws RequestValidationError when `job` breaks a rule (nothing is sent)
   * @throws ConflictError when `jobId` exists with a different body
   */
  async createJob<T extends ServiceFieldsShape = F>(
    job: NewJob<NoInfer<T>>,
    options?: CallOptions,
  ): Promise<Job<T>> {
    return (await loadCalls()).createJob(this.#calls, job, options);
  }

  /**
   * Creates up to 1000 jobs in one request and one transaction. Each job gets a `jobId` before
   * the first attempt when it has none, and the request an `Idempotency-Key`, so a retry after a
   * lost answer creates nothing twice. The answer lists every job in the order given, with
   * `created: false` for one that existed already with the same body.
   *
   * @example
   * const results = await jss.createJobs([{ user: 'demo' }, { user: 'demo', jobName: 'two' }]);
   * const jobIds = results.map(({ job }) => job.jobId);
   *
   * @throws RequestValidationError when a job breaks a rule (`jobs[3].user`; nothing is sent)
   * @throws ConflictError when a `jobId` exists with a different body (nothing is created)
   */
  async createJobs(jobs: readonly NewJob[], options?: CallOptions): Promise<CreatedJob[]> {
    return (await loadCalls()).createJobs(this.#calls, jobs, options);
  }

  /**
   * Reads one job.
   * @throws NotFoundError when there is no such job
   */
  async getJob<T extends ServiceFieldsShape = F>(
    jobId: string,
    options?: CallOptions,
  ): Promise<Job<T>> {
    assertJobId(jobId);
    const request = { method: 'GET', path: jobPath(jobId), idempotent: true } as const;
    return this.#call(request, options, decodeSingleJob<T>);
  }

  /** Reads only a job's status, stage, progress and modification time (cheaper than getJob). */
  async getJobStatus(jobId: string, options?: CallOptions): Promise<JobStatusSummary> {
    assertJobId(jobId);
    return (await loadPages()).getJobStatus(this.#calls, jobId, options);
  }

  /**
   * Changes the updatable fields of a job (`jobName`, `childIds`, `serviceFields`,
   * `currentHost`, `currentStage`, `status`). With `isPatch` (the default) only the leaves of
   * `serviceFields` that are given change; with `false` each top-level property of
   * `serviceFields` that is given is replaced whole. Either way other properties stay.
   *
   * @example client.updateJob(id, { serviceFields: { favorites: { color: 'blue' } } }, true)
   */
  updateJob<T extends ServiceFieldsShape = F>(
    jobId: string,
    update: JobUpdate<NoInfer<T>>,
    isPatch?: boolean,
    options?: CallOptions,
  ): Promise<Job<T>>;
  updateJob<T extends ServiceFieldsShape = F>(
    jobId: string,
    update: JobUpdate<NoInfer<T>>,
    options?: CallOptions,
  ): Promise<Job<T>>;
  async updateJob<T extends ServiceFieldsShape = F>(
    jobId: string,
    update: JobUpdate<NoInfer<T>>,
    isPatchOrOptions: boolean | CallOptions = true,
    options?: CallOptions,
  ): Promise<Job<T>> {
    assertJobId(jobId);
    const isPatch = typeof isPatchOrOptions === 'boolean' ? isPatchOrOptions : true;
    const callOptions = typeof isPatchOrOptions === 'boolean' ? options : isPatchOrOptions;
    return (await loadCalls()).updateJob(this.#calls, jobId, update, isPatch, callOptions);
  }

  /**
   * Every job matching `filter`, in one answer (the legacy call; see {@link listJobs} to page).
   * See {@link JobFilter} about operator injection.
   *
   * @example client.getJobs({ user: 'foo', status: { $in: ['BLOCKED', 'WAITING'] } })
   */
  async getJobs<T extends ServiceFieldsShape = F>(
    filter: JobFilter = {},
    options?: CallOptions,
  ): Promise<Job<T>[]> {
    const request = {
      method: 'POST',
      path: `${JOB_PATH}query`,
      body: this.#filterBody(filter),
      idempotent: true,
    } as const;
    return this.#call(request, options, decodeJobList<T>);
  }

  /**
   * One page of the jobs matching `filter`, in order (default `created,jobId`).
   *
   * @example
   * let page = await client.listJobs({ user: 'demo' }, { limit: 100 });
   * while (page.nextCursor) page = await client.listJobs({ user: 'demo' }, { limit: 100, cursor: page.nextCursor });
   */
  async listJobs<T extends ServiceFieldsShape = F>(
    filter: JobFilter = {},
    options?: ListJobsOptions & CallOptions,
  ): Promise<JobPage<T>> {
    return (await loadPages()).listJobs<T>(this.#calls, filter, options, ['filter']);
  }

  /**
   * The jobs changed after `stamp` (0 for the beginning), oldest change first, and the `stamp`
   * to pass next time: polling with it never misses or repeats a change.
   *
   * @example
   * let stamp = 0;
   * for (;;) { const changes = await client.getJobsChangedSince(stamp, { finished: true }); stamp = changes.stamp; }
   */
  async getJobsChangedSince<T extends ServiceFieldsShape = F>(
    stamp: number,
    options?: JobChangesOptions & CallOptions,
  ): Promise<JobChanges<T>> {
    return (await loadPages()).getJobsChangedSince<T>(this.#calls, stamp, options);
  }

  /**
   * One page of the jobs in a queue: `pending` (WAITING, BLOCKED), `running` (WORKING,
   * RETRYING), `inProgress` (both), `finished` (every terminal status), `succeeded`, `failed`
   * (FAILED, UNRECOVERABLE) or `aborted`.
   *
   * @example client.listQueue('failed', { filter: { user: 'demo' }, sort: '-modified', limit: 50 })
   */
  async listQueue<T extends ServiceFieldsShape = F>(
    preset: QueuePreset,
    options?: ListQueueOptions & CallOptions,
  ): Promise<JobPage<T>> {
    return (await loadPages()).listQueue<T>(this.#calls, preset, options);
  }

  /**
   * Aborts a job that is in progress (its status becomes ABORTED; aborting it again changes
   * nothing).
   * @throws ConflictError when the job has already ended otherwise
   */
  abortJob<T extends ServiceFieldsShape = F>(
    jobId: string,
    options?: CallOptions,
  ): Promise<Job<T>> {
    return this.#action<T>('POST', jobId, '/abort', options);
  }

  /**
   * Retries a job that FAILED or was ABORTED (its status becomes RETRYING).
   * @throws ConflictError for any other status (UNRECOVERABLE included)
   */
  retryJob<T extends ServiceFieldsShape = F>(
    jobId: string,
    options?: CallOptions,
  ): Promise<Job<T>> {
    return this.#action<T>('POST', jobId, '/retry', options);
  }

  /**
   * Deletes a job that has ended and returns it as it was.
   * @throws ConflictError while the job is in progress
   */
  deleteJob<T extends ServiceFieldsShape = F>(
    jobId: string,
    options?: CallOptions,
  ): Promise<Job<T>> {
    return this.#action<T>('DELETE', jobId, '', options);
  }

  /**
   * Records a job's progress: `completed` of `total` units (`0 <= completed <= total`,
   * `total > 0`). The server stores the percentage too.
   *
   * @example await client.reportProgress(jobId, 30, 120) // progress.percent === 25
   */
  async reportProgress<T extends ServiceFieldsShape = F>(
    jobId: string,
    completed: number,
    total: number,
    options?: CallOptions,
  ): Promise<Job<T>> {
    assertJobId(jobId);
    return (await loadCalls()).reportProgress<T>(this.#calls, jobId, completed, total, options);
  }

  /**
   * Appends an entry to a job's log. An `Idempotency-Key` makes a retried append count once.
   *
   * @example await client.log(jobId, 'copied 3 files', { level: 'success', data: { files: 3 } })
   */
  async log<T extends ServiceFieldsShape = F>(
    jobId: string,
    message: string,
    options?: LogOptions & CallOptions,
  ): Promise<Job<T>> {
    assertJobId(jobId);
    return (await loadCalls()).log<T>(this.#calls, jobId, message, options);
  }

  /**
   * Who the server takes this client to be (`GET 1.0/auth/me`): the user, role and services of
   * its token. Jobs this client creates belong to that user.
   *
   * @throws AuthenticationError (401) without a valid token
   * @throws NotFoundError when the server checks no tokens (`--auth none` or a legacy server)
   * @example const { user, role } = await client.whoAmI(); // { user: 'demo', role: 'creator', services: [] }
   */
  async whoAmI(options?: CallOptions): Promise<Identity> {
    return (await loadCalls()).whoAmI(this.#calls, options);
  }

  /**
   * Exchanges a user's password for a token (`POST 1.0/login`), which lasts as long as the
   * server's login TTL. The password is sent once and kept nowhere; no retry resends it, since
   * each attempt would make another token.
   *
   * @throws RequestValidationError when `user` or `password` is missing or empty (nothing is sent)
   * @throws AuthenticationError (401) for a wrong user name or password
   * @example
   * const { token } = await new JobStatusClient({ baseURL }).login({ user: 'demo', password });
   * const jss = new JobStatusClient({ baseURL, token });
   */
  async login(credentials: LoginInput, options?: CallOptions): Promise<LoginResult> {
    return (await loadCalls()).login(this.#calls, credentials, options);
  }

  /**
   * Follows jobs live (Server-Sent Events): every job of a user (`'demo'` or `{ user: 'demo' }`)
   * or the listed jobs (`{ jobIds: [...] }`). Reconnects by itself without losing events.
   *
   * @throws RequestValidationError at once for an empty user, an empty list or an invalid job id
   * @example
   * const subscription = client.subscribe('demo');
   * subscription.on('jobUpdate', (event) => console.log(event.job.status));
   */
  subscribe(target: string | SubscriptionTarget, options?: SubscribeOptions): JobSubscription {
    refuseUnknownOptions(options, METHOD_OPTION_NAMES.subscribe, false);
    return subscribe(this.#follow, typeof target === 'string' ? { user: target } : target, options);
  }

  /**
   * Waits until the job ends (SUCCEEDED, FAILED, UNRECOVERABLE or ABORTED), following it live
   * when the server can, else polling. See `WaitForJobOptions` for what it resolves or rejects.
   *
   * @example const done = await client.waitForJob(jobId, { timeout: 600_000 });
   */
  waitForJob<T extends ServiceFieldsShape = F>(
    jobId: string,
    options?: WaitForJobOptions,
  ): Promise<Job<T>> {
    // The job id is checked there, as a rejection like every other failure of the wait.
    return loadFollow().then((follow) => {
      refuseUnknownOptions(options, METHOD_OPTION_NAMES.waitForJob, false);
      return follow.waitForJob(this.#follow, jobId, options) as Promise<Job<T>>;
    });
  }

  /**
   * Every job matching `filter`, fetched page by page as the loop asks for them.
   *
   * @example for await (const job of client.iterateJobs({ user: 'demo' })) console.log(job.jobId)
   */
  iterateJobs<T extends ServiceFieldsShape = F>(
    filter: JobFilter = {},
    options?: IterateJobsOptions,
  ): AsyncIterableIterator<Job<T>> {
    // Checked now: the iterator is lazy, and a mistake should surface where the call is written.
    throwIfIssues(collectFilterIssues(filter, this.#filters));
    refuseUnknownOptions(options, METHOD_OPTION_NAMES.iterateJobs, false);
    const context = this.#follow;
    return (async function* () {
      yield* (await loadFollow()).iterateJobs(context, filter, options) as AsyncIterable<Job<T>>;
    })();
  }

  // The work queue (docs/protocol.md, "Work queue"): thin methods over src/workers.

  /**
   * The worker id of the work-queue calls that name none: random, one per client.
   * @example `worker-3f9a1c0e5b7d2a64`
   */
  get workerId(): string {
    return this.#workerContext().workerId;
  }

  /**
   * Claims up to `limit` jobs of `service` (WAITING, or RETRYING once due; `runAt` passed; every
   * dependency SUCCEEDED), higher priority first, then oldest. Each comes back WORKING, leased to
   * the worker for `leaseMs`: heartbeat it, then complete or fail it. `[]` when there are none.
   *
   * @example const [job] = await client.claimJobs({ service: 'upload', leaseMs: 60_000 });
   */
  claimJobs(options: ClaimJobsOptions, callOptions?: CallOptions): Promise<ClaimedJob[]> {
    return loadWorkers().then((w) => w.claimJobs(this.#workerContext(), options, callOptions));
  }

  /**
   * Renews the lease of a claimed job.
   * @throws ConflictError (`not_claimed`) when the worker no longer holds the job
   */
  heartbeat(jobId: string, options?: HeartbeatOptions & CallOptions): Promise<Job> {
    return loadWorkers().then((w) => w.heartbeat(this.#workerContext(), jobId, options));
  }

  /**
   * Completes a claimed job: SUCCEEDED, with `result` (any JSON) in `serviceFields.result`.
   * @throws ConflictError (`not_claimed`) when the worker no longer holds the job
   */
  completeJob(
    jobId: string,
    result?: unknown,
    options?: WorkerCallOptions & CallOptions,
  ): Promise<Job> {
    return loadWorkers().then((w) => w.completeJob(this.#workerContext(), jobId, result, options));
  }

  /**
   * Fails a claimed job: RETRYING at its next run time while its retry policy allows, else
   * FAILED; UNRECOVERABLE with `fatal`. The error's message (never its stack) is recorded.
   *
   * @throws ConflictError (`not_claimed`) when the worker no longer holds the job
   * @example await client.failJob(job.jobId, new Error('disk full'), { fatal: false })
   */
  failJob(jobId: string, error: JobFailure, options?: FailJobOptions & CallOptions): Promise<Job> {
    return loadWorkers().then((w) => w.failJob(this.#workerContext(), jobId, error, options));
  }

  /**
   * Processes the jobs of `service` with `handler`, `concurrency` at a time, until stopped.
   * See {@link JobProcessor}, {@link JobHandler} and `ProcessJobsOptions`.
   *
   * @example
   * const workers = client.processJobs('upload', async (job, { signal, progress }) => {
   *   await upload(job.serviceFields, { signal });
   *   await progress(100);
   *   return { uploaded: true };
   * }, { concurrency: 4 });
   * process.on('SIGTERM', () => void workers.stop({ graceful: true, timeoutMs: 60_000 }));
   */
  processJobs(
    service: string | string[],
    handler: JobHandler,
    options?: ProcessJobsOptions,
  ): JobProcessor {
    return new JobProcessor(this.#workerContext(), service, handler, options);
  }

  #workers: WorkerContext | undefined;

  #workerContext(): WorkerContext {
    this.#workers ??= {
      workerId: `worker-${randomHex(8)}`,
      wire: this.#wire,
      send: (request, options) => this.#send(request, options),
      reportProgress: (jobId, completed, total) => this.reportProgress(jobId, completed, total),
      log: (jobId, message, options) => this.log(jobId, message, options),
    };
    return this.#workers;
  }

  async #action<T extends ServiceFieldsShape>(
    method: 'POST' | 'DELETE',
    jobId: string,
    suffix: string,
    options: CallOptions | undefined,
  ): Promise<Job<T>> {
    assertJobId(jobId);
    return (await loadCalls()).jobAction<T>(this.#calls, method, jobId, suffix, options);
  }

  /** Validates a filter and encodes it into the query body. */
  #filterBody(filter: JobFilter, path: (string | number)[] = ['filter']): Record<string, unknown> {
    throwIfIssues(collectFilterIssues(filter, this.#filters, path));
    return checkBodySize(
      encodeFilterBody(filter as Record<string, unknown>, this.#wire),
      path.join('.'),
    );
  }

  // Each method builds its request as one literal: a spread copy (`{ ...request, idempotent: true }`)
  // costs a measurable share of a whole getJob in the bench.
  /** Sends `request` with the call's options; `own` names the method's other options. */
  #send(
    request: TransportRequest,
    options: CallOptions | undefined,
    own?: readonly string[],
  ): Promise<TransportResponse> {
    // Most calls pass no options: they skip the parse, which checks nothing for them.
    if (options === undefined) return this.#transport.request(request);
    refuseUnknownOptions(options, own);
    const callOptions = parseInput(callOptionsSchema, pickCallOptions(options), 'options');
    return this.#transport.request({ ...request, ...callOptions });
  }

  /**
   * The one request path: {@link #send}, then `decode` of the answer's body. A mistake in the
   * call options is a rejection, like every other failure of the call.
   */
  async #call<T>(
    request: TransportRequest,
    options: CallOptions | undefined,
    decode: Decoder<T>,
    own?: readonly string[],
  ): Promise<T> {
    const response = await this.#send(request, options, own);
    return decode(response.data, this.#wire, contextOf(request, response));
  }

  #createFollowContext(normalized: NormalizedClientOptions): FollowContext {
    const { transport } = normalized;
    const secrets = typeof transport.token === 'string' ? [transport.token] : [];
    return {
      baseURL: this.baseURL,
      // Built in the follow chunk, which is loaded by the time a stream asks for them.
      headers: () => loadFollow().then((follow) => follow.streamHeaders(transport)),
      // src/follow tests for a missing fetch at run time and falls back to polling.
      fetch: normalized.fetch,
      decodeJob: (wire) => decodeWireJob(wire, this.#wire),
      getJob: (jobId, options) => this.getJob(jobId, options),
      listJobs: (filter, options) => this.listJobs(filter, options),
      // The transport's line writer: the same `logLevel` threshold, redaction and prefix.
      log: (severity, line) => writeLog(transport, secrets, severity, line),
      connect: (...args) => loadFollow().then((follow) => follow.followStream(...args)),
    };
  }
}

function contextOf(
  request: { method: string; path: string },
  response: TransportResponse,
): DecodeContext {
  return { method: request.method, path: request.path, status: response.status };
}

export default JobStatusClient;
