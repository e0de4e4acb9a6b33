import { JobStatusClient } from 'job-status-client';

const jss = new JobStatusClient({
  baseURL: process.env.JSS_URL ?? 'http://127.0.0.1:8080/jss',
  user: 'demo',
  token: process.env.JSS_TOKEN, // the reference server asks for one by default
});

const job = await jss.createJob({ user: 'demo', jobName: 'upload 3 files', service: 'uploader' });
await jss.reportProgress(job.jobId, 1, 3);
await jss.updateJob(job.jobId, { status: 'SUCCEEDED' });
const done = await jss.waitForJob(job.jobId); // live updates, polling as a fallback
console.log(done.status, done.progress?.percent);
