// What the server and postgres sections share: reference servers in processes of their own on one
// PostgreSQL schema, bearer tokens for their users, and the update → subscriber measurement.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { JobStatusClient } from 'job-status-client';
import { createToken } from '../../server/src/index';
import { JsonRequester } from './http-json';

const SERVER_PROCESS = fileURLToPath(new URL('./server-process.ts', import.meta.url));
const EVENT_TIMEOUT_MS = 10_000;

/** Server processes started by `startServerProcesses`. */
export interface ServerProcesses {
  urls: string[];
  /** A token of `grant`, made by the first process on the schema's tokens table. */
  token(grant: { user: string; role: string; services?: string[] }): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts `count` server processes on one schema; resolves with their URLs. With
 * `BENCH_CPU_PROF=<folder>` in the environment each writes a V8 CPU profile there when it stops.
 */
export async function startServerProcesses(
  count: number,
  target: { databaseUrl: string; schema: string; poolSize: number },
): Promise<ServerProcesses> {
  const children: ChildProcess[] = [];
  const profile = process.env.BENCH_CPU_PROF;
  const stop = () =>
    Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.send('stop');
          }),
      ),
    ).then(() => {});
  try {
    const urls = await Promise.all(
      Array.from({ length: count }, async () => {
        const child = fork(SERVER_PROCESS, [], {
          execArgv: [
            '--import',
            'tsx',
            ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []),
          ],
          env: {
            ...process.env,
            BENCH_DATABASE_URL: target.databaseUrl,
            BENCH_SCHEMA: target.schema,
            BENCH_POOL_SIZE: String(target.poolSize),
          },
          stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        });
        children.push(child);
        return new Promise<string>((resolve, reject) => {
          child.once('message', (message) => resolve((message as { url: string }).url));
          child.once('exit', (code) => reject(new Error(`server process exited with ${code}`)));
        });
      }),
    );
    const token = (grant: { user: string; role: string; services?: string[] }) =>
      new Promise<string>((resolve) => {
        children[0]!.once('message', (message) => resolve((message as { token: string }).token));
        children[0]!.send({ createToken: grant });
      });
    return { urls, token, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A bearer token of `user` (role creator) on the schema's tokens table. */
export async function creatorToken(pool: pg.Pool, user: string): Promise<string> {
  const sql = {
    query: async <Row>(text: string, params?: readonly unknown[]) => ({
      rows: (await pool.query(text, params ? [...params] : undefined)).rows as Row[],
    }),
  };
  return (await createToken(sql, { user, role: 'creator' })).token;
}

/** Drops a schema the bench made, so that the database is left as the bench found it. */
export { dropSchema } from '../../server/test/support/test-store';

/**
 * Updates one new job `count` times, one at a time, and times each from the moment its HTTP
 * answer is read to the moment an SDK subscription hands the matching `jobUpdate` to its
 * listener. Negative when the event overtakes the answer.
 */
export async function updateToSubscriberMs(
  url: string,
  user: string,
  count: number,
  token?: string,
): Promise<number[]> {
  const writer = new JsonRequester(user, 1, token);
  const jobId = `sse${randomBytes(12).toString('hex')}`;
  await writer.expect(201, 'POST', `${url}/1.0/job/`, { job_id: jobId, user });
  const client = new JobStatusClient({ baseURL: url, user, ...(token ? { token } : {}) });
  const subscription = client.subscribe(user);
  const arrivals = new Map<string, (at: number) => void>();
  try {
    await new Promise<void>((resolve, reject) => {
      subscription.on('initialJobs', () => resolve());
      subscription.done.then(() => reject(new Error('the subscription ended early')), reject);
    });
    subscription.on('jobUpdate', (event) => {
      const stage = event.job.currentStage;
      if (typeof stage === 'string') arrivals.get(stage)?.(performance.now());
    });
    const latencies: number[] = [];
    for (let index = 0; index < count; index++) {
      const stage = `stage-${index}`;
      const arrived = new Promise<number>((resolve, reject) => {
        arrivals.set(stage, resolve);
        setTimeout(() => reject(new Error(`no event for ${stage}`)), EVENT_TIMEOUT_MS).unref();
      });
      await writer.expect(200, 'PATCH', `${url}/1.0/job/${jobId}`, { current_stage: stage });
      const answeredAt = performance.now();
      latencies.push((await arrived) - answeredAt);
      arrivals.delete(stage);
    }
    return latencies;
  } finally {
    subscription.close();
    writer.close();
  }
}
