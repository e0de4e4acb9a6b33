// Starts worker processes (./worker-process.ts) as plain `node` children. The script is bundled
// once with esbuild (the SDK from src/), so a restart after a kill takes a node start, not a
// TypeScript compile: the soak restarts workers many times.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleForNode } from '../node-bundle';
import type { SideLogEntry, WorkerProcessEnv } from './worker-process';

/** A running worker process and the jobs its handlers are working on now. */
export interface WorkerChild {
  readonly process: ChildProcess;
  /** Job ids whose handler started and has not finished, by what the child printed. */
  readonly inFlight: ReadonlySet<string>;
  /** Resolves with the exit code (null after a signal) once the process has ended. */
  readonly exited: Promise<number | null>;
  /** Calls `listener` with every side-log line the child prints. */
  onEntry(listener: (entry: SideLogEntry) => void): void;
  /** Whatever the child wrote to stderr so far. */
  stderr(): string;
}

/** The bundled worker script and a way to start processes of it. */
export interface WorkerBundle {
  start(env: WorkerProcessEnv): WorkerChild;
  dispose(): void;
}

/** Bundles the worker script into a temporary folder. */
export async function bundleWorker(): Promise<WorkerBundle> {
  const dir = mkdtempSync(join(tmpdir(), 'jss-worker-'));
  const script = join(dir, 'worker.mjs');
  await bundleForNode('scripts/soak/worker-process.ts', script);
  return {
    start: (env) => startChild(script, env),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function startChild(script: string, env: WorkerProcessEnv): WorkerChild {
  const child = spawn(process.execPath, [script], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const inFlight = new Set<string>();
  const listeners: ((entry: SideLogEntry) => void)[] = [];
  let pending = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() === '') continue;
      const entry = JSON.parse(line) as SideLogEntry;
      if (entry.event === 'start') inFlight.add(entry.jobId);
      else if (entry.event === 'finish') inFlight.delete(entry.jobId);
      for (const listener of listeners) listener(entry);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return {
    process: child,
    inFlight,
    exited,
    onEntry: (listener) => listeners.push(listener),
    stderr: () => stderr,
  };
}
