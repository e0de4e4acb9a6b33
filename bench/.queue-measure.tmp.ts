import { startServer } from '../server/src/index';
import { JobStatusClient } from '../src/index';

const JOBS = Number(process.env.JOBS ?? 2000);
const server = await startServer({
  port: 0,
  logger: false,
  auth: 'none',
  databaseUrl: process.env.DATABASE_URL,
  databaseSchema: `measure_${Date.now()}`,
});
const base = `${server.url}`;
const client = new JobStatusClient({ baseURL: base, user: 'bench' });
const service = 'noop';
for (let i = 0; i < JOBS; i += 1000) {
  await client.createJobs(
    Array.from({ length: Math.min(1000, JOBS - i) }, () => ({ user: 'bench', service })),
  );
}
const start = performance.now();
let done = 0;
const seen = new Set<string>();
let twice = 0;
await new Promise<void>((resolve) => {
  const processor = client.processJobs(
    service,
    (job) => {
      if (seen.has(job.jobId)) twice += 1;
      seen.add(job.jobId);
      done += 1;
      if (done === JOBS) resolve();
    },
    { concurrency: 16, prefetch: 16 },
  );
  void processor;
});
const seconds = (performance.now() - start) / 1000;
console.log(JSON.stringify({ jobs: JOBS, seconds: +seconds.toFixed(2), perSecond: Math.round(JOBS / seconds), twice }));
process.exit(0);
