// The README's examples run as written against the real server: a child process runs each file
// of examples/ with tsx (the SDK from src/, through examples/tsconfig.json's paths).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { clientFor, describeJss, jssBaseUrl, tokenFor, uniqueUser } from './support';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

async function runExample(file: string, env: Record<string, string>) {
  return run(
    process.execPath,
    [join(root, 'node_modules/tsx/dist/cli.mjs'), '--tsconfig', 'examples/tsconfig.json', file],
    { cwd: root, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
  );
}

describeJss('the examples', () => {
  it("runs the README's worker pool: the producer's jobs end SUCCEEDED with the handler's result", async () => {
    const workerToken = await tokenFor(uniqueUser('thumbs'), 'worker', ['thumbnail']);

    const { stdout } = await runExample('examples/worker-pool.ts', {
      JSS_URL: jssBaseUrl,
      JSS_TOKEN: await tokenFor('demo'),
      JSS_WORKER_TOKEN: workerToken,
    });

    const done = [...stdout.matchAll(/^done (\S+)$/gm)].map((match) => match[1] ?? '');
    expect(done).toHaveLength(2);
    const jobs = await Promise.all(done.map((jobId) => clientFor('demo').getJob(jobId)));
    expect(jobs.map((job) => [job.status, job.serviceFields])).toEqual(
      expect.arrayContaining([
        [
          'SUCCEEDED',
          expect.objectContaining({ image: 'a.tif', result: { thumbnail: 'a.tif.png' } }),
        ],
        [
          'SUCCEEDED',
          expect.objectContaining({ image: 'b.tif', result: { thumbnail: 'b.tif.png' } }),
        ],
      ]),
    );
  }, 90_000);
});
