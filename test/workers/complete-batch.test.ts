// The batched complete (`POST 1.0/job/complete`) against the testing kit: the endpoint itself, and
// the processor sending the completes of jobs that finish together in one request.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { JobStatusClient, type JobProcessor } from '../../src/index';
import { createJssHandlers, InMemoryJobStore } from '../../src/testing/index';

const BASE_URL = 'http://jss.test:8080/jss';
const store = new InMemoryJobStore();
const server = setupServer(...createJssHandlers({ baseURL: BASE_URL, store }));
const processors: JobProcessor[] = [];

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(async () => {
  await Promise.all(processors.splice(0).map((processor) => processor.stop({ graceful: false })));
  server.events.removeAllListeners();
  store.clear();
});
afterAll(() => server.close());

const client = () => new JobStatusClient({ baseURL: BASE_URL, user: 'demo' });

interface BatchAnswer {
  code?: string;
  error?: string;
  results: unknown[];
  data: Record<string, unknown>[];
}

async function completeMany(body: unknown): Promise<{ status: number; body: BatchAnswer }> {
  const response = await fetch(`${BASE_URL}/1.0/job/complete`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-User-Id': 'demo' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as BatchAnswer };
}

/** Three WAITING jobs of service `svc`, two claimed by worker `w1` and one by `w2`. */
async function claimedJobs() {
  const jss = client();
  const created = await jss.createJobs(
    [0, 1, 2].map((index) => ({ user: 'demo', service: 'svc', jobName: `job ${index}` })),
  );
  const [first, second] = await jss.claimJobs({ service: 'svc', limit: 2, workerId: 'w1' });
  const [third] = await jss.claimJobs({ service: 'svc', limit: 1, workerId: 'w2' });
  expect(created).toHaveLength(3);
  return { first: first!.jobId, second: second!.jobId, other: third!.jobId };
}

it('completes each job the worker holds and says why it refused the others', async () => {
  const { first, second, other } = await claimedJobs();
  const answer = await completeMany({
    worker_id: 'w1',
    jobs: [
      { job_id: first, result: { n: 1 } },
      { job_id: other },
      { job_id: 'nope' },
      { job_id: second },
    ],
  });
  expect(answer.status).toBe(200);
  expect(answer.body.results).toEqual([
    { job_id: first, completed: true },
    {
      job_id: other,
      completed: false,
      code: 'not_claimed',
      error: `Job ${other} is not held by worker w1: it is claimed by another worker`,
    },
    { job_id: 'nope', completed: false, code: 'not_found', error: expect.any(String) },
    { job_id: second, completed: true },
  ]);
  expect(answer.body.data.map((job) => [job.job_id, job.status, job.service_fields])).toEqual([
    [first, 'SUCCEEDED', { result: { n: 1 } }],
    [second, 'SUCCEEDED', {}],
  ]);
  expect((await client().getJob(other)).status).toBe('WORKING');
});

it('refuses a batched complete that names a job twice, completing none', async () => {
  const { first } = await claimedJobs();
  const answer = await completeMany({
    worker_id: 'w1',
    jobs: [{ job_id: first }, { job_id: first }],
  });
  expect([answer.status, answer.body.code, answer.body.error]).toEqual([
    400,
    'invalid_body',
    expect.stringContaining('"jobs[1].job_id" repeats'),
  ]);
  expect((await client().getJob(first)).status).toBe('WORKING');
});

it('sends the completes of jobs that finish together in one request', async () => {
  const jss = client();
  await jss.createJobs(
    Array.from({ length: 6 }, (_, index) => ({
      user: 'demo',
      service: 'svc',
      jobName: `${index}`,
    })),
  );
  const completeBodies: unknown[] = [];
  server.events.on('request:start', async ({ request }) => {
    if (new URL(request.url).pathname === '/jss/1.0/job/complete') {
      completeBodies.push(await request.clone().json());
    }
  });
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let started = 0;
  const processor = jss.processJobs(
    'svc',
    async (job) => {
      started++;
      await gate;
      return { name: job.jobName };
    },
    { concurrency: 6, pollIntervalMs: 200 },
  );
  processors.push(processor);
  while (started < 6) await new Promise((resolve) => setTimeout(resolve, 5));
  release();
  while (processor.counts.completed < 6) await new Promise((resolve) => setTimeout(resolve, 5));
  const jobs = await jss.getJobs({ service: 'svc' });
  expect(jobs.map((job) => job.status)).toEqual(Array(6).fill('SUCCEEDED'));
  // The first complete goes out alone; the five that finished meanwhile wait for it, then go together.
  expect(completeBodies).toHaveLength(1);
  expect((completeBodies[0] as { jobs: unknown[] }).jobs).toHaveLength(5);
});
