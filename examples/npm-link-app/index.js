// Uses job-status-client as an app outside the repository would, to try a local build of the
// SDK through `npm link` before it is published. See README.md for the steps.
import { JobStatusClient } from 'job-status-client';

const baseURL = process.env.JSS_URL;
if (!baseURL) {
  console.error('Set JSS_URL to a JSS base URL, e.g. JSS_URL=http://127.0.0.1:8080/jss');
  process.exit(2);
}
const user = process.env.JSS_USER ?? 'npm-link-app';
// A token from `jss-server token create --user <user> --role creator`.
const token = process.env.JSS_TOKEN;

const client = new JobStatusClient({ baseURL, user, ...(token ? { token } : {}) });
const created = await client.createJob({
  user,
  jobName: 'hello from npm link',
  serviceFields: { linkedFrom: 'examples/npm-link-app' },
});
console.log(`created ${created.jobId}`);

const read = await client.getJob(created.jobId);
console.log(`read ${read.jobId} ${read.status} ${read.jobName}`);
