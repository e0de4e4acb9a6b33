import { JobStatusClient } from 'job-status-client';

const baseURL = process.env.JSS_URL ?? 'http://127.0.0.1:8080/jss';
const producer = new JobStatusClient({ baseURL, token: process.env.JSS_TOKEN });
// A worker token granted the `thumbnail` service: jss-server token create --role worker …
const worker = new JobStatusClient({ baseURL, token: process.env.JSS_WORKER_TOKEN });

await producer.createJob({ user: 'demo', service: 'thumbnail', serviceFields: { image: 'a.tif' } });
await producer.createJob({
  user: 'demo',
  service: 'thumbnail',
  priority: 'high',
  retry: { retries: 3, waitMs: 1000, backoff: 'exponential' },
  serviceFields: { image: 'b.tif' },
});

const pool = worker.processJobs('thumbnail', async (job, { progress, signal }) => {
  signal.throwIfAborted(); // aborted when the lease is lost or the pool stops hard
  await progress(50);
  return { thumbnail: `${String(job.serviceFields?.image)}.png` }; // kept as serviceFields.result
});
pool.on('completed', ({ job }) => console.log('done', job.jobId));
pool.on('idle', () => void pool.stop({ graceful: true }));
