import { randomUUID } from 'node:crypto';
import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../server/src/index';
import type * as SdkModule from '../../src/index';
import { distFiles, ensureBuilt } from './support/build';

type Sdk = typeof SdkModule;
type JssServer = Awaited<ReturnType<typeof startServer>>;

const umdDir = dirname(distFiles.global);
const nodeRequire = createRequire(import.meta.url);

/** The chunk files of dist/umd/ that `require.cache` holds. */
const chunksInCache = () =>
  Object.keys(nodeRequire.cache)
    .filter((path) => dirname(path) === umdDir && path !== distFiles.global)
    .map((path) => basename(path))
    .sort();

describe('the UMD build through require() in Node', () => {
  let jss: JssServer;
  let sdk: Sdk;
  let upFront: string[];
  let chunkFiles: string[];

  beforeAll(async () => {
    await ensureBuilt();
    chunkFiles = (await readdir(umdDir)).filter((file) => /^job-status-client\..+\.js$/.test(file));
    jss = await startServer({ port: 0, logger: false, dataDir: 'memory://' });
    sdk = nodeRequire(distFiles.global) as Sdk;
    upFront = chunksInCache();
  });

  afterAll(async () => {
    await jss?.close();
  });

  const clientFor = async (user: string, role: 'admin' | 'worker', services?: string[]) => {
    const { token } = await jss.createToken({ user, role, services });
    return new sdk.JobStatusClient({ baseURL: jss.url, user, token });
  };

  it('ships a chunk for the writes and token calls, one for following jobs, one for the paged reads and one for the work queue', () => {
    expect(chunkFiles).toEqual([
      expect.stringMatching(/^job-status-client\.calls-\w+\.js$/),
      expect.stringMatching(/^job-status-client\.follow-\w+\.js$/),
      expect.stringMatching(/^job-status-client\.pages-\w+\.js$/),
      expect.stringMatching(/^job-status-client\.workers-\w+\.js$/),
    ]);
  });

  it('requires no chunk when the core file loads', () => {
    expect(upFront).toEqual([]);
  });

  it('waits for a job through the follow chunk, which it requires on first use', async () => {
    const user = `umd-${randomUUID()}`;
    const client = await clientFor(user, 'admin');
    const job = await client.createJob({ user, status: 'WORKING' });
    const writesOnly = chunksInCache();
    const waiting = client.waitForJob(job.jobId, { timeout: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await client.updateJob(job.jobId, { status: 'SUCCEEDED' });
    expect((await waiting).status).toBe('SUCCEEDED');
    expect(writesOnly).toEqual([expect.stringMatching(/\.calls-\w+\.js$/)]);
    expect(chunksInCache()).toEqual([
      expect.stringMatching(/\.calls-\w+\.js$/),
      expect.stringMatching(/\.follow-\w+\.js$/),
    ]);
  });

  it('claims a job through the work-queue chunk', async () => {
    const user = `umd-${randomUUID()}`;
    const service = `umd-svc-${randomUUID()}`;
    const producer = await clientFor(user, 'admin');
    const job = await producer.createJob({ user, service });
    const worker = await clientFor(`worker-${randomUUID()}`, 'worker', [service]);
    const claimed = await worker.claimJobs({ service });
    expect(claimed.map((each) => each.jobId)).toEqual([job.jobId]);
    expect(chunksInCache()).toContainEqual(expect.stringMatching(/\.workers-\w+\.js$/));
  });

  it("throws the core's error classes from a chunk's code", async () => {
    const client = await clientFor(`umd-${randomUUID()}`, 'admin');
    const refused = await client.claimJobs({ service: '' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(sdk.RequestValidationError);
    expect(refused).toBeInstanceOf(sdk.JobStatusError);
  });

  describe('without its chunk files', () => {
    let dir: string;
    let bare: Sdk;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'jsc-umd-'));
      await copyFile(distFiles.global, join(dir, 'job-status-client.js'));
      await writeFile(join(dir, 'package.json'), '{ "type": "commonjs" }\n');
      bare = nodeRequire(join(dir, 'job-status-client.js')) as Sdk;
    });

    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('rejects waitForJob with a ConnectionError naming the missing chunk file', async () => {
      const client = new bare.JobStatusClient({ baseURL: jss.url, user: 'nobody' });
      const failed = await client.waitForJob('any', { timeout: 5_000 }).catch((error) => error);
      expect(failed).toBeInstanceOf(bare.ConnectionError);
      expect(failed.message).toMatch(
        new RegExp(
          `^Could not load ${dir}/job-status-client\\.follow-\\w+\\.js, a part of the SDK: Cannot find module`,
        ),
      );
    });
  });
});
