// Differential tests: the server's SQL against the SDK's pure model (src/protocol), which is
// the executable reading of docs/protocol.md. Random documents, PATCH bodies, filters and sorts go
// to both; any disagreement is a bug on one side, shown as fast-check's minimal counterexample.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  applyPatch,
  compareCodePoints,
  compareJobs,
  matchesFilter,
  ModelError,
  validateFilter,
  type JobRecord,
  type WireJob,
} from '#protocol';
import { JobTable } from '../../src/testing/store/job-table';
import type { RunningServer } from '../src/index';
import { matchFilterWithSql } from '../src/store/oracle';
import {
  filterBodyFor,
  jobDocuments,
  patchBodyFor,
  serviceFields,
  sortOrder,
} from './differential-arbitraries';
import {
  apiClient,
  jobOf,
  uniqueUser,
  useTestDatabase,
  type Answer,
  type ApiClient,
} from './support/harness';

const database = useTestDatabase();

const documentAndPatch = serviceFields.chain((fields) =>
  fc.tuple(fc.constant(fields), patchBodyFor(fields)),
);

const jobsAndFilter = jobDocuments.chain((jobs) =>
  fc.tuple(fc.constant(jobs), filterBodyFor(jobs)),
);

/** The one job of an answer, as the model types it. */
const jobIn = (answer: Answer): WireJob => ({ ...jobOf(answer) });

/** JSON as it travels: `-0` becomes `0`, as it does on the wire. */
const asWire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** The job less `modified`, which the server sets to its own clock on every write. */
function withoutModified(job: WireJob): Omit<WireJob, 'modified'> {
  const { modified: _modified, ...rest } = job;
  return rest;
}

/** What the model makes of a PATCH: the new job, or the error the service must answer. */
function modelPatch(job: WireJob, body: Record<string, unknown>) {
  try {
    return { job: applyPatch(job, body) };
  } catch (error) {
    if (error instanceof ModelError) return { error: { status: error.status, code: error.code } };
    throw error;
  }
}

/** The ids in code-point order, so that two answers compare as sets. */
const asSet = (ids: string[]) => [...ids].sort(compareCodePoints);

/** Runs the SQL side, turning a refusal into its code. */
async function sqlMatches(jobs: JobRecord[], filter: unknown, sort?: string) {
  try {
    return { ids: await matchFilterWithSql(database.store.db, jobs, filter, sort) };
  } catch (error) {
    return { code: (error as { code?: unknown }).code ?? String(error) };
  }
}

describe('PATCH through the server agrees with applyPatch', () => {
  let server: RunningServer;
  let api: ApiClient;
  let run = 0;
  beforeAll(async () => {
    server = await database.server();
    api = apiClient(() => server.url, uniqueUser('differential'));
  });
  const nextJobId = () => `diff-${api.user}-${run++}`;

  it('stores a created document exactly as sent', async () => {
    await fc.assert(
      fc.asyncProperty(serviceFields, async (fields) => {
        const created = await api.create({ job_id: nextJobId(), service_fields: fields });

        expect(created.status).toBe(201);
        expect(jobOf(created).service_fields).toEqual(asWire(fields));
      }),
      { numRuns: 150 },
    );
  });

  it('answers and stores the job applyPatch computes, or refuses with its code', async () => {
    await fc.assert(
      fc.asyncProperty(documentAndPatch, async ([fields, body]) => {
        const before = jobIn(await api.create({ job_id: nextJobId(), service_fields: fields }));
        const expected = modelPatch(before, body);

        const answer = await api.patch(before.job_id, body);

        if (expected.error) {
          expect({ status: answer.status, code: answer.body.code }).toEqual(expected.error);
          expect(jobOf(await api.get(before.job_id))).toEqual(before);
          return;
        }
        expect(answer.status).toBe(200);
        expect(withoutModified(jobIn(answer))).toEqual(withoutModified(asWire(expected.job)));
        expect(jobOf(await api.get(before.job_id))).toEqual(jobOf(answer));
      }),
      { numRuns: 300 },
    );
  });
});

describe('filters in SQL agree with matchesFilter', () => {
  it('finds the same jobs, and refuses the same filters as validateFilter', async () => {
    await fc.assert(
      fc.asyncProperty(jobsAndFilter, async ([jobs, filter]) => {
        const refusal = validateFilter(filter);

        const found = await sqlMatches(jobs, filter);

        if (refusal) {
          expect(found).toEqual({ code: 'invalid_filter' });
          return;
        }
        const expected = jobs.filter((job) => matchesFilter(job, filter)).map((job) => job.job_id);
        expect(found.code).toBeUndefined();
        expect(asSet(found.ids ?? [])).toEqual(asSet(expected));
      }),
      { numRuns: 400 },
    );
  });

  it('orders the jobs as compareJobs does', async () => {
    await fc.assert(
      fc.asyncProperty(jobDocuments, sortOrder, async (jobs, sort) => {
        const found = await sqlMatches(jobs, {}, sort.param);

        const expected = [...jobs].sort(compareJobs(sort.keys)).map((job) => job.job_id);
        expect(found).toEqual({ ids: expected });
      }),
      { numRuns: 200 },
    );
  });
});

describe('POST 1.0/job/query agrees with the model over jobs created through the server', () => {
  let server: RunningServer;
  let api: ApiClient;
  let run = 0;
  beforeAll(async () => {
    server = await database.server();
    // Its runs create jobs of many users; an admin may.
    api = apiClient(() => server.url, uniqueUser('differential-query'), { role: 'admin' });
  });

  /** Creates the documents through the API (ids made unique per run) and returns them as stored. */
  async function createAll(jobs: JobRecord[]): Promise<WireJob[]> {
    const prefix = `q${run++}-`;
    const stored: WireJob[] = [];
    for (const { created: _c, modified: _m, ...job } of jobs) {
      stored.push(
        jobIn(await api.call('POST', '1.0/job/', { ...job, job_id: prefix + job.job_id })),
      );
    }
    return stored;
  }

  it('answers the matching jobs of a run in the requested order', async () => {
    await fc.assert(
      fc.asyncProperty(jobsAndFilter, sortOrder, async ([jobs, filter], sort) => {
        fc.pre(validateFilter(filter) === undefined);
        const stored = await createAll(jobs);
        const ours = new Set(stored.map((job) => job.job_id));

        const answer = await api.query(filter, sort.param ? `?sort=${sort.param}` : '');

        expect(answer.status).toBe(200);
        const found = answer.body.data.map((job) => job.job_id).filter((id) => ours.has(id));
        const expected = stored
          .filter((job) => matchesFilter(job, filter))
          .sort(compareJobs(sort.keys))
          .map((job) => job.job_id);
        expect(found).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });
});

describe('update_parent in SQL agrees with the model', () => {
  let server: RunningServer;
  let api: ApiClient;
  let run = 0;
  beforeAll(async () => {
    server = await database.server();
    api = apiClient(() => server.url, uniqueUser('differential-family'));
  });

  const FAMILY_SIZE = 5;
  const statuses = fc.constantFrom('WAITING', 'WORKING', 'SUCCEEDED', 'FAILED');
  // Index FAMILY_SIZE stands for a job that is listed but never created.
  const member = fc.integer({ min: 0, max: FAMILY_SIZE });
  const family = fc.record({
    jobs: fc.array(
      fc.record({
        status: statuses,
        parent: fc.option(member, { nil: undefined }),
        children: fc.option(fc.uniqueArray(member, { maxLength: 3 }), { nil: undefined }),
        updateParent: fc.boolean(),
      }),
      { minLength: FAMILY_SIZE, maxLength: FAMILY_SIZE },
    ),
    changes: fc.array(fc.tuple(fc.integer({ min: 0, max: FAMILY_SIZE - 1 }), statuses), {
      maxLength: 8,
    }),
  });

  it('leaves every job of a family with the status the testing kit computes', async () => {
    await fc.assert(
      fc.asyncProperty(family, async ({ jobs, changes }) => {
        const prefix = `f${run++}-${api.user}-`;
        const id = (index: number) => `${prefix}${index}`;
        const table = new JobTable(() => new Date());
        for (const [index, job] of jobs.entries()) {
          const body = {
            user: api.user,
            job_id: id(index),
            status: job.status,
            parent_id: job.parent === undefined ? null : id(job.parent),
            child_ids: job.children?.map(id) ?? null,
            update_parent: job.updateParent,
          };
          table.create(body);
          expect((await api.create(body)).status).toBe(201);
        }
        for (const [index, status] of changes) {
          table.patch(id(index), { status });
          expect((await api.patch(id(index), { status })).status).toBe(200);
        }
        const ids = jobs.map((_, index) => id(index));
        const served = await api.query({ job_id: { $in: ids } }, '?sort=job_id');
        expect(served.body.data.map((job) => [job.job_id, job.status])).toEqual(
          ids.map((jobId) => [jobId, table.find(jobId)?.doc.status]),
        );
      }),
      { numRuns: 60 },
    );
  });
});
