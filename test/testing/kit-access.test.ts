// The testing kit with tokens: the same roles and visibility as the reference server, seen
// through the SDK.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  JobStatusClient,
  NotFoundError,
  PermissionDeniedError,
  type InitialJobsEvent,
  type JobEvent,
} from '../../src/index';
import { createJssHandlers, InMemoryJobStore } from '../../src/testing/index';

const BASE_URL = 'http://jss-auth.test/jss';
const store = new InMemoryJobStore();
const tokens = {
  'alice-token': { user: 'alice', role: 'creator' },
  'bob-token': { user: 'bob', role: 'creator' },
  'manager-token': { user: 'mia', role: 'manager' },
  'worker-token': { user: 'wes', role: 'worker', services: ['upload'] },
  'copier-token': { user: 'cora', role: 'worker', services: ['copy'] },
  'admin-token': { user: 'ada', role: 'admin' },
} as const;
const server = setupServer(...createJssHandlers({ baseURL: BASE_URL, store, tokens }));
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => store.clear());
afterAll(() => server.close());

const clientOf = (user: string, token?: string) =>
  new JobStatusClient({ baseURL: BASE_URL, user, maxRetries: 0, ...(token ? { token } : {}) });
const alice = () => clientOf('alice', 'alice-token');
const bob = () => clientOf('bob', 'bob-token');

describe('the testing kit with tokens', () => {
  it('refuses a request without a token with AuthenticationError', async () => {
    await expect(clientOf('alice').getJobs({})).rejects.toBeInstanceOf(AuthenticationError);
  });

  it("answers another creator's job NotFoundError", async () => {
    const { jobId } = await alice().createJob({ user: 'alice' });
    await expect(bob().getJob(jobId)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("leaves another creator's jobs out of a query", async () => {
    await alice().createJob({ user: 'alice' });
    expect(await bob().getJobs({ user: 'alice' })).toEqual([]);
  });

  it('refuses a creator creating a job for someone else with PermissionDeniedError', async () => {
    await expect(bob().createJob({ user: 'alice' })).rejects.toBeInstanceOf(PermissionDeniedError);
  });

  it("refuses a creator's job whose parent is another creator's job with BadRequestError naming parent_id", async () => {
    const { jobId } = await alice().createJob({ user: 'alice' });
    const refused = bob().createJob({ user: 'bob', parentId: jobId });
    await expect(refused).rejects.toMatchObject({
      name: 'BadRequestError',
      status: 400,
      code: 'invalid_body',
      message: expect.stringContaining(
        `"parent_id" names job "${jobId}", which the caller may not read`,
      ),
    });
  });

  it("lets a manager abort any user's job", async () => {
    const { jobId } = await alice().createJob({ user: 'alice', status: 'WORKING' });
    expect((await clientOf('mia', 'manager-token').abortJob(jobId)).status).toBe('ABORTED');
  });

  it('lets a worker update the jobs of its services only', async () => {
    const upload = await alice().createJob({ user: 'alice', service: 'upload' });
    const copy = await alice().createJob({ user: 'alice', service: 'copy' });
    const worker = clientOf('wes', 'worker-token');
    expect((await worker.updateJob(upload.jobId, { currentStage: 'sent' })).currentStage).toBe(
      'sent',
    );
    await expect(worker.updateJob(copy.jobId, { currentStage: 'x' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it("starts a subscription to another user's jobs empty", async () => {
    await alice().createJob({ user: 'alice' });
    const subscription = bob().subscribe('alice');
    try {
      const initial = await new Promise<InitialJobsEvent>((resolve) =>
        subscription.on('initialJobs', (event: JobEvent) => resolve(event as InitialJobsEvent)),
      );
      expect(initial.jobs).toEqual([]);
    } finally {
      subscription.close();
    }
  });
});

describe('claims in the testing kit with tokens', () => {
  const worker = () => clientOf('wes', 'worker-token');

  it('lets a worker claim a job of a service it is granted', async () => {
    const { jobId } = await alice().createJob({ user: 'alice', service: 'upload' });
    const claimed = await worker().claimJobs({ service: 'upload' });
    expect(claimed.map((job) => [job.jobId, job.status])).toEqual([[jobId, 'WORKING']]);
  });

  it('refuses a worker claiming a service it is not granted, leaving the job WAITING', async () => {
    const { jobId } = await alice().createJob({ user: 'alice', service: 'copy' });
    await expect(worker().claimJobs({ service: 'copy' })).rejects.toBeInstanceOf(
      PermissionDeniedError,
    );
    expect(store.get(jobId)?.status).toBe('WAITING');
  });

  it('refuses a claim naming a granted and an ungranted service', async () => {
    await alice().createJob({ user: 'alice', service: 'upload' });
    await expect(worker().claimJobs({ service: ['upload', 'copy'] })).rejects.toThrow(
      'A worker token may not claim jobs of service "copy"',
    );
  });

  it.each([
    ['creator', 'alice', 'alice-token'],
    ['manager', 'mia', 'manager-token'],
  ])('refuses a %s claiming, naming its role', async (role, user, token) => {
    await alice().createJob({ user: 'alice', service: 'upload' });
    await expect(clientOf(user, token).claimJobs({ service: 'upload' })).rejects.toThrow(
      `A ${role} token may not claim jobs`,
    );
  });

  it('lets an admin claim a job of any service', async () => {
    const { jobId } = await alice().createJob({ user: 'alice', service: 'copy' });
    const claimed = await clientOf('ada', 'admin-token').claimJobs({ service: 'copy' });
    expect(claimed.map((job) => job.jobId)).toEqual([jobId]);
  });

  it('answers NotFoundError to a worker completing a job of a service it is not granted', async () => {
    const { jobId } = await alice().createJob({ user: 'alice', service: 'upload' });
    const [claimed] = await worker().claimJobs({ service: 'upload', workerId: 'w1' });
    await expect(
      clientOf('cora', 'copier-token').completeJob(jobId, 'done', { workerId: 'w1' }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect([claimed?.jobId, store.get(jobId)?.status]).toEqual([jobId, 'WORKING']);
  });
});
