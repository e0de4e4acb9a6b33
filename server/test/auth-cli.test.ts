// `jss-server token ...`, `jss-server user set-password` and the --auth refusals, run as real
// processes on a PGlite data folder.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/index';
import { copyPgliteTemplate } from './support/test-store';

const BIN = fileURLToPath(new URL('../bin/jss-server.js', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `jss-server` with `args` (and `input` on stdin) to its end. */
function run(args: string[], input?: string): Promise<Run> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(input ?? '');
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

const lastLine = (text: string) => text.trimEnd().split('\n').at(-1)!;

describe('jss-server token and user commands', () => {
  let folder: string;
  let token: string;
  let created: Run;
  beforeAll(async () => {
    folder = await copyPgliteTemplate();
    created = await run([
      'token',
      'create',
      '--user',
      'alice',
      '--role',
      'worker',
      '--service',
      'upload',
      '--expires-in',
      '30d',
      '--data-dir',
      folder,
    ]);
    token = lastLine(created.stdout);
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  /** A server on the folder, for as long as `fn` runs (PGlite has one process per folder). */
  async function withServer<T>(fn: (server: RunningServer) => Promise<T>): Promise<T> {
    const server = await startServer({ port: 0, logger: false, dataDir: folder });
    try {
      return await fn(server);
    } finally {
      await server.close();
    }
  }

  const me = (server: RunningServer, bearer: string) =>
    fetch(`${server.url}/1.0/auth/me`, { headers: { Authorization: `Bearer ${bearer}` } });

  it('token create prints the token as the last line of stdout, and exits 0', () => {
    expect([created.code, token]).toEqual([0, expect.stringMatching(/^jss_[\w-]{43}$/)]);
  });

  it('token create makes a token the server accepts, with its role and services', async () => {
    const body = await withServer(async (server) => (await me(server, token)).json());
    expect(body).toMatchObject({ data: [{ user: 'alice', role: 'worker', services: ['upload'] }] });
  });

  it('token list shows the token without the token or its hash', async () => {
    const listed = await run(['token', 'list', '--data-dir', folder]);
    expect(listed.stdout).toMatch(/alice\tworker\tupload\t/);
    expect(listed.stdout).not.toContain(token.slice(4));
    expect(listed.stdout).not.toMatch(/[0-9a-f]{64}/);
  });

  it('token revoke makes the server refuse the token', async () => {
    const made = await run([
      'token',
      'create',
      '--user',
      'bob',
      '--role',
      'creator',
      '--data-dir',
      folder,
    ]);
    const other = lastLine(made.stdout);
    const id = /^Token ([0-9a-f]{12}):/.exec(made.stdout)?.[1];
    const revoked = await run(['token', 'revoke', id!, '--data-dir', folder]);
    expect(revoked.code).toBe(0);
    const status = await withServer(async (server) => (await me(server, other)).status);
    expect(status).toBe(401);
  });

  it('user set-password takes the password from stdin, and login accepts it', async () => {
    const set = await run(
      ['user', 'set-password', 'carol', '--password-stdin', '--data-dir', folder],
      'a long enough password\n',
    );
    expect(set.code).toBe(0);
    const status = await withServer(async (server) => {
      const response = await fetch(`${server.url}/1.0/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ user: 'carol', password: 'a long enough password' }),
      });
      return response.status;
    });
    expect(status).toBe(200);
  });

  it('refuses an unknown role with exit code 2, naming the flag', async () => {
    const refused = await run([
      'token',
      'create',
      '--user',
      'x',
      '--role',
      'boss',
      '--data-dir',
      folder,
    ]);
    expect([refused.code, refused.stderr.split('\n')[0]]).toEqual([
      2,
      '--role must be one of admin, manager, creator, worker',
    ]);
  });

  it('refuses to manage the tokens of an in-memory database', async () => {
    const refused = await run(['token', 'list', '--data-dir', 'memory://']);
    expect([refused.code, refused.stderr]).toEqual([2, expect.stringContaining('--data-dir')]);
  });

  it('prints how to create a token when the server starts without any', async () => {
    const empty = await copyPgliteTemplate();
    try {
      const child = spawn(process.execPath, [BIN, '--port', '0', '--data-dir', empty, '--quiet'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('token create')) resolve();
        });
        child.once('exit', () => reject(new Error(`exited: ${output}`)));
      });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      expect(output).toContain(
        `jss-server token create --user <name> --role admin --data-dir ${empty}`,
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('jss-server --auth header/none on a non-loopback host', () => {
  it.each(['header', 'none'])(
    'refuses --auth %s without --insecure, exit code 1, saying why',
    async (auth) => {
      const refused = await run(['--auth', auth, '--host', '0.0.0.0', '--port', '0']);
      expect([refused.code, refused.stderr]).toEqual([
        1,
        expect.stringMatching(/^Refusing to start: --auth .* pass --insecure/s),
      ]);
    },
  );
});
