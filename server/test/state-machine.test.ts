import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index';
import { apiClient, jobOf, uniqueUser, useTestDatabase, type ApiClient } from './support/harness';

const database = useTestDatabase();
let server: RunningServer;
beforeAll(async () => {
  server = await database.server();
});
const client = () => apiClient(() => server.url, uniqueUser());

async function jobWithStatus(api: ApiClient, status: string) {
  return jobOf(await api.create({ status }));
}

describe('abort', () => {
  it.each(['WAITING', 'BLOCKED', 'WORKING', 'RETRYING'])('aborts a %s job', async (status) => {
    const api = client();
    const job = await jobWithStatus(api, status);
    const answer = await api.action(job.job_id, 'abort');
    expect(answer.status).toBe(200);
    expect(jobOf(answer).status).toBe('ABORTED');
    expect(jobOf(await api.get(job.job_id)).status).toBe('ABORTED');
  });

  it('answers 200 with the job unchanged when it is aborted already', async () => {
    const api = client();
    const job = await jobWithStatus(api, 'ABORTED');
    const answer = await api.action(job.job_id, 'abort');
    expect(answer.status).toBe(200);
    expect(jobOf(answer)).toEqual(job);
  });

  it.each(['SUCCEEDED', 'FAILED', 'UNRECOVERABLE'])(
    'refuses to abort a %s job (409)',
    async (status) => {
      const api = client();
      const job = await jobWithStatus(api, status);
      const answer = await api.action(job.job_id, 'abort');
      expect(answer.status).toBe(409);
      expect(answer.body.code).toBe('invalid_transition');
      expect(answer.body.error).toContain(status);
      expect(jobOf(await api.get(job.job_id)).status).toBe(status);
    },
  );

  it('accepts an empty JSON object as the body', async () => {
    const api = client();
    const job = await jobWithStatus(api, 'WORKING');
    const answer = await api.call('POST', `1.0/job/${job.job_id}/abort`, {});
    expect(jobOf(answer).status).toBe('ABORTED');
  });

  it('refuses a body with fields', async () => {
    const api = client();
    const job = await jobWithStatus(api, 'WORKING');
    const answer = await api.call('POST', `1.0/job/${job.job_id}/abort`, { reason: 'x' });
    expect(answer.body.code).toBe('invalid_body');
  });

  it('answers 404 for a missing job', async () => {
    expect((await client().action('never-created', 'abort')).status).toBe(404);
  });
});

describe('retry', () => {
  it.each(['FAILED', 'ABORTED'])('retries a %s job', async (status) => {
    const api = client();
    const job = await jobWithStatus(api, status);
    const answer = await api.action(job.job_id, 'retry');
    expect(answer.status).toBe(200);
    expect(jobOf(answer).status).toBe('RETRYING');
  });

  it.each(['UNRECOVERABLE', 'SUCCEEDED', 'WAITING', 'WORKING', 'RETRYING'])(
    'refuses to retry a %s job (409)',
    async (status) => {
      const api = client();
      const job = await jobWithStatus(api, status);
      const answer = await api.action(job.job_id, 'retry');
      expect(answer.status).toBe(409);
      expect(answer.body.code).toBe('invalid_transition');
    },
  );
});

describe('delete', () => {
  it.each(['SUCCEEDED', 'FAILED', 'UNRECOVERABLE', 'ABORTED'])(
    'deletes a %s job and answers it as it was',
    async (status) => {
      const api = client();
      const job = await jobWithStatus(api, status);
      const answer = await api.remove(job.job_id);
      expect(answer.status).toBe(200);
      expect(jobOf(answer)).toEqual(job);
      expect((await api.get(job.job_id)).status).toBe(404);
    },
  );

  it.each(['WAITING', 'WORKING', 'PAUSED'])('refuses to delete a %s job (409)', async (status) => {
    const api = client();
    const job = await jobWithStatus(api, status);
    const answer = await api.remove(job.job_id);
    expect(answer.status).toBe(409);
    expect(answer.body.code).toBe('invalid_transition');
    expect((await api.get(job.job_id)).status).toBe(200);
  });

  it('lets a deleted job id be created again', async () => {
    const api = client();
    const job = await jobWithStatus(api, 'SUCCEEDED');
    await api.remove(job.job_id);
    const again = await api.create({ job_id: job.job_id, job_name: 'second life' });
    expect(again.status).toBe(201);
  });

  it('answers 404 for a missing job', async () => {
    expect((await client().remove('never-created')).status).toBe(404);
  });
});

describe('patching the status', () => {
  it('moves a job to any status, terminal ones included', async () => {
    const api = client();
    const job = await jobWithStatus(api, 'SUCCEEDED');
    expect(jobOf(await api.patch(job.job_id, { status: 'WORKING' })).status).toBe('WORKING');
  });
});

describe('update_parent', () => {
  async function family(
    api: ApiClient,
    childCount: number,
    parentFields: Record<string, unknown> = {},
  ) {
    const parentId = `parent-${api.user}`;
    const childIds = Array.from({ length: childCount }, (_, i) => `child-${i}-${api.user}`);
    await api.create({
      job_id: parentId,
      child_ids: childIds,
      update_parent: true,
      status: 'WORKING',
      ...parentFields,
    });
    for (const childId of childIds)
      await api.create({ job_id: childId, parent_id: parentId, status: 'WORKING' });
    return { parentId, childIds };
  }
  const statusOf = async (api: ApiClient, jobId: string) => jobOf(await api.get(jobId)).status;

  it('marks the parent SUCCEEDED when the last child succeeds', async () => {
    const api = client();
    const { parentId, childIds } = await family(api, 2);
    await api.patch(childIds[0]!, { status: 'SUCCEEDED' });
    expect(await statusOf(api, parentId)).toBe('WORKING');
    await api.patch(childIds[1]!, { status: 'SUCCEEDED' });
    expect(await statusOf(api, parentId)).toBe('SUCCEEDED');
  });

  it('marks the parent FAILED when every child has ended and one did not succeed', async () => {
    const api = client();
    const { parentId, childIds } = await family(api, 2);
    await api.patch(childIds[0]!, { status: 'UNRECOVERABLE' });
    await api.patch(childIds[1]!, { status: 'SUCCEEDED' });
    expect(await statusOf(api, parentId)).toBe('FAILED');
  });

  it('counts an aborted child as not succeeded', async () => {
    const api = client();
    const { parentId, childIds } = await family(api, 1);
    await api.action(childIds[0]!, 'abort');
    expect(await statusOf(api, parentId)).toBe('FAILED');
  });

  it('waits for listed children that do not exist yet', async () => {
    const api = client();
    const parentId = `parent-${api.user}`;
    await api.create({
      job_id: parentId,
      child_ids: ['c1', `c2-${api.user}`],
      update_parent: true,
    });
    await api.create({ job_id: `c2-${api.user}`, parent_id: parentId, status: 'SUCCEEDED' });
    expect(await statusOf(api, parentId)).toBe('WAITING');
  });

  it('leaves a parent alone that did not ask for it', async () => {
    const api = client();
    const { parentId, childIds } = await family(api, 1, { update_parent: false });
    await api.patch(childIds[0]!, { status: 'SUCCEEDED' });
    expect(await statusOf(api, parentId)).toBe('WORKING');
  });

  it('leaves a parent alone that has ended already', async () => {
    const api = client();
    const { parentId, childIds } = await family(api, 1, { status: 'WORKING' });
    await api.action(parentId, 'abort');
    await api.patch(childIds[0]!, { status: 'SUCCEEDED' });
    expect(await statusOf(api, parentId)).toBe('ABORTED');
  });

  it('advances a parent whose status it does not know, as that has not ended', async () => {
    const api = client();
    const { parentId, childIds } = await family(api, 1, { status: 'PAUSED' });
    await api.patch(childIds[0]!, { status: 'SUCCEEDED' });
    expect(await statusOf(api, parentId)).toBe('SUCCEEDED');
  });

  it('passes the change up to the grandparent', async () => {
    const api = client();
    const top = `top-${api.user}`;
    const middle = `middle-${api.user}`;
    const leaf = `leaf-${api.user}`;
    await api.create({ job_id: top, child_ids: [middle], update_parent: true });
    await api.create({ job_id: middle, parent_id: top, child_ids: [leaf], update_parent: true });
    await api.create({ job_id: leaf, parent_id: middle });
    await api.patch(leaf, { status: 'SUCCEEDED' });
    expect(await statusOf(api, middle)).toBe('SUCCEEDED');
    expect(await statusOf(api, top)).toBe('SUCCEEDED');
  });

  it('advances the parent when a child is created already finished', async () => {
    const api = client();
    const parentId = `parent-${api.user}`;
    await api.create({ job_id: parentId, child_ids: [`only-${api.user}`], update_parent: true });
    await api.create({ job_id: `only-${api.user}`, parent_id: parentId, status: 'FAILED' });
    expect(await statusOf(api, parentId)).toBe('FAILED');
  });
});
