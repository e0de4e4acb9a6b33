import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

/** The file inside a data folder that says which process has it open. */
export const LOCK_FILE = 'jss-server.lock';

/** What the lock file holds. */
interface LockOwner {
  pid: number;
  /**
   * When that process started (Linux: field 22 of /proc/PID/stat), so that a new process that
   * was given the same PID after a crash is not mistaken for the owner. Null where unknown.
   */
  started: string | null;
  host: string;
}

/** A second server on one data folder would lose acknowledged writes: refused with this. */
export class DataDirLockedError extends Error {
  constructor(
    readonly folder: string,
    readonly pid: number,
  ) {
    super(
      `The data folder ${folder} is in use by another jss-server (PID ${pid}${pid === process.pid ? ', this process' : ''}); stop it first or choose another --data-dir`,
    );
    this.name = 'DataDirLockedError';
  }
}

/** A data folder that cannot be created or written: refused with this. */
export class DataDirUnwritableError extends Error {
  constructor(folder: string, reason: string) {
    super(`The data folder ${folder} cannot be written (${reason}); choose another --data-dir`);
    this.name = 'DataDirUnwritableError';
  }
}

function startTimeOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

function isAlive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true; // Another machine (a shared disk): assume it runs.
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    if ((error as { code?: unknown }).code !== 'EPERM') return false;
  }
  const started = startTimeOf(owner.pid);
  return owner.started === null || started === null || started === owner.started;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function readOwner(text: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(text) as Partial<LockOwner>;
    if (typeof owner.pid !== 'number') return undefined;
    return { pid: owner.pid, started: owner.started ?? null, host: owner.host ?? hostname() };
  } catch {
    return undefined; // Unreadable or half written: a crash while taking it, so stale.
  }
}

const reasonOf = (error: unknown) =>
  (error as { code?: string }).code ?? (error instanceof Error ? error.message : String(error));

/**
 * Takes the data folder for this process: creates it when missing, then puts the lock file in
 * place exclusively (a hard link, which fails when one exists) with this process's PID and start
 * time. A lock whose process is gone
 * (killed with SIGKILL, a crash) is stale and taken over. Resolves with the release function.
 *
 * @throws DataDirLockedError while another live process holds it
 * @throws DataDirUnwritableError when the folder cannot be created or written
 */
export function lockDataDir(dataDir: string): () => void {
  const folder = resolve(dataDir);
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw new DataDirUnwritableError(folder, reasonOf(error));
  }
  const path = join(folder, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, started: startTimeOf(process.pid), host: hostname() };
  const text = JSON.stringify(me);
  // Written whole to a file of its own, then linked into place: the link is exclusive (fails
  // when the lock exists) and never shows a half-written lock to another starter.
  const draft = join(folder, `${LOCK_FILE}.${process.pid}`);
  try {
    writeFileSync(draft, text, { mode: 0o644 });
  } catch (error) {
    throw new DataDirUnwritableError(folder, reasonOf(error));
  }
  try {
    // A few rounds: two servers may find the same stale lock and race to replace it.
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        linkSync(draft, path);
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'EEXIST') {
          throw new DataDirUnwritableError(folder, reasonOf(error));
        }
        const stale = readText(path);
        const owner = readOwner(stale);
        if (owner && isAlive(owner)) throw new DataDirLockedError(folder, owner.pid);
        try {
          // Only the lock judged stale: another starter may have replaced it meanwhile.
          if (readText(path) === stale) unlinkSync(path);
        } catch {
          // Another starter removed it first; the next round tells who won.
        }
        continue;
      }
      return () => {
        try {
          if (readFileSync(path, 'utf8') === text) unlinkSync(path);
        } catch {
          // Gone already.
        }
      };
    }
  } finally {
    try {
      unlinkSync(draft);
    } catch {
      // Never written.
    }
  }
  throw new DataDirLockedError(folder, readOwner(readText(path))?.pid ?? 0);
}
