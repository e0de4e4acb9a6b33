// The `jss` command line as its users run it: a child process against the real server. Every
// run's credentials come from cliEnv (cli-support.ts).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { NotFoundError, type KnownJobStatus } from '../../src';
import { run as runInProcess } from '../../cli/program';
import { cliEnv, cliHarness, ndjson, packageVersion, type CliHarness } from './cli-support';
import { clientFor, describeJss, jssBaseUrl, tokenFor, uniqueUser } from './support';

let jss: CliHarness;
beforeAll(async () => {
  jss = await cliHarness();
});
afterAll(() => jss?.dispose());

/** A fresh user, their SDK client, and a way to run `jss` as them. */
function actor(label = 'cli') {
  const user = uniqueUser(label);
  const client = clientFor(user);
  const run = async (args: readonly string[], env: Record<string, string> = {}) =>
    jss.run(args, { ...(await cliEnv(user)), ...env });
  return { user, client, run };
}

/** A job of `user` in `status`, created through the SDK. */
async function jobOf(user: string, status: KnownJobStatus = 'WAITING', jobName = 'cli-job') {
  return clientFor(user).createJob({ user, status, jobName });
}

const ESC = '\x1b';
const ESCAPE = `${ESC}[`;

describeJss('jss help and usage', () => {
  it('lists every command, the configuration and the exit codes in --help', async () => {
    const { code, stdout } = await jss.run(['--help']);

    expect(code).toBe(0);
    for (const command of [
      'list',
      'get',
      'watch',
      'wait',
      'abort',
      'retry',
      'delete',
      'logs',
      'create',
      'update',
    ]) {
      expect(stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    expect(stdout).toContain('JSS_TOKEN');
    expect(stdout).toMatch(/Exit codes:[\s\S]*130 +interrupted/);
  });

  it("prints the package's version with --version", async () => {
    const { code, stdout } = await jss.run(['--version']);

    expect(code).toBe(0);
    expect(stdout).toBe(`${packageVersion()}\n`);
  });

  it.each(['list', 'get', 'watch', 'wait', 'abort', 'retry', 'delete', 'logs', 'create', 'update'])(
    'shows examples in `jss %s --help`',
    async (command) => {
      const { code, stdout } = await jss.run([command, '--help']);

      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`Examples:\\n  \\$ jss ${command}`));
      expect(stdout).toMatch(/Global Options:\n( {2}.*\n)* {2}--url <url>/);
    },
  );

  it('exits 2 with one line on stderr for an unknown command', async () => {
    const { code, stderr, stdout } = await jss.run(['lst'], await cliEnv('nobody'));

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^jss: unknown command 'lst'/);
  });

  it('exits 2 for an unknown option', async () => {
    const { code, stderr } = await jss.run(['list', '--colour'], await cliEnv('nobody'));

    expect(code).toBe(2);
    expect(stderr).toContain("unknown option '--colour'");
  });

  it('exits 2 naming JSS_URL when no service is configured', async () => {
    const { code, stderr } = await jss.run(['list']);

    expect(code).toBe(2);
    expect(stderr).toMatch(/^jss: no service URL: pass --url, set JSS_URL/);
  });

  it('exits 2 for a status nobody defined', async () => {
    const { code, stderr } = await jss.run(['list', '--status', 'DONE'], await cliEnv('nobody'));

    expect(code).toBe(2);
    expect(stderr).toContain('unknown status "DONE"');
  });

  it('exits 2 for --filter that is not a JSON object', async () => {
    const { code, stderr } = await jss.run(['list', '--filter', '{user:'], await cliEnv('nobody'));

    expect(code).toBe(2);
    expect(stderr).toContain('--filter must be a JSON object');
  });

  it('exits 2 for --json together with --table', async () => {
    const { code } = await jss.run(['list', '--json', '--table'], await cliEnv('nobody'));

    expect(code).toBe(2);
  });
});

describeJss('jss list', () => {
  it("prints the user's jobs as a JSON array when piped", async () => {
    const { user, run } = actor();
    const other = actor();
    const mine = await jobOf(user);
    await jobOf(other.user);

    const { code, stdout } = await run(['list', '--user', user]);

    expect(code).toBe(0);
    const jobs = JSON.parse(stdout) as { jobId: string; user: string }[];
    expect(jobs.map((job) => job.jobId)).toEqual([mine.jobId]);
  });

  it('selects by status, comma-separated', async () => {
    const { user, run } = actor();
    const failed = await jobOf(user, 'FAILED');
    const lost = await jobOf(user, 'UNRECOVERABLE');
    await jobOf(user, 'WORKING');

    const { stdout } = await run(['list', '--user', user, '--status', 'failed,UNRECOVERABLE']);

    const ids = (JSON.parse(stdout) as { jobId: string }[]).map((job) => job.jobId);
    expect(ids.sort()).toEqual([failed.jobId, lost.jobId].sort());
  });

  it('selects by service and by a JSON filter', async () => {
    const { user, client, run } = actor();
    const wanted = await client.createJob({
      user,
      service: 'scanner',
      serviceFields: { kind: 'x' },
    });
    await client.createJob({ user, service: 'scanner', serviceFields: { kind: 'y' } });
    await client.createJob({ user, service: 'upload', serviceFields: { kind: 'x' } });

    const { stdout } = await run([
      'list',
      '--user',
      user,
      '--service',
      'scanner',
      '--filter',
      '{"serviceFields":{"kind":"x"}}',
    ]);

    expect((JSON.parse(stdout) as { jobId: string }[]).map((job) => job.jobId)).toEqual([
      wanted.jobId,
    ]);
  });

  it('shows at most --limit jobs, newest first', async () => {
    const { user, run } = actor();
    await jobOf(user, 'WAITING', 'first');
    await jobOf(user, 'WAITING', 'second');
    const third = await jobOf(user, 'WAITING', 'third');

    const { stdout } = await run(['list', '--user', user, '--limit', '1']);

    expect((JSON.parse(stdout) as { jobId: string }[]).map((job) => job.jobId)).toEqual([
      third.jobId,
    ]);
  });

  it('prints a table with relative times and a count with --table', async () => {
    const { user, run } = actor();
    const job = await jobOf(user, 'WORKING', 'table-job');

    const { code, stdout } = await run(['list', '--user', user, '--table']);

    expect(code).toBe(0);
    const [header, row, footer] = stdout.trimEnd().split('\n');
    expect(header).toMatch(/^JOB ID +NAME +USER +SERVICE +STATUS +PROGRESS +STAGE +MODIFIED$/);
    expect(row).toMatch(
      new RegExp(`^${job.jobId} +table-job +${user} +WORKING +(now|\\d+ sec\\. ago)$`),
    );
    expect(footer).toBe('1 job');
  });

  it('prints no colour codes with NO_COLOR, even when FORCE_COLOR is set', async () => {
    const { user, run } = actor();
    await jobOf(user, 'FAILED');

    const { stdout } = await run(['list', '--user', user, '--table'], {
      NO_COLOR: '1',
      FORCE_COLOR: '1',
    });

    expect(stdout).not.toContain(ESCAPE);
  });

  it('colours statuses with FORCE_COLOR', async () => {
    const { user, run } = actor();
    await jobOf(user, 'FAILED');

    const { stdout } = await run(['list', '--user', user, '--table'], { FORCE_COLOR: '1' });

    // Red, as picocolors writes it.
    expect(stdout).toContain(`${ESCAPE}31mFAILED${ESCAPE}39m`);
  });
});

describeJss('jss get', () => {
  it('shows the job and its children as a tree', async () => {
    const { user, client, run } = actor();
    const parent = await client.createJob({ user, jobName: 'parent' });
    const first = await client.createJob({ user, jobName: 'first', parentId: parent.jobId });
    const second = await client.createJob({ user, jobName: 'second', parentId: parent.jobId });
    const grandchild = await client.createJob({ user, jobName: 'leaf', parentId: first.jobId });

    const { code, stdout } = await run(['get', parent.jobId, '--table']);

    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^job id +${parent.jobId}$`, 'm'));
    expect(stdout.slice(stdout.indexOf('children\n') + 'children\n'.length).trimEnd()).toBe(
      [
        `├─ ${first.jobId} WAITING first`,
        `│  └─ ${grandchild.jobId} WAITING leaf`,
        `└─ ${second.jobId} WAITING second`,
      ].join('\n'),
    );
  });

  it('prints the job as JSON with its children nested when piped', async () => {
    const { user, client, run } = actor();
    const parent = await client.createJob({ user, serviceFields: { files: 2 } });
    const child = await client.createJob({ user, parentId: parent.jobId });

    const { stdout } = await run(['get', parent.jobId]);

    expect(JSON.parse(stdout)).toMatchObject({
      jobId: parent.jobId,
      serviceFields: { files: 2 },
      children: [{ jobId: child.jobId, children: [] }],
    });
  });

  it('exits 3 for a job that does not exist', async () => {
    const { run } = actor();

    const { code, stderr } = await run(['get', 'f'.repeat(32)]);

    expect(code).toBe(3);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^jss: /);
  });
});

describeJss('jss wait', () => {
  it.each([
    ['SUCCEEDED', 0],
    ['FAILED', 10],
    ['UNRECOVERABLE', 11],
    ['ABORTED', 12],
  ] as const)('exits with the code of a job that ended %s (%i)', async (status, exitCode) => {
    const { user, client, run } = actor();
    const job = await jobOf(user, 'WORKING');
    if (status === 'ABORTED') await client.abortJob(job.jobId);
    else await client.updateJob(job.jobId, { status });

    const { code, stdout } = await run(['wait', job.jobId]);

    expect(code).toBe(exitCode);
    expect(JSON.parse(stdout)).toMatchObject({ jobId: job.jobId, status });
  });

  it('waits until a running job ends', async () => {
    const { user, client } = actor();
    const job = await jobOf(user, 'WORKING');
    const waiting = jss.start(['wait', job.jobId, '--table'], await cliEnv(user));
    // `wait` reports the states it sees on stderr; stdout gets the final one only.
    await client.updateJob(job.jobId, { status: 'FAILED' });

    const { code, stdout } = await waiting.exited;

    expect(code).toBe(10);
    expect(stdout.trim()).toBe(`${job.jobId} FAILED`);
  });

  it('exits 6 when --timeout runs out first', async () => {
    const { user, run } = actor();
    const job = await jobOf(user, 'WORKING');

    const { code, stderr } = await run(['wait', job.jobId, '--timeout', '300ms']);

    expect(code).toBe(6);
    expect(stderr).toMatch(/^jss: /);
  });

  it('exits 3 for a job that does not exist', async () => {
    const { run } = actor();

    expect((await run(['wait', 'e'.repeat(32)])).code).toBe(3);
  });
});

describeJss('jss abort, retry and delete', () => {
  it('aborts every job named', async () => {
    const { user, client, run } = actor();
    const first = await jobOf(user, 'WORKING');
    const second = await jobOf(user, 'WAITING');

    const { code, stdout } = await run(['abort', first.jobId, second.jobId]);

    expect(code).toBe(0);
    expect(ndjson(stdout).map((job) => job.status)).toEqual(['ABORTED', 'ABORTED']);
    expect((await client.getJob(second.jobId)).status).toBe('ABORTED');
  });

  it("goes on after a failure and exits with the first failure's code", async () => {
    const { user, client, run } = actor();
    const job = await jobOf(user, 'WORKING');

    const { code, stderr } = await run(['abort', 'd'.repeat(32), job.jobId]);

    expect(code).toBe(3);
    expect(stderr).toMatch(new RegExp(`^jss: abort ${'d'.repeat(32)}: `));
    expect((await client.getJob(job.jobId)).status).toBe('ABORTED');
  });

  it('exits 5 when the job has already ended', async () => {
    const { user, run } = actor();
    const job = await jobOf(user, 'SUCCEEDED');

    expect((await run(['abort', job.jobId])).code).toBe(5);
  });

  it('retries a failed job', async () => {
    const { user, run } = actor();
    const job = await jobOf(user, 'FAILED');

    const { code, stdout } = await run(['retry', job.jobId, '--table']);

    expect(code).toBe(0);
    expect(stdout.trim()).toBe(`retried ${job.jobId} (RETRYING)`);
  });

  it('deletes a job that has ended', async () => {
    const { user, client, run } = actor();
    const job = await jobOf(user, 'SUCCEEDED');

    const { code } = await run(['delete', job.jobId]);

    expect(code).toBe(0);
    await expect(client.getJob(job.jobId)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describeJss('jss logs', () => {
  it('prints the entries as JSON lines, oldest first', async () => {
    const { user, client, run } = actor();
    const job = await jobOf(user, 'WORKING');
    await client.log(job.jobId, 'one');
    await client.log(job.jobId, 'two', { level: 'success', data: { files: 3 } });

    const { code, stdout } = await run(['logs', job.jobId]);

    expect(code).toBe(0);
    expect(ndjson(stdout)).toMatchObject([
      { level: 'info', message: 'one' },
      { level: 'success', message: 'two', data: { files: 3 } },
    ]);
  });

  it('prints time, level and message per line with --table', async () => {
    const { user, client, run } = actor();
    const job = await jobOf(user, 'WORKING');
    await client.log(job.jobId, 'copied', { level: 'warning' });

    const { stdout } = await run(['logs', job.jobId, '--table']);

    expect(stdout.trim()).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z {2}warning copied$/);
  });

  it('follows new entries until the job ends', async () => {
    const { user, client } = actor();
    const job = await jobOf(user, 'WORKING');
    await client.log(job.jobId, 'before');
    const following = jss.start(['logs', job.jobId, '--follow'], await cliEnv(user));
    await following.waitForOutput((out) => out.includes('"before"'));

    await client.log(job.jobId, 'during');
    await following.waitForOutput((out) => out.includes('"during"'));
    await client.updateJob(job.jobId, { status: 'SUCCEEDED' });
    const { code, stdout } = await following.exited;

    expect(code).toBe(0);
    expect(ndjson(stdout).map((entry) => entry.message)).toEqual(['before', 'during']);
  });

  it('exits 3 for a job that does not exist', async () => {
    const { run } = actor();

    expect((await run(['logs', 'c'.repeat(32)])).code).toBe(3);
  });
});

describeJss('jss create and update', () => {
  it('creates a job with service fields parsed as JSON where they parse', async () => {
    const { user, client, run } = actor();

    const { code, stdout } = await run([
      'create',
      '--name',
      'upload',
      '--service',
      'uploader',
      '--status',
      'WORKING',
      '--service-field',
      'files=3',
      '--service-field',
      'source.path=/data/in',
      '--service-field',
      'tags=["a","b"]',
    ]);

    expect(code).toBe(0);
    const created = JSON.parse(stdout) as { jobId: string };
    expect(await client.getJob(created.jobId)).toMatchObject({
      user,
      jobName: 'upload',
      service: 'uploader',
      status: 'WORKING',
      serviceFields: { files: 3, source: { path: '/data/in' }, tags: ['a', 'b'] },
    });
  });

  it('prints only the new id with --quiet', async () => {
    const { client, run } = actor();

    const { stdout } = await run(['create', '--name', 'quiet', '-q']);

    expect((await client.getJob(stdout.trim())).jobName).toBe('quiet');
  });

  it('refuses a prototype key in a service field with exit 2', async () => {
    const { run } = actor();

    const { code, stderr } = await run(['create', '--service-field', '__proto__.x=1']);

    expect(code).toBe(2);
    expect(stderr).toContain('"__proto__" is not allowed');
  });

  it('replaces a service field whole with --set', async () => {
    const { user, client, run } = actor();
    const job = await client.createJob({
      user,
      serviceFields: { favorites: { color: 'red', size: 2 } },
    });

    const { code } = await run(['update', job.jobId, '--set', 'favorites={"color":"blue"}']);

    expect(code).toBe(0);
    expect((await client.getJob(job.jobId)).serviceFields).toEqual({
      favorites: { color: 'blue' },
    });
  });

  it('changes only the named leaves with --merge', async () => {
    const { user, client, run } = actor();
    const job = await client.createJob({
      user,
      serviceFields: { favorites: { color: 'red', size: 2 } },
    });

    await run(['update', job.jobId, '--merge', 'favorites.color=blue']);

    expect((await client.getJob(job.jobId)).serviceFields).toEqual({
      favorites: { color: 'blue', size: 2 },
    });
  });

  it('changes the status and stage', async () => {
    const { user, client, run } = actor();
    const job = await jobOf(user);

    await run(['update', job.jobId, '--status', 'WORKING', '--stage', 'copying']);

    expect(await client.getJob(job.jobId)).toMatchObject({
      status: 'WORKING',
      currentStage: 'copying',
    });
  });

  it('exits 2 for --set together with --merge', async () => {
    const { user, run } = actor();
    const job = await jobOf(user);

    expect((await run(['update', job.jobId, '--set', 'a=1', '--merge', 'b=2'])).code).toBe(2);
  });

  it('exits 2 when there is nothing to update', async () => {
    const { user, run } = actor();
    const job = await jobOf(user);

    expect((await run(['update', job.jobId])).code).toBe(2);
  });
});

describeJss('jss watch', () => {
  it('prints each new state of the job as a JSON line and ends when the job ends', async () => {
    const { user, client } = actor();
    const job = await jobOf(user, 'WAITING');
    const watching = jss.start(['watch', job.jobId], await cliEnv(user));
    await watching.waitForOutput((out) => out.includes('"WAITING"'));

    await client.updateJob(job.jobId, { status: 'WORKING' });
    await client.reportProgress(job.jobId, 1, 2);
    await client.updateJob(job.jobId, { status: 'SUCCEEDED' });
    const { code, stdout } = await watching.exited;

    expect(code).toBe(0);
    const states = ndjson(stdout);
    expect(states[0]).toMatchObject({ jobId: job.jobId, status: 'WAITING' });
    expect(states.at(-1)).toMatchObject({ jobId: job.jobId, status: 'SUCCEEDED' });
    expect(states.map((state) => state.status)).toContain('WORKING');
  });

  it('watches the jobs a filter selects until all of them have ended', async () => {
    const { user, client } = actor();
    const first = await jobOf(user, 'WORKING');
    const second = await jobOf(user, 'WAITING');
    await jobOf(user, 'SUCCEEDED');
    const watching = jss.start(
      ['watch', '--user', user, '--status', 'WORKING,WAITING'],
      await cliEnv(user),
    );
    await watching.waitForOutput((out) => ndjson(out).length >= 2);

    await client.updateJob(first.jobId, { status: 'SUCCEEDED' });
    await client.abortJob(second.jobId);
    const { code, stdout } = await watching.exited;

    expect(code).toBe(0);
    const last = new Map(ndjson(stdout).map((state) => [state.jobId, state.status]));
    expect(Object.fromEntries(last)).toEqual({
      [first.jobId]: 'SUCCEEDED',
      [second.jobId]: 'ABORTED',
    });
  });

  it('redraws a table with progress bars in place on a terminal', async () => {
    // In this process, with a stdout that says it is a terminal: a child's pipe never is one.
    const { user, client } = actor();
    const job = await jobOf(user, 'WORKING', 'live');
    await client.reportProgress(job.jobId, 1, 4);
    let screen = '';
    let drawn = (): void => undefined;
    const firstDraw = new Promise<void>((resolve) => (drawn = resolve));
    const stdout = {
      isTTY: true,
      columns: 120,
      write(text: string) {
        screen += text;
        if (screen.includes('live')) drawn();
        return true;
      },
    };
    const watching = runInProcess(['watch', job.jobId], {
      stdout,
      stderr: { write: () => true },
      env: { ...(await cliEnv(user)), NO_COLOR: '1' },
      signal: new AbortController().signal,
    });
    await firstDraw;

    await client.updateJob(job.jobId, { status: 'SUCCEEDED' });

    expect(await watching).toBe(0);
    expect(screen).toContain('███░░░░░░░  25%');
    // The last frame moves up over the one before and clears it, then shows the end.
    const frames = screen.split(new RegExp(`${ESC}\\[\\d+A\\r${ESC}\\[0J`));
    expect(frames.length).toBeGreaterThan(1);
    expect(frames.at(-1)).toMatch(/SUCCEEDED[\s\S]*1 of 1 ended\n/);
  });

  it('exits 130 on Ctrl-C while the job still runs', async () => {
    const { user } = actor();
    const job = await jobOf(user, 'WORKING');
    const watching = jss.start(['watch', job.jobId], await cliEnv(user));
    await watching.waitForOutput((out) => out.includes('"WORKING"'));

    watching.interrupt();

    expect((await watching.exited).code).toBe(130);
  });

  it('exits 3 for a job that does not exist', async () => {
    const { run } = actor();

    expect((await run(['watch', 'b'.repeat(32)])).code).toBe(3);
  });

  it('exits 2 without a job id or a filter', async () => {
    const { run } = actor();

    expect((await run(['watch'])).code).toBe(2);
  });
});

describeJss('jss configuration', () => {
  const configFolder = () => join(jss.home, '.config', 'jss');
  /** A config file in the harness's home, where the CLI looks by default. */
  function writeConfig(settings: Record<string, string> | string): void {
    mkdirSync(configFolder(), { recursive: true });
    const text = typeof settings === 'string' ? settings : JSON.stringify(settings);
    writeFileSync(join(configFolder(), 'config.json'), text);
  }
  afterEach(() => rmSync(configFolder(), { recursive: true, force: true }));
  const unreachable = 'http://127.0.0.1:9/jss';

  it('reads the URL and token from the config file when nothing else gives them', async () => {
    const user = uniqueUser('cli-config');
    writeConfig({ url: jssBaseUrl, token: await tokenFor(user) });

    const { code, stdout } = await jss.run(['create', '-q']);

    expect(code).toBe(0);
    expect((await clientFor(user).getJob(stdout.trim())).user).toBe(user);
  });

  it('prefers the environment to the config file', async () => {
    const { user } = actor();
    writeConfig({ url: unreachable });

    const { code } = await jss.run(['list'], await cliEnv(user));

    expect(code).toBe(0);
  });

  it('prefers flags to the environment', async () => {
    const { user } = actor();

    const { code } = await jss.run(['list', '--url', jssBaseUrl], {
      ...(await cliEnv(user)),
      JSS_URL: unreachable,
    });

    expect(code).toBe(0);
  });

  it('names where each setting came from with --verbose', async () => {
    const { user } = actor();
    writeConfig({ url: unreachable, token: await tokenFor(user) });

    const { stderr } = await jss.run(['list', '--verbose'], {
      JSS_URL: jssBaseUrl,
      JSS_USER: user,
    });

    expect(stderr).toContain(`url=${jssBaseUrl} (from JSS_URL)`);
    expect(stderr).toContain(`user=${user} (from JSS_USER)`);
    expect(stderr).toMatch(/token=set \(from .*config\.json\)/);
  });

  it('exits 2 for a config file that is not JSON', async () => {
    writeConfig('{url:');

    const { code, stderr } = await jss.run(['list'], await cliEnv('nobody'));

    expect(code).toBe(2);
    expect(stderr).toContain('is not valid JSON');
  });

  it('exits 1 with one line when the service cannot be reached', async () => {
    const { code, stderr } = await jss.run(['list', '--url', unreachable], await cliEnv('nobody'));

    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});

describeJss('jss and the token', () => {
  const token = 'tok-3c9f1e2a7b-never-print-me';

  it.each([
    ['a listing with --verbose', ['list', '--verbose']],
    ['a job that does not exist, with --verbose', ['get', 'a'.repeat(32), '--verbose']],
    ['a service that cannot be reached', ['list', '--verbose', '--url', 'http://127.0.0.1:9/jss']],
    ['a usage error', ['list', '--status', 'NOPE', '--verbose']],
    ['the token given as a flag', ['get', 'a'.repeat(32), '--verbose', '--token', token]],
  ])('never prints the token: %s', async (_label, args) => {
    const { user } = actor();

    const { stdout, stderr } = await jss.run(args, { ...(await cliEnv(user)), JSS_TOKEN: token });

    expect(stderr).toContain('jss:');
    expect(`${stdout}\n${stderr}`).not.toContain(token);
  });
});

describeJss('jss and a service that refuses the caller', () => {
  it('exits 4 with one line when the service refuses the token (401)', async () => {
    const token = 'tok-8d1b-refused-but-secret';

    const { code, stdout, stderr } = await jss.run(['get', 'a'.repeat(32)], {
      JSS_URL: jssBaseUrl,
      JSS_TOKEN: token,
    });

    expect(code).toBe(4);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(`${stdout}${stderr}`).not.toContain(token);
  });

  it("exits 4 with one line when the token's role may not do it (403)", async () => {
    const user = uniqueUser('cli-worker');
    const token = await tokenFor(user, 'worker', ['cli-service']);

    const { code, stdout, stderr } = await jss.run(['create', '--service', 'cli-service'], {
      JSS_URL: jssBaseUrl,
      JSS_TOKEN: token,
    });

    expect(code).toBe(4);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(`${stdout}${stderr}`).not.toContain(token);
  });
});

describeJss('jss whoami', () => {
  it("prints the token's user, role and services as JSON when piped", async () => {
    const user = uniqueUser('cli-whoami');

    const { code, stdout } = await jss.run(['whoami'], {
      JSS_URL: jssBaseUrl,
      JSS_TOKEN: await tokenFor(user, 'worker', ['scanner']),
    });

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      user,
      role: 'worker',
      services: ['scanner'],
      url: jssBaseUrl,
    });
  });

  it('prints the user and role on one line with --table, without the token', async () => {
    const { user, run } = actor('cli-whoami');
    const token = await tokenFor(user);

    const { stdout } = await run(['whoami', '--table']);

    expect(stdout.trim()).toBe(`${user} (creator) at ${jssBaseUrl}`);
    expect(stdout).not.toContain(token);
  });

  it('exits 4 for a token the service does not know', async () => {
    const { code } = await jss.run(['whoami'], { JSS_URL: jssBaseUrl, JSS_TOKEN: 'tok-unknown' });

    expect(code).toBe(4);
  });
});
