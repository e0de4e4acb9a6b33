/**
 * Testing code that uses job-status-client, without a Job Status Service: the kit's msw handlers
 * answer like the real service, backed by an in-memory store the test can seed and inspect.
 * Copy this file next to your own tests and replace `uploadFiles` with your code.
 */
import { JobStatusClient } from 'job-status-client';
import { createJssHandlers, InMemoryJobStore } from 'job-status-client/testing';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';

// The code under test. In your project it lives in your own module and takes the client.
async function uploadFiles(jss: JobStatusClient, files: string[]): Promise<string> {
  const job = await jss.createJob({
    user: 'uploader',
    jobName: 'upload',
    status: 'WORKING',
    serviceFields: { files },
  });
  for (const [index, file] of files.entries()) {
    // ... copy the file somewhere ...
    await jss.reportProgress(job.jobId, index + 1, files.length);
    await jss.log(job.jobId, `copied ${file}`);
  }
  await jss.updateJob(job.jobId, { status: 'SUCCEEDED', currentStage: 'done' });
  return job.jobId;
}

const BASE_URL = 'http://jss.test/jss';
const store = new InMemoryJobStore();
const server = setupServer(...createJssHandlers({ baseURL: BASE_URL, store }));
const jss = new JobStatusClient({ baseURL: BASE_URL, user: 'uploader' });

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => store.clear());
afterAll(() => server.close());

it('my upload tool marks the job SUCCEEDED, fully progressed, when it finishes', async () => {
  const jobId = await uploadFiles(jss, ['a.tif', 'b.tif']);

  const job = store.get(jobId);
  expect(job?.status).toBe('SUCCEEDED');
  expect(job?.progress?.percent).toBe(100);
  expect(job?.logs?.map((entry) => entry.message)).toEqual(['copied a.tif', 'copied b.tif']);
});

it('a caller waiting on an upload sees it succeed when a worker finishes it', async () => {
  // Seed what another process would have created, then play that worker through the store.
  const { jobId } = store.insert({ user: 'uploader', jobName: 'upload', status: 'WORKING' });
  setTimeout(() => store.update(jobId, { status: 'SUCCEEDED' }), 20);

  const finished = await jss.waitForJob(jobId, { timeout: 5_000 });

  expect(finished.status).toBe('SUCCEEDED');
});
