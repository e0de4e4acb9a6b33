import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository root (where the SDK's package.json lives). */
export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** Every file the builds must produce; the tests and the package depend on all of them. */
export const distFiles = {
  esm: join(repoRoot, 'dist/index.js'),
  cjs: join(repoRoot, 'dist/index.cjs'),
  esmTypes: join(repoRoot, 'dist/index.d.ts'),
  cjsTypes: join(repoRoot, 'dist/index.d.cts'),
  global: join(repoRoot, 'dist/umd/job-status-client.js'),
  cli: join(repoRoot, 'dist/cli.js'),
} as const;

/** The source folders the builds read. */
const sourceDirs = ['src', 'cli'];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile())
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

function isBuildCurrent(): boolean {
  const outputs = Object.values(distFiles);
  if (!outputs.every((file) => existsSync(file))) return false;
  const oldestOutput = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  return sourceDirs.every((dir) => oldestOutput >= newestMtime(join(repoRoot, dir)));
}

/** Takes the lock directory; false when another process holds it. */
function tryLock(lock: string): boolean {
  try {
    mkdirSync(lock);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Builds dist/ with tsup when it is missing or older than src/.
 *
 * Test files of the browser and package projects run in parallel workers, and tsup's `clean`
 * empties dist/ first, so two builds at once would pull files from under each other's feet: a
 * directory lock (mkdir is atomic) lets one worker build while the others wait.
 */
export async function ensureBuilt(): Promise<void> {
  if (isBuildCurrent()) return;
  const lockName = `job-status-client-build-${createHash('sha1').update(repoRoot).digest('hex')}`;
  const lock = join(tmpdir(), lockName);
  const deadline = Date.now() + 120_000;
  while (!tryLock(lock)) {
    // A lock left behind by a killed run must not block every later run.
    const lockedAt = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
    if (Date.now() - lockedAt > 120_000) rmSync(lock, { recursive: true, force: true });
    if (Date.now() > deadline) throw new Error(`timed out waiting for the build lock ${lock}`);
    await sleep(250);
  }
  try {
    if (isBuildCurrent()) return;
    try {
      await run(join(repoRoot, 'node_modules/.bin/tsup'), [], { cwd: repoRoot });
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      throw new Error(`tsup failed:\n${stdout}\n${stderr}`, { cause: error });
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
