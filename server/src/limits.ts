// Every bound the reference server puts on one request, one job or one connection, in one table
// (docs/server.md "Running it", docs/protocol.md "Limits"). A limit a client can run into is
// answered 400, 413, 429 or 503 with a message naming its key here, never 500.
import {
  MAX_BATCH_JOBS,
  MAX_LIMIT,
  MAX_LOG_BYTES,
  MAX_LOG_ENTRIES,
  MAX_LOG_ENTRY_BYTES,
  MAX_LOG_MESSAGE_LENGTH,
  MAX_NESTING_DEPTH,
  MAX_OFFSET,
  MAX_PATCH_KEYS,
  MAX_SERVICE_FIELDS_BYTES,
  MAX_USER_LENGTH,
} from '#protocol';

const MIB = 1024 * 1024;

export const LIMITS = {
  /** Largest request body; larger is 413 `payload_too_large`. */
  requestBodyBytes: MIB,
  /** Most jobs in one page of `query` or `changes` (`?limit`); more is 400 `invalid_paging`. */
  pageSizeMax: MAX_LIMIT,
  /** Largest `?offset` (PostgreSQL's 32-bit OFFSET); more is 400 `invalid_paging`. */
  offsetMax: MAX_OFFSET,
  /** Most jobs a `query` without `?limit` (every match, the legacy form) answers; 413 beyond. */
  unpagedQueryJobs: 10_000,
  /** Largest JSON answer of `query` or `changes`; beyond it 413 `response_too_large`. */
  responseBytes: 32 * MIB,
  /** Jobs read from the database per page while an SSE subscription sends its initial state. */
  sseInitialPageSize: 500,
  /** Most jobs one `subscribe?job_id=` stream follows. */
  subscribedJobsMax: 1000,
  /** Open SSE streams per client (see `streamOwner`); beyond it 429 `too_many_streams`. */
  sseStreamsPerClient: 32,
  /** Open SSE streams in all; beyond it 503 `too_many_streams`. */
  sseStreamsTotal: 2000,
  /** Seconds a refused stream is told to wait (`Retry-After`). */
  sseRetryAfterSeconds: 5,
  /** Failed `POST 1.0/login`s for one user name in `loginWindowMs`; then 429 `too_many_logins`. */
  loginFailuresPerUser: 10,
  /** Failed logins from one client address in `loginWindowMs`, whichever user names they tried. */
  loginFailuresPerAddress: 100,
  /** Milliseconds a count of failed logins lasts, from its first failure. */
  loginWindowMs: 15 * 60 * 1000,
  /** User names and addresses whose failed logins are counted at once (the oldest go first). */
  loginTrackedMax: 10_000,
  /** Entries one job's log keeps: appending more drops the oldest. */
  logEntriesPerJob: MAX_LOG_ENTRIES,
  /** Bytes of JSON text one job's log keeps: appending more drops the oldest entries. */
  logBytesPerJob: MAX_LOG_BYTES,
  /** Largest single log entry (its JSON text); larger is 413 `payload_too_large`. */
  logEntryBytes: MAX_LOG_ENTRY_BYTES,
  /** Characters of a log message. */
  logMessageLength: MAX_LOG_MESSAGE_LENGTH,
  /** Keys of one PATCH body; more is 400 `invalid_body`. */
  patchKeys: MAX_PATCH_KEYS,
  /** Bytes of a job's `service_fields` (JSON text) after a create or a PATCH; 413 beyond. */
  serviceFieldsBytes: MAX_SERVICE_FIELDS_BYTES,
  /** Levels of objects and arrays in a body, and segments of a `$set` path; 400 beyond. */
  jsonNestingDepth: MAX_NESTING_DEPTH,
  /** Characters of a job's `user`. */
  userLength: MAX_USER_LENGTH,
  /** Milliseconds a client has to send the request headers (slowloris); then the socket closes. */
  headersTimeoutMs: 10_000,
  /** Milliseconds a client has to send the whole request (headers and body). */
  requestTimeoutMs: 30_000,
  /** Milliseconds an idle keep-alive connection stays open between requests. */
  keepAliveTimeoutMs: 5_000,
  /** Jobs one `POST 1.0/job/batch` may create. */
  batchCreateJobs: MAX_BATCH_JOBS,
  /**
   * Matches a query counts at most for `total_count`; beyond it the envelope says
   * `total_count_capped: true` and `total_count` is this many (a lower bound).
   */
  queryCountCap: 1000,
} as const;

export type Limits = typeof LIMITS;
