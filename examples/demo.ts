/**
 * job-status-client from end to end: `npm run demo`.
 *
 * Starts the reference server on an embedded, in-memory database and plays one upload through
 * the SDK: a parent job with one child per file, a worker reporting progress that a live
 * subscription draws, stages recorded by patching service fields, logs, a failure that is
 * retried, an abort, waiting for the parent to finish, and the ways to list and poll jobs. Then
 * the work queue: a producer creates jobs for a service and a pool of workers (processJobs)
 * claims and processes them, in priority order, after a delay, after a dependency, and again
 * after a failure. Read it top to bottom: every step is one SDK call or two.
 */
import { hostname } from 'node:os';
import {
  ConflictError,
  JobStatusClient,
  type ClaimedJob,
  type Job,
  type JobContext,
  type JobFilter,
  type JobSubscription,
  type NewJob,
} from 'job-status-client';
import { startEmbeddedServer, type EmbeddedServer } from './demo/embedded-server';
import { connected, nextUpdate, sleep } from './demo/live';
import {
  bold,
  dim,
  heading,
  json,
  LiveLine,
  red,
  say,
  shortId,
  status,
  table,
} from './demo/terminal';

const USER = 'demo';
// The service whose jobs the demo's worker pool processes.
const RENDERER = 'renderer';
const FILES = [
  { name: 'plate-01.czi', sizeBytes: 48_000_000 },
  { name: 'plate-02.czi', sizeBytes: 36_000_000 },
  { name: 'notes.txt', sizeBytes: 2_048 },
];
// A hung step must fail the run rather than hang a CI job.
const WATCHDOG_MS = 60_000;
// In a terminal the server stays up at the end, so the dashboard shows the demo's jobs; `--exit`
// ends the run there, `--serve` keeps it up without a terminal.
const STAY_OPEN =
  process.argv.includes('--serve') ||
  (process.stdin.isTTY && process.stdout.isTTY && !process.argv.includes('--exit'));

const dashboardUrl = (server: EmbeddedServer) => `${new URL(server.url).origin}/`;

async function main(): Promise<void> {
  heading('Starting the reference server (embedded PGlite, in memory)');
  const server: EmbeddedServer = await startEmbeddedServer(USER, RENDERER);
  let live: JobSubscription | undefined;
  try {
    say(`listening on ${bold(server.url)}, the dashboard at ${bold(dashboardUrl(server))}`);

    // One client per user: its token (Authorization: Bearer) says who it is and what it may do;
    // a creator sees and changes only its own jobs and their children.
    const jss = new JobStatusClient({ baseURL: server.url, user: USER, token: server.token });

    // A poller's bookmark: every change after this stamp will be reported once, in order.
    const { stamp: startStamp } = await jss.getJobsChangedSince(0);

    // Everything that happens to this user's jobs, live (Server-Sent Events).
    live = jss.subscribe(USER);
    await connected(live);
    say('subscribed to the live updates of every job of user "demo"');

    await runUpload(jss, live, startStamp);
    await runWorkerPool(jss, live, server);
    if (STAY_OPEN) {
      clearTimeout(watchdog);
      heading('The dashboard');
      say(`open ${bold(dashboardUrl(server))} to look at the demo's jobs; Ctrl-C stops the server`);
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    }
  } finally {
    live?.close();
    await server.close();
  }
  heading('Done');
  say(`server stopped, subscription closed: ${bold('the demo ran to the end')}`);
}

async function runUpload(jss: JobStatusClient, live: JobSubscription, startStamp: number) {
  heading('An upload job with one child job per file');
  const upload = await jss.createJob({
    user: USER,
    jobName: `upload ${FILES.length} files`,
    service: 'uploader',
    status: 'WORKING',
    originationHost: hostname(),
    serviceFields: { type: 'upload', files: FILES.map((file) => file.name) },
  });
  const [first, second, third] = await Promise.all(
    FILES.map((file) =>
      jss.createJob({
        user: USER,
        jobName: `copy ${file.name}`,
        service: 'uploader',
        parentId: upload.jobId,
        // When this child's status changes, the server checks the parent: once all its children
        // share one status (all SUCCEEDED, say), the parent takes it.
        updateParent: true,
        serviceFields: { type: 'upload-file', file },
      }),
    ),
  );
  if (!first || !second || !third) throw new Error('expected one child job per file');
  await jss.updateJob(upload.jobId, { childIds: [first.jobId, second.jobId, third.jobId] });
  say(`parent ${shortId(upload.jobId)} "${upload.jobName}" is ${status(upload.status)}`);
  for (const child of [first, second, third]) {
    say(`  child ${shortId(child.jobId)} "${child.jobName}" is ${status(child.status)}`);
  }

  await copyWithProgress(jss, live, first);
  await failThenRetry(jss, second);
  await abortAJob(jss, upload, first);
  await finishLastChild(jss, upload, third);
  await listAndPoll(jss, startStamp);
  await printJobs(jss);
}

/** A worker copies the first file: stages in service fields, progress drawn from live events. */
async function copyWithProgress(jss: JobStatusClient, live: JobSubscription, job: Job) {
  heading(`Copying ${FILES[0]?.name}: stages, live progress and logs`);
  await jss.updateJob(job.jobId, {
    status: 'WORKING',
    currentStage: 'copying',
    currentHost: hostname(),
    serviceFields: { stages: { copy: 'running' } },
  });

  // The bar is drawn by the subscription, not by the worker: any process could watch this job.
  const bar = new LiveLine(`copy ${FILES[0]?.name}`);
  bar.draw(0);
  const stopDrawing = live.on('jobUpdate', (event) => {
    if (event.job.jobId === job.jobId && event.job.progress) bar.draw(event.job.progress.percent);
  });
  const lastFrame = nextUpdate(
    live,
    (update) => update.jobId === job.jobId && update.progress?.percent === 100,
  );
  const totalMegabytes = 48;
  for (let done = 6; done <= totalMegabytes; done += 6) {
    await jss.reportProgress(job.jobId, done, totalMegabytes);
    await sleep(60);
  }
  await lastFrame;
  stopDrawing();
  bar.finish();

  // Patch mode (the default) sends only the given leaves: what is stored beside them stays.
  const patch = {
    stages: { copy: 'done', verify: 'running' },
    file: { checksum: 'sha256:1f3a…' },
  };
  const verifying = await jss.updateJob(job.jobId, {
    currentStage: 'verifying',
    serviceFields: patch,
  });
  say(`patched serviceFields ${json(patch)}`);
  say(`stored serviceFields  ${json(verifying.serviceFields)}`);
  say(dim('  (file.name and file.sizeBytes were kept: a deep merge, not a replacement)'));

  await jss.log(job.jobId, `copied ${totalMegabytes} MB`, {
    level: 'success',
    data: { megabytes: totalMegabytes },
  });
  await jss.log(job.jobId, 'checksum verified');
  const done = await jss.updateJob(job.jobId, {
    status: 'SUCCEEDED',
    currentStage: 'done',
    serviceFields: { stages: { verify: 'done' } },
  });
  for (const entry of done.logs ?? []) {
    say(`log ${dim(entry.time.toISOString())} ${entry.level.padEnd(7)} ${entry.message}`);
  }
  say(`"${done.jobName}" is ${status(done.status)}`);
}

/** The second copy fails; a query finds it, retryJob puts it back to work, and it succeeds. */
async function failThenRetry(jss: JobStatusClient, job: Job) {
  heading(`Copying ${FILES[1]?.name}: a failure, found by a query, then retried`);
  await jss.updateJob(job.jobId, {
    status: 'FAILED',
    currentStage: 'copying',
    serviceFields: { error: { message: 'No space left on device', retryable: true } },
  });
  await jss.log(job.jobId, 'No space left on device', { level: 'danger' });
  say(
    `"${job.jobName}" is ${status('FAILED')} ${dim('(the parent waits: its children do not share one status)')}`,
  );

  // Legacy Mongo-style operators work in filters; `oneOf([...])` builds the same `$in` safely.
  const filter: JobFilter = { user: USER, status: { $in: ['FAILED', 'UNRECOVERABLE'] } };
  const failed = await jss.getJobs(filter);
  say(`getJobs(${json(filter)}) → ${failed.map((found) => `"${found.jobName}"`).join(', ')}`);

  const retried = await jss.retryJob(job.jobId);
  say(`retryJob → ${status(retried.status)}`);
  await jss.updateJob(job.jobId, { status: 'WORKING', serviceFields: { error: null } });
  await jss.reportProgress(job.jobId, 36, 36);
  const done = await jss.updateJob(job.jobId, { status: 'SUCCEEDED', currentStage: 'done' });
  say(`"${done.jobName}" is ${status(done.status)} on the second try`);
}

/** A job that is no longer wanted is aborted; a job that has ended cannot be. */
async function abortAJob(jss: JobStatusClient, upload: Job, finished: Job) {
  heading('Aborting a job');
  const thumbnails = await jss.createJob({
    user: USER,
    jobName: 'render thumbnails',
    service: 'thumbnailer',
    serviceFields: { source: upload.jobId },
  });
  const aborted = await jss.abortJob(thumbnails.jobId);
  say(`"${aborted.jobName}" was ${status(thumbnails.status)}, is now ${status(aborted.status)}`);
  try {
    await jss.abortJob(finished.jobId);
    throw new Error('aborting a job that has ended should have been refused');
  } catch (error) {
    if (!ConflictError.is(error)) throw error;
    say(
      `abortJob on "${finished.jobName}" → ${error.name} ${error.status} ${error.code}: ${error.message}`,
    );
  }
}

/** The last child ends, and the server finishes the parent (update_parent). */
async function finishLastChild(jss: JobStatusClient, upload: Job, job: Job) {
  heading('Waiting for the upload to finish');
  // Subscribes and reads at once, so a change between the two cannot be missed.
  const parentDone = jss.waitForJob(upload.jobId, {
    timeout: 10_000,
    onUpdate: (update) => say(`parent seen as ${status(update.status)}`),
  });
  await jss.updateJob(job.jobId, { status: 'WORKING', currentStage: 'copying' });
  await jss.reportProgress(job.jobId, 1, 1);
  await jss.updateJob(job.jobId, { status: 'SUCCEEDED', currentStage: 'done' });
  say(`"${job.jobName}" is ${status('SUCCEEDED')}: every child has succeeded`);
  const parent = await parentDone;
  say(`waitForJob resolved: "${parent.jobName}" is ${status(parent.status)}`);
}

/** Paging through jobs, a queue preset, and polling for changes instead of subscribing. */
async function listAndPoll(jss: JobStatusClient, startStamp: number) {
  heading('Listing and polling');
  let page = await jss.listJobs({ user: USER }, { limit: 2 });
  let number = 1;
  say(`listJobs in pages of 2 (${page.totalCount} jobs in all):`);
  for (;;) {
    say(`  page ${number}: ${page.jobs.map((job) => `"${job.jobName}"`).join(', ')}`);
    if (page.nextCursor === undefined) break;
    // The cursor continues after the last job seen, even if jobs are added meanwhile.
    page = await jss.listJobs({ user: USER }, { limit: 2, cursor: page.nextCursor });
    number += 1;
  }

  const recent = await jss.listQueue('finished', {
    filter: { user: USER },
    sort: '-modified',
    limit: 3,
  });
  say(`listQueue('finished', newest first, 3 of ${recent.totalCount}):`);
  for (const job of recent.jobs) say(`  ${status(job.status)} "${job.jobName}"`);

  const changes = await jss.getJobsChangedSince(startStamp, { finished: true });
  say(
    `getJobsChangedSince(${startStamp}, { finished: true }) → ${changes.jobs.length} jobs, next stamp ${changes.stamp}:`,
  );
  for (const job of changes.jobs) say(`  ${status(job.status)} "${job.jobName}"`);
  const again = await jss.getJobsChangedSince(changes.stamp, { finished: true });
  say(`polling again from stamp ${changes.stamp} → ${again.jobs.length} jobs (nothing repeated)`);
}

async function printJobs(jss: JobStatusClient) {
  heading('Every job of user "demo"');
  const jobs = await jss.getJobs({ user: USER });
  const rows = jobs.map((job) => [
    shortId(job.jobId),
    job.parentId ? `└ ${job.jobName ?? ''}` : (job.jobName ?? ''),
    status(job.status),
    job.currentStage ?? '—',
    job.progress ? `${job.progress.percent}%` : '—',
  ]);
  console.log(table(['id', 'name', 'status', 'stage', 'progress'], rows));
}

/**
 * The work queue: the demo's user produces jobs for the `renderer` service; a pool of workers,
 * with a worker token granted that service, claims and processes them two at a time.
 */
async function runWorkerPool(jss: JobStatusClient, live: JobSubscription, server: EmbeddedServer) {
  heading('A worker pool: a producer creates jobs, processJobs works on them');
  const startedAt = Date.now();
  const at = () => dim(`[+${((Date.now() - startedAt) / 1000).toFixed(1)}s]`);
  const render = (name: string, extra: Partial<NewJob> = {}) =>
    jss.createJob({
      user: USER,
      jobName: name,
      service: RENDERER,
      serviceFields: { frames: 4 },
      ...extra,
    });

  // Made in this order, claimed in another: priority first, then age; `delayMs` and `dependsOn`
  // hold a job back until its time has come and its dependencies have SUCCEEDED.
  const plates = [await render('render plate-01'), await render('render plate-02')];
  const index = await render('build the index', { dependsOn: plates.map((plate) => plate.jobId) });
  const later = await render('render the nightly overview', { delayMs: 1_500 });
  const flaky = await render('render from the remote store', {
    retry: { retries: 2, waitMs: 300, backoff: 'exponential' },
  });
  // `high` is stored as 10: priorities are integers, higher first.
  const urgent = await render('render the preview', { priority: 'high' });
  const jobs = [...plates, index, later, flaky, urgent];
  say(`created ${jobs.length} jobs for service "${RENDERER}":`);
  for (const job of jobs) {
    const notes = [
      job.priority ? `priority ${job.priority}` : '',
      job.runAt ? `not before +${((job.runAt.getTime() - startedAt) / 1000).toFixed(1)}s` : '',
      job.dependsOn?.length ? `after ${job.dependsOn.map(shortId).join(' and ')}` : '',
      job.retry ? `up to ${job.retry.retries} retries, ${job.retry.backoff}` : '',
    ].filter((note) => note !== '');
    say(`  ${shortId(job.jobId)} "${job.jobName}" ${status(job.status)} ${dim(notes.join(', '))}`);
  }

  // The handler: resolve to complete the job, throw to fail it (retried by its policy).
  // `progress` and `log` reach the same job the producer and the dashboard see.
  const renderFrames = async (job: ClaimedJob, { progress, log, signal }: JobContext) => {
    say(`${at()} ▶ "${job.jobName}" claimed (attempt ${job.attempts})`);
    const frames = Number(job.serviceFields?.frames ?? 1);
    for (let frame = 1; frame <= frames; frame++) {
      signal.throwIfAborted();
      await sleep(60);
      if (job.jobId === flaky.jobId && job.attempts === 1 && frame === 2) {
        throw new Error('the remote store timed out');
      }
      await progress(frame, frames);
    }
    await log(`rendered ${frames} frames`);
    return { frames, file: `${job.jobName?.replace(/\W+/g, '-')}.png` };
  };

  // The progress the workers report reaches every follower of the job, here the demo's own
  // subscription (halfway marks only, to keep the output short).
  const stopFollowing = live.on('jobUpdate', ({ job }) => {
    if (job.service === RENDERER && job.progress?.percent === 50) {
      say(`${at()}   "${job.jobName}" ${job.progress.percent}% ${dim('(seen live)')}`);
    }
  });
  const workers = new JobStatusClient({ baseURL: server.url, token: server.workerToken });
  const pool = workers.processJobs(RENDERER, renderFrames, {
    concurrency: 2,
    leaseMs: 10_000,
    pollIntervalMs: 1_000,
  });
  pool.on('completed', ({ job, result }) =>
    say(`${at()} ✔ "${job.jobName}" ${status(job.status)} → result ${json(result)}`),
  );
  pool.on('failed', ({ job, error }) => {
    const next = job.runAt
      ? `, next try at +${((job.runAt.getTime() - startedAt) / 1000).toFixed(1)}s`
      : '';
    say(`${at()} ✘ "${job.jobName}" ${status(job.status)}: ${String(error)}${next}`);
  });

  // The producer waits for its jobs as it would for any other: they end like any other job.
  const ended = await Promise.all(
    jobs.map((job) => jss.waitForJob(job.jobId, { timeout: 15_000 })),
  );
  await pool.stop({ graceful: true, timeoutMs: 5_000 });
  stopFollowing();
  say(
    `every job ended: ${ended.map((job) => status(job.status)).join(' ')}; pool counts ${json(pool.counts)}`,
  );
  const retried = ended.find((job) => job.jobId === flaky.jobId);
  say(
    `"${retried?.jobName}" took ${retried?.attempts} attempts; its last error: ${json(retried?.lastError)}`,
  );
}

const watchdog = setTimeout(() => {
  console.error(red(`\ndemo failed: it did not finish within ${WATCHDOG_MS / 1000} s`));
  process.exit(1);
}, WATCHDOG_MS);
// The watchdog must not be what keeps the process alive.
watchdog.unref();

main().then(
  () => clearTimeout(watchdog),
  (error: unknown) => {
    clearTimeout(watchdog);
    console.error(
      red(
        `\ndemo failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      ),
    );
    if (error instanceof Error && error.stack) console.error(dim(error.stack));
    process.exitCode = 1;
  },
);
