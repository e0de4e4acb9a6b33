// Runs the `jss` command line as a real child process against the integration server. The CLI's
// sources are bundled once per test file with esbuild (the SDK from src/, as the tsconfig maps
// it), so every run is a plain `node` start; the packed bin is tested in test/package.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForNode } from '../../scripts/node-bundle';
import { jssBaseUrl, tokenFor } from './support';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The result of one finished run. */
export interface JssResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The credentials of `user` on the shared server, as the environment the CLI reads: the URL and
 * a creator token of `user`, nothing else (the CLI learns the user from the token). The only
 * place the tests say how the CLI authenticates.
 */
export async function cliEnv(user: string): Promise<Record<string, string>> {
  return { JSS_URL: jssBaseUrl, JSS_TOKEN: await tokenFor(user) };
}

/** A bundled CLI and a private, empty home for its runs (no config file unless a test writes one). */
export interface CliHarness {
  /** A folder no run reads from unless told: tests put config files here. */
  readonly home: string;
  /** Runs `jss args…` to the end. `env` is added to a clean environment (PATH only). */
  run(args: readonly string[], env?: Record<string, string>): Promise<JssResult>;
  /** Starts `jss args…` and hands back its process, for commands that follow jobs. */
  start(args: readonly string[], env?: Record<string, string>): RunningJss;
  dispose(): void;
}

/** A `jss` that is still running. */
export interface RunningJss {
  /** Resolves once stdout holds text that `match` accepts (rejects when the process ends first). */
  waitForOutput(match: (stdout: string) => boolean): Promise<string>;
  /** Sends SIGINT, as Ctrl-C does. */
  interrupt(): void;
  readonly exited: Promise<JssResult>;
}

/** Bundles the CLI into a temporary folder; call in `beforeAll`. */
export async function cliHarness(): Promise<CliHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'jss-cli-'));
  const home = join(dir, 'home');
  const script = join(dir, 'jss.mjs');
  // As tsup writes it into the published build (tsup.config.ts).
  await bundleForNode('cli/main.ts', script, {
    __SDK_VERSION__: JSON.stringify(packageVersion()),
  });
  const environment = (env: Record<string, string>) => ({
    PATH: process.env.PATH ?? '',
    // No config file of the machine's user, no colour settings of the run's terminal.
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    ...env,
  });
  const start = (args: readonly string[], env: Record<string, string> = {}): RunningJss => {
    const child = spawn(process.execPath, [script, ...args], {
      env: environment(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const watchers = new Set<() => void>();
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      for (const watcher of [...watchers]) watcher();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    let closed = false;
    const exited = new Promise<JssResult>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => {
        closed = true;
        resolve({ code, stdout, stderr });
        for (const watcher of [...watchers]) watcher();
      });
    });
    return {
      exited,
      interrupt: () => child.kill('SIGINT'),
      waitForOutput(match) {
        return new Promise((resolve, reject) => {
          const check = () => {
            if (match(stdout)) {
              watchers.delete(check);
              resolve(stdout);
            } else if (closed) {
              watchers.delete(check);
              reject(new Error(`jss ${args.join(' ')} ended first:\n${stdout}\n${stderr}`));
            }
          };
          watchers.add(check);
          check();
        });
      },
    };
  };
  return {
    home,
    start,
    run: (args, env) => start(args, env).exited,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The JSON documents of NDJSON output, one per non-empty line. */
export function ndjson(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The version package.json declares, which `jss --version` must print. */
export function packageVersion(): string {
  const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  return version;
}
