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
  /** A WORKING parent listing `childCount` WORKING children that set `update_parent`. */
  async function family(
    api: ApiClient,
    childCount: number,
    childFields: Record<string, unknown> = { update_parent: true },
  ) {
    const parentId = `parent-${api.user}`;
    const childIds = Array.from({ length: childCount }, (_, i) => `child-${i}-${api.user}`);
    await api.create({ job_id: parentId, child_ids: childIds, status: 'WORKING' });
    for (const childId of childIds)
      await api.create({ job_id: childId, parent_id: parentId, status: 'WORKING', ...childFields });
    return { parentId, childIds };
  }
  const statusOf = async (api: ApiClient, jobId: string) => jobOf(await api.get(jobId)).status;

  it('gives the parent SUCCEEDED when the last child succeeds', async () => {
    const api = client();
    const { parentId, childIds } = await family(api, 2);
    await api.patch(childIds[0]!, { status: 'SUCCEEDED' });
    expect(await statusOf(api, parentId)).toBe('WORKING');
    await api.patch(childIds[1]!, { status: 'SUCCEEDED' });
    expect(await statusOf(api, parentId)).toBe('SUCCEEDED');
  });

  it('leaves the parent as it is while the children end differently', async () => {
    const api = client();
    const { parentId, childIds } = await family(api, 2);
    await api.patch(childIds[0]!, { status: 'UNRECOVERABLE' });
    await api.patch(childIds[1]!, { status: 'SUCCEEDED' });
    expect(await statusOf(api, parentId)).toBe('WORKING');
  });

  it('gives the parent a shared status that is not terminal', async () => {
    const api = client();
    const { parentId, childIds } = await family(api, 2);
    for (const childId of childIds) await api.patch(childId, { status: 'BLOCKED' });
    expect(await statusOf(api, parentId)).toBe('BLOCKED');
  });

  it('gives the parent ABORTED when its only child is aborted', async () => {
    const api = client();
    const { parentId, childIds } = await family(api, 1);
    await api.action(childIds[0]!, 'abort');
    expect(await statusOf(api, parentId)).toBe('ABORTED');
  });

  it('moves a parent that has ended back when its children are retried', async () => {
    const api = client();
    const { parentId, childIds } = await family(api, 1);
    await api.patch(childIds[0]!, { status: 'FAILED' });
    expect(await statusOf(api, parentId)).toBe('FAILED');
    await api.action(childIds[0]!, 'retry');
    expect(await statusOf(api, parentId)).toBe('RETRYING');
  });

  it('waits for listed children that do not exist yet', async () => {
    const api = client();
    const parentId = `parent-${api.user}`;
    await api.create({ job_id: parentId, child_ids: [`c1-${api.user}`, `c2-${api.user}`] });
    await api.create({ job_id: `c2-${api.user}`, parent_id: parentId, update_parent: true });
    await api.patch(`c2-${api.user}`, { status: 'SUCCEEDED' });
    expect(await statusOf(api, parentId)).toBe('WAITING');
  });

  it('counts a child that names the parent without being listed', async () => {
    const api = client();
    const { parentId, childIds } = await family(api, 1);
    await api.create({ job_id: `extra-${api.user}`, parent_id: parentId, status: 'WORKING' });
    await api.patch(childIds[0]!, { status: 'SUCCEEDED' });
    expect(await statusOf(api, parentId)).toBe('WORKING');
  });

  it('moves a parent without child_ids by the children that name it', async () => {
    const api = client();
    const parentId = `parent-${api.user}`;
    await api.create({ job_id: parentId, status: 'WORKING' });
    const child = `child-${api.user}`;
    await api.create({
      job_id: child,
      parent_id: parentId,
      status: 'WORKING',
      update_parent: true,
    });
    await api.patch(child, { status: 'SUCCEEDED' });
    expect(await statusOf(api, parentId)).toBe('SUCCEEDED');
  });

  it('leaves the parent alone when the child did not ask for it, whatever the parent says', async () => {
    const api = client();
    const parentId = `parent-${api.user}`;
    const child = `child-${api.user}`;
    await api.create({ job_id: parentId, child_ids: [child], update_parent: true });
    await api.create({ job_id: child, parent_id: parentId });
    await api.patch(child, { status: 'SUCCEEDED' });
    expect(await statusOf(api, parentId)).toBe('WAITING');
  });

  it('passes the change up to the grandparent when the parent asked for it too', async () => {
    const api = client();
    const top = `top-${api.user}`;
    const middle = `middle-${api.user}`;
    const leaf = `leaf-${api.user}`;
    await api.create({ job_id: top, child_ids: [middle] });
    await api.create({ job_id: middle, parent_id: top, child_ids: [leaf], update_parent: true });
    await api.create({ job_id: leaf, parent_id: middle, update_parent: true });
    await api.patch(leaf, { status: 'SUCCEEDED' });
    expect(await statusOf(api, middle)).toBe('SUCCEEDED');
    expect(await statusOf(api, top)).toBe('SUCCEEDED');
  });

  it('leaves the parent alone when a child is created, which is no change of status', async () => {
    const api = client();
    const parentId = `parent-${api.user}`;
    const child = `only-${api.user}`;
    await api.create({ job_id: parentId, child_ids: [child] });
    await api.create({ job_id: child, parent_id: parentId, status: 'FAILED', update_parent: true });
    expect(await statusOf(api, parentId)).toBe('WAITING');
  });
});
