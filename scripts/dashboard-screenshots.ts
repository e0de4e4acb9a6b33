/**
 * Takes the dashboard's screenshots in docs/ (`npx tsx scripts/dashboard-screenshots.ts`): a
 * server on in-memory PGlite, a few jobs made through the SDK, the list and a job page at
 * desktop and phone width in the system Chromium.
 */
import { JobStatusClient } from 'job-status-client';
import { startServer } from '../server/src/index';
import { launchChromium } from '../test/browser/support/chromium';

const server = await startServer({ port: 0, logger: false, dataDir: 'memory://' });
const browser = await launchChromium();
// A server with tokens mints them (`createToken`); one without takes any request.
const minting = server as { createToken?: (grant: object) => Promise<{ token: string }> };
const tokenFor = async (user: string, role: string) =>
  (await minting.createToken?.({ user, role, services: [] }))?.token;
try {
  const jss = new JobStatusClient({
    baseURL: server.url,
    user: 'alice',
    token: await tokenFor('alice', 'creator'),
  });
  const upload = await jss.createJob({
    user: 'alice',
    jobName: 'upload plate 42',
    service: 'uploader',
    status: 'WORKING',
    currentStage: 'copying',
    originationHost: 'scope-7',
    updateParent: true,
    serviceFields: {
      type: 'upload',
      files: ['plate-42-a.czi', 'plate-42-b.czi'],
      target: { bucket: 'images', prefix: '2026/12/plate-42' },
    },
  });
  const children = [];
  for (const [index, name] of ['plate-42-a.czi', 'plate-42-b.czi'].entries()) {
    children.push(
      await jss.createJob({
        user: 'alice',
        jobName: `copy ${name}`,
        service: 'copier',
        status: index === 0 ? 'SUCCEEDED' : 'WORKING',
        parentId: upload.jobId,
        serviceFields: { file: name },
      }),
    );
  }
  await jss.updateJob(upload.jobId, { childIds: children.map((child) => child.jobId) });
  await jss.reportProgress(upload.jobId, 37, 64);
  await jss.log(upload.jobId, 'started copying 2 files', { level: 'info' });
  await jss.log(upload.jobId, 'plate-42-a.czi copied', {
    level: 'success',
    data: { bytes: 48_000_000 },
  });
  await jss.log(upload.jobId, 'slow disk on scope-7', { level: 'warning' });
  const bob = new JobStatusClient({
    baseURL: server.url,
    user: 'bob',
    token: await tokenFor('bob', 'creator'),
  });
  await bob.createJob({
    user: 'bob',
    jobName: 'segment cells',
    service: 'segmenter',
    status: 'FAILED',
  });
  await bob.createJob({
    user: 'bob',
    jobName: 'export CSV',
    service: 'exporter',
    status: 'WAITING',
  });
  await bob.createJob({ user: 'bob', jobName: 'thumbnails', service: 'imager', status: 'ABORTED' });

  const origin = new URL(server.url).origin;
  const adminToken = await tokenFor('operator', 'admin');
  for (const [suffix, viewport] of [
    ['', { width: 1280, height: 760 }],
    ['-phone', { width: 390, height: 844 }],
  ] as const) {
    const page = await browser.newPage({ viewport });
    if (adminToken)
      await page.addInitScript(
        (token) => sessionStorage.setItem('jss-dashboard-token', token),
        adminToken,
      );
    await page.goto(`${origin}/`);
    await page.getByRole('cell', { name: 'upload plate 42' }).waitFor();
    await page.screenshot({ path: `docs/dashboard-list${suffix}.png`, fullPage: suffix === '' });
    await page.getByRole('link', { name: 'upload plate 42' }).click();
    await page.getByRole('heading', { name: 'Logs' }).waitFor();
    await page.getByRole('link', { name: 'copy plate-42-b.czi' }).waitFor();
    await page.screenshot({ path: `docs/dashboard-job${suffix}.png`, fullPage: true });
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
