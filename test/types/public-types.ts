// Type tests of the public API, checked by `npm run typecheck` (tsc over test/) and never run:
// each `@ts-expect-error` fails the check when the line below it compiles, so a type that grew
// loose (a status that takes any string, an option object that takes any key) fails CI.
import { expectTypeOf } from 'vitest';
import {
  ApiError,
  eq,
  JobStatusClient,
  oneOf,
  type Job,
  type JobPage,
  type JobStatus,
  type KnownJobStatus,
  type NewJob,
  type ServiceErrorCode,
} from 'job-status-client';

interface UploadFields {
  files: number;
  favorites: { color: string; number: number };
  tags?: string[];
}

const client = new JobStatusClient({ baseURL: 'http://127.0.0.1:9/jss', user: 'types' });
const uploads = new JobStatusClient<UploadFields>({ baseURL: 'http://127.0.0.1:9/jss' });

/** Statuses: precise where the caller writes one, tolerant where the server sends one. */
export async function statuses(): Promise<void> {
  // @ts-expect-error 'DONE' is not a status
  await client.updateJob('abc', { status: 'DONE' });
  // @ts-expect-error 'working' is not a status (statuses are upper case)
  await client.createJob({ user: 'types', status: 'working' });
  // @ts-expect-error a filter on a status that does not exist would match nothing
  await client.getJobs({ status: 'SUCCEDED' });
  // @ts-expect-error nor inside an operator
  await client.getJobs({ status: { $in: ['WAITING', 'PAUSED'] } });
  // @ts-expect-error nor through a helper
  await client.getJobs({ status: oneOf(['FAILED', 'BROKEN']) });
  await client.getJobs({ status: oneOf(['FAILED', 'UNRECOVERABLE']) });
  await client.getJobs({ status: eq('WAITING') });

  // A newer server may answer a status this SDK does not know: the read type keeps any string.
  const job = await client.getJob('abc');
  expectTypeOf(job.status).toEqualTypeOf<JobStatus>();
  expectTypeOf<KnownJobStatus>().toExtend<JobStatus>();
  expectTypeOf<'PAUSED'>().toExtend<JobStatus>();
}

/** Jobs: a misspelt property does not compile. */
export async function jobProperties(): Promise<void> {
  const job = await client.getJob('abc');
  expectTypeOf(job.created).toEqualTypeOf<Date>();
  // @ts-expect-error `status`, misspelt
  void job.stauts;
  // @ts-expect-error `jobName`, in snake_case as on the wire
  void job.job_name;
  // @ts-expect-error `created` is set by the server
  await client.createJob({ user: 'types', created: new Date() });
  // @ts-expect-error `user` is not updatable
  await client.updateJob('abc', { user: 'someone else' });
}

/** Option objects: every key must be an option of the call. */
export async function options(): Promise<void> {
  // @ts-expect-error `timeout`, misspelt
  await client.getJob('abc', { timeot: 5_000 });
  // @ts-expect-error `cursor` is not an option of listQueue
  await client.listQueue('failed', { cursor: 'next' });
  // @ts-expect-error `pageSize` belongs to iterateJobs, not listJobs
  await client.listJobs({}, { pageSize: 10 });
  // @ts-expect-error the level of a log entry is one of the protocol's
  await client.log('abc', 'copied', { level: 'debug' });
  // @ts-expect-error `baseUrl` is spelt `baseURL`
  void new JobStatusClient({ baseUrl: 'http://127.0.0.1:9/jss' });
  // @ts-expect-error `retryDelay` takes initialMs and maxMs only
  void new JobStatusClient({ baseURL: 'http://127.0.0.1:9/jss', retryDelay: { initial: 1 } });
  await client.updateJob('abc', { currentStage: 'copying' }, false, { timeout: 5_000 });
  await client.listJobs({}, { limit: 10, signal: AbortSignal.timeout(1_000) });
}

/** Service fields: typed by the client's generic, or per call. */
export async function serviceFields(): Promise<void> {
  const untyped = await client.getJob('abc');
  expectTypeOf(untyped.serviceFields).toEqualTypeOf<Record<string, unknown> | null | undefined>();

  const job = await uploads.getJob('abc');
  expectTypeOf(job).toEqualTypeOf<Job<UploadFields>>();
  expectTypeOf(job.serviceFields?.files).toEqualTypeOf<number | undefined>();
  // @ts-expect-error `files`, misspelt
  void job.serviceFields?.fils;

  await uploads.createJob({
    user: 'types',
    serviceFields: { files: 3, favorites: { color: 'blue', number: 7 } },
  });
  // @ts-expect-error `files` is a number
  await uploads.createJob({ user: 'types', serviceFields: { files: '3', favorites: undefined } });
  // A patch sends any subset of the leaves.
  await uploads.updateJob('abc', { serviceFields: { favorites: { color: 'green' } } });
  // @ts-expect-error but each leaf keeps its type
  await uploads.updateJob('abc', { serviceFields: { favorites: { number: 'seven' } } });

  const page = await uploads.listJobs({ user: 'types' });
  expectTypeOf(page).toEqualTypeOf<JobPage<UploadFields>>();
  for await (const each of uploads.iterateJobs())
    expectTypeOf(each).toEqualTypeOf<Job<UploadFields>>();
  expectTypeOf(await uploads.waitForJob('abc')).toEqualTypeOf<Job<UploadFields>>();

  // Per call, on any client.
  const other = await client.getJob<{ reportUrl: string }>('abc');
  expectTypeOf(other.serviceFields?.reportUrl).toEqualTypeOf<string | undefined>();
  const draft: NewJob<UploadFields> = {
    user: 'types',
    serviceFields: { files: 1, favorites: { color: 'red', number: 1 } },
  };
  expectTypeOf(await uploads.createJob(draft)).toEqualTypeOf<Job<UploadFields>>();
}

/** Error codes: the protocol's table, so a misspelt code in a comparison is caught. */
export function errorCodes(error: unknown): void {
  if (!(error instanceof ApiError)) return;
  const code: ServiceErrorCode = 'not_claimed';
  expectTypeOf(error.code).toExtend<string>();
  if (error.code === code || error.code === 'job_exists') return;
  // @ts-expect-error 'not_claim' is not a code of the protocol's table
  const misspelt: ServiceErrorCode = 'not_claim';
  void misspelt;
}
