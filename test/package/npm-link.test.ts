import { cp, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../server/src/index';
import { ensureBuilt, repoRoot } from './support/build';
import { quietInstallFlags, runCommand } from './support/run';

type JssServer = Awaited<ReturnType<typeof startServer>>;

const sampleApp = join(repoRoot, 'examples/npm-link-app');

describe('the npm link workflow with examples/npm-link-app', () => {
  let workDir: string;
  let prefix: string;
  let app: string;
  let jss: JssServer | undefined;
  // A global prefix of the test's own, so the machine's global node_modules stays untouched.
  const npmEnv = () => ({ ...process.env, NPM_CONFIG_PREFIX: prefix });

  beforeAll(async () => {
    await ensureBuilt();
    workDir = await mkdtemp(join(tmpdir(), 'jsc-link-'));
    prefix = join(workDir, 'prefix');
    app = join(workDir, 'npm-link-app');
    await cp(sampleApp, app, {
      recursive: true,
      filter: (source) => !/[/\\](node_modules|package-lock\.json)$/.test(source),
    });
    await runCommand('npm', ['link', ...quietInstallFlags], { cwd: repoRoot, env: npmEnv() });
    await runCommand('npm', ['link', 'job-status-client', ...quietInstallFlags], {
      cwd: app,
      env: npmEnv(),
    });
    // In-memory PGlite even when CI exports DATABASE_URL: nothing here needs a shared database.
    jss = await startServer({ port: 0, logger: false, dataDir: 'memory://' });
  });

  afterAll(async () => {
    await jss?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('registers the repository in the temporary global prefix', async () => {
    const linked = await realpath(join(prefix, 'lib/node_modules/job-status-client'));
    expect(linked).toBe(resolve(repoRoot));
  });

  it("points the app's job-status-client at the repository", async () => {
    const linked = await realpath(join(app, 'node_modules/job-status-client'));
    expect(linked).toBe(resolve(repoRoot));
  });

  it('runs the app, which creates a job on the server and reads it back', async () => {
    const user = `npm-link-${Date.now()}`;
    const { token } = await jss!.createToken({ user, role: 'creator' });
    const { stdout } = await runCommand('node', ['index.js'], {
      cwd: app,
      env: { ...process.env, JSS_URL: jss!.url, JSS_USER: user, JSS_TOKEN: token },
    });
    const [createdLine, readLine] = stdout.trim().split('\n');
    const jobId = /^created (\S+)$/.exec(createdLine ?? '')?.[1];
    expect(jobId, stdout).toBeDefined();
    expect(readLine).toBe(`read ${jobId} WAITING hello from npm link`);

    // Independently of the SDK: the job is really stored, owned by the app's user.
    const stored = await fetch(`${jss!.url}/1.0/job/${encodeURIComponent(jobId!)}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const body = (await stored.json()) as { data: { job_id: string; user: string }[] };
    expect(body.data[0]).toMatchObject({ job_id: jobId, user });
  });
});
