import { execFileSync, spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from '../src/cli-options';
import { LOCK_FILE } from '../src/store/data-dir-lock';
import { copyPgliteTemplate, postgresUrlOrSkip } from './support/test-store';

const BIN = fileURLToPath(new URL('../bin/jss-server.js', import.meta.url));

describe('parseCommandLine', () => {
  it('reads every flag', () => {
    const options = parseCommandLine([
      '--port',
      '9000',
      '--host',
      '0.0.0.0',
      '--data-dir',
      './.jss-data',
      '--cors-origin',
      'https://a.example',
      '--cors-origin',
      'https://b.example',
      '--fault-rate',
      '0.2',
      '--drop-after-commit-rate',
      '0.05',
      '--latency-ms',
      '10-200',
      '--keep-alive-ms',
      '500',
      '--quiet',
    ]);
    expect(options).toMatchObject({
      port: 9000,
      host: '0.0.0.0',
      dataDir: './.jss-data',
      corsOrigins: ['https://a.example', 'https://b.example'],
      faults: { failureRate: 0.2, dropAfterCommitRate: 0.05, latencyMs: [10, 200] },
      keepAliveMs: 500,
      logger: false,
    });
  });

  it('defaults to port 8080 on 127.0.0.1, no browser origin, no faults', () => {
    expect(parseCommandLine([])).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      corsOrigins: [],
      faults: undefined,
    });
  });

  it('reads --auth, --insecure and --login-ttl', () => {
    expect(
      parseCommandLine(['--auth', 'header', '--insecure', '--login-ttl', '30m']),
    ).toMatchObject({ auth: 'header', insecure: true, loginTokenTtlMs: 30 * 60_000 });
  });

  it('defaults to --auth token', () => {
    expect(parseCommandLine([])).toMatchObject({ auth: 'token', insecure: false });
  });

  it.each([
    ['--auth', 'basic'],
    ['--login-ttl', 'forever'],
  ])('refuses %s %s', (flag, value) => {
    expect(() => parseCommandLine([flag, value])).toThrow(UsageError);
  });

  it('answers undefined for --help', () => {
    expect(parseCommandLine(['--help'])).toBeUndefined();
  });

  it.each([
    ['--fault-rate', '1.5'],
    ['--drop-after-commit-rate', 'often'],
    ['--latency-ms', '200-10'],
    ['--port', 'http'],
    ['--port', '70000'],
  ])('refuses %s %s', (flag, value) => {
    expect(() => parseCommandLine([flag, value])).toThrow(UsageError);
  });

  it('refuses an unknown flag', () => {
    expect(() => parseCommandLine(['--colour'])).toThrow();
  });
});

describe('bin/jss-server.js', () => {
  const folders: string[] = [];
  afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

  it('serves until SIGTERM, then stops cleanly with exit code 0', async () => {
    const folder = await copyPgliteTemplate();
    folders.push(folder);
    const child = spawn(process.execPath, [BIN, '--port', '0', '--data-dir', folder, '--quiet'], {
      // --data-dir wins over DATABASE_URL, so this runs on PGlite wherever it runs.
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on (\S+)/.exec(output);
        if (match) resolve(match[1]!);
      });
      child.once('exit', () => reject(new Error(`exited early: ${output}`)));
    });
    const health = await fetch(`${url}/health`);
    expect(await health.json()).toEqual({ status: 'ok' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('prints the usage and exits 2 on a bad flag', async () => {
    const child = spawn(process.execPath, [BIN, '--fault-rate', 'lots'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(errors).toContain('Usage: jss-server');
  });
});

/** Starts the real CLI; resolves once it listens, with its URL and process. */
function startCli(args: string[]) {
  const child = spawn(process.execPath, [BIN, '--port', '0', '--quiet', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', () => reject(new Error(`exited early: ${output}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, url, exited };
}

/** Runs the CLI until it exits; for starts that must fail. */
async function runCli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const child = spawn(process.execPath, [BIN, '--quiet', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stderr };
}

/** One line, and nothing that looks like a stack trace. */
function expectOneLine(stderr: string) {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('the data-folder lock', () => {
  const folders: string[] = [];
  const children: ReturnType<typeof startCli>[] = [];
  afterAll(async () => {
    for (const { child, exited } of children) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    folders.forEach((folder) => rmSync(folder, { recursive: true, force: true }));
  });
  const freshFolder = async () => {
    const folder = await copyPgliteTemplate();
    folders.push(folder);
    return folder;
  };

  it('refuses a second server on the same folder, naming the folder and the PID holding it', async () => {
    const folder = await freshFolder();
    const first = startCli(['--data-dir', folder]);
    children.push(first);
    await first.url;
    const second = await runCli(['--port', '0', '--data-dir', folder]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(folder);
    expect(second.stderr).toContain(`PID ${first.child.pid}`);
    expectOneLine(second.stderr);
    expect((await fetch(`${await first.url}/health`)).status).toBe(200);
  });

  it('starts on a folder whose server was killed with SIGKILL, and keeps its data', async () => {
    const folder = await freshFolder();
    const user = 'locked-out';
    // Made before the server starts: while it runs, the folder is its alone.
    const token = execFileSync(
      process.execPath,
      [BIN, 'token', 'create', '--user', user, '--role', 'creator', '--data-dir', folder],
      { encoding: 'utf8' },
    )
      .trim()
      .split('\n')
      .pop()!;
    const authorization = { Authorization: `Bearer ${token}` };
    const first = startCli(['--data-dir', folder]);
    children.push(first);
    const created = await fetch(`${await first.url}/1.0/job/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...authorization },
      body: JSON.stringify({ user, job_id: 'survivor' }),
    });
    expect(created.status).toBe(201);
    first.child.kill('SIGKILL');
    await first.exited;
    const second = startCli(['--data-dir', folder]);
    children.push(second);
    const answer = await fetch(`${await second.url}/1.0/job/survivor`, { headers: authorization });
    expect(answer.status).toBe(200);
  });

  it('takes over a lock whose PID now belongs to another process (PID reuse)', async () => {
    const folder = await freshFolder();
    // The PID of a live process (this test runner), but not the start time the lock recorded.
    writeFileSync(
      join(folder, LOCK_FILE),
      JSON.stringify({ pid: process.pid, started: '1', host: hostname() }),
    );
    const server = startCli(['--data-dir', folder]);
    children.push(server);
    expect((await fetch(`${await server.url}/health/live`)).status).toBe(200);
  });
});

describe('startup errors', () => {
  it('says in one line that the port is taken, and exits 1', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const { code, stderr } = await runCli(['--port', String(port)]);
      expect(code).toBe(1);
      expect(stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      expectOneLine(stderr);
    } finally {
      taken.close();
    }
  });

  it('says in one line that the database cannot be reached, without the password', async () => {
    const { code, stderr } = await runCli([
      '--port',
      '0',
      '--database-url',
      'postgres://jss:hunter2@127.0.0.1:1/jss',
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain('Cannot reach PostgreSQL at 127.0.0.1:1/jss');
    expect(stderr).not.toContain('hunter2');
    expectOneLine(stderr);
  });

  it('says in one line that the data folder cannot be written', async () => {
    const file = join(tmpdir(), `jss-not-a-folder-${process.pid}`);
    writeFileSync(file, '');
    try {
      const { code, stderr } = await runCli(['--port', '0', '--data-dir', join(file, 'data')]);
      expect(code).toBe(1);
      expect(stderr).toContain(`The data folder ${join(file, 'data')} cannot be written`);
      expectOneLine(stderr);
    } finally {
      rmSync(file, { force: true });
    }
  });

  const databaseUrl = postgresUrlOrSkip('startup errors: wrong password');
  it.skipIf(!databaseUrl)('says in one line that PostgreSQL refused the password', async () => {
    const url = new URL(databaseUrl!);
    url.password = 'certainly-not-the-password';
    const { code, stderr } = await runCli(['--port', '0', '--database-url', url.toString()]);
    expect(code).toBe(1);
    expect(stderr).toContain('refused the login');
    expect(stderr).not.toContain('certainly-not-the-password');
    expectOneLine(stderr);
  });
});
