import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from '../src/cli-options';
import { copyPgliteTemplate } from './support/test-store';

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
