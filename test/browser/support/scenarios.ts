// Functions that run inside the test page through `page.evaluate`. Playwright sends each one's
// source text to the browser, so they may use only their argument and the page's globals
// (`window.sdk`), never anything imported or declared in this module.

/** What every scenario receives from the test. */
export interface ScenarioInput {
  /** The reference server's base URL, on another origin than the page. */
  baseURL: string;
  /** A user of its own per test, so tests never see each other's jobs. */
  user: string;
  /** A bearer token the server accepts for that user's jobs. */
  token: string;
}

/** Creates a job and reads it back with getJob. */
export async function createAndRead({ baseURL, user, token }: ScenarioInput) {
  const sdk = window.sdk!;
  const client = new sdk.JobStatusClient({ baseURL, user, token });
  const created = await client.createJob({
    user,
    jobName: 'made in a browser',
    serviceFields: { pageOrigin: location.origin },
  });
  const fetched = await client.getJob(created.jobId);
  return {
    createdId: created.jobId,
    fetchedId: fetched.jobId,
    user: fetched.user,
    status: fetched.status,
    jobName: fetched.jobName,
    serviceFields: fetched.serviceFields,
    createdIsDate: fetched.created instanceof Date,
  };
}

/** Patches one nested service field and reads the job back. */
export async function patchServiceField({ baseURL, user, token }: ScenarioInput) {
  const client = new window.sdk!.JobStatusClient({ baseURL, user, token });
  const job = await client.createJob({
    user,
    serviceFields: { favorites: { color: 'red', number: 7 }, files: ['a.txt', 'b.txt'] },
  });
  await client.updateJob(job.jobId, { serviceFields: { favorites: { color: 'blue' } } });
  return (await client.getJob(job.jobId)).serviceFields;
}

/** Creates one job per status, then queries two of the statuses with `$in`. */
export async function queryWithIn({ baseURL, user, token }: ScenarioInput) {
  const client = new window.sdk!.JobStatusClient({ baseURL, user, token });
  const created: { jobId: string; status: string }[] = [];
  for (const status of ['WAITING', 'WORKING', 'FAILED'] as const) {
    const job = await client.createJob({ user, status });
    created.push({ jobId: job.jobId, status: job.status });
  }
  const found = await client.getJobs({ user, status: { $in: ['WORKING', 'FAILED'] } });
  return { created, foundIds: found.map((job) => job.jobId) };
}

/** Subscribes to the user's jobs, patches one, and collects events until its update arrives. */
export async function subscribeToUpdate({ baseURL, user, token }: ScenarioInput) {
  const client = new window.sdk!.JobStatusClient({ baseURL, user, token });
  const job = await client.createJob({ user, currentStage: 'queued' });
  const subscription = client.subscribe(user);
  const events = subscription[Symbol.asyncIterator]();
  const giveUp = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error('no jobUpdate within 15 s')), 15_000),
  );
  const seen: { type: string; jobIds: string[]; stage?: string | null }[] = [];
  try {
    for (;;) {
      const next = await Promise.race([events.next(), giveUp]);
      if (next.done) throw new Error('the subscription ended before the update arrived');
      const event = next.value;
      if (event.type === 'initialJobs') {
        seen.push({ type: event.type, jobIds: event.jobs.map((each) => each.jobId) });
        // Listening has started (initialJobs comes after it), so the change cannot be missed.
        await client.updateJob(job.jobId, { currentStage: 'copying' });
      } else if (event.type === 'jobUpdate' || event.type === 'jobInsert') {
        seen.push({ type: event.type, jobIds: [event.job.jobId], stage: event.job.currentStage });
        if (event.type === 'jobUpdate' && event.job.jobId === job.jobId) break;
      } else if (event.type === 'jobDelete') {
        seen.push({ type: event.type, jobIds: [event.jobId] });
      }
      // 'open' and 'reconnecting' describe the connection, not the jobs: not recorded.
    }
  } finally {
    subscription.close();
  }
  return { jobId: job.jobId, seen };
}

/** Waits on a working job, then finishes it; records which happened first. */
export async function waitForJobToFinish({ baseURL, user, token }: ScenarioInput) {
  const client = new window.sdk!.JobStatusClient({ baseURL, user, token });
  const job = await client.createJob({ user, status: 'WORKING' });
  const order: string[] = [];
  const waiting = client.waitForJob(job.jobId, { timeout: 20_000 }).then((finished) => {
    order.push('waitForJob resolved');
    return finished;
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  order.push('job finished');
  await client.updateJob(job.jobId, { status: 'SUCCEEDED' });
  const finished = await waiting;
  return { jobId: job.jobId, finishedId: finished.jobId, status: finished.status, order };
}

/** Reads a job that does not exist and reports what was thrown. */
export async function readMissingJob({
  baseURL,
  user,
  token,
  jobId,
}: ScenarioInput & { jobId: string }) {
  const sdk = window.sdk!;
  const client = new sdk.JobStatusClient({ baseURL, user, token });
  try {
    await client.getJob(jobId);
    return { threw: false as const };
  } catch (error) {
    return {
      threw: true as const,
      name: (error as Error).name,
      isNotFoundError: error instanceof sdk.NotFoundError,
    };
  }
}

/** Creates a job for a service and claims it with a worker's token for that service. */
export async function claimServiceJob({
  baseURL,
  user,
  token,
  service,
  workerToken,
}: ScenarioInput & { service: string; workerToken: string }) {
  const { JobStatusClient } = window.sdk!;
  const producer = new JobStatusClient({ baseURL, user, token });
  const job = await producer.createJob({ user, service });
  const worker = new JobStatusClient({ baseURL, user: `${user}-worker`, token: workerToken });
  const claimed = await worker.claimJobs({ service });
  return { jobId: job.jobId, claimedIds: claimed.map((each) => each.jobId) };
}

/** Calls waitForJob, which needs the follow code, and reports what it rejected with. */
export async function waitForJobRejection({ baseURL, user, token }: ScenarioInput) {
  const sdk = window.sdk!;
  const client = new sdk.JobStatusClient({ baseURL, user, token });
  try {
    await client.waitForJob('any-job', { timeout: 10_000 });
    return { rejected: false as const };
  } catch (error) {
    return {
      rejected: true as const,
      name: (error as Error).name,
      message: (error as Error).message,
      isConnectionError: error instanceof sdk.ConnectionError,
    };
  }
}
