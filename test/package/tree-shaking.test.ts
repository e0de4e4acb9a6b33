import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { distFiles, ensureBuilt, repoRoot } from './support/build';

/**
 * Strings that only the subscription code (the SSE request and its parser) contains. They are
 * string literals, so minification keeps them: their presence in a bundle means the code is in.
 */
const subscriptionMarkers = ['text/event-stream', 'Last-Event-ID'];

const readingApp = `
  import { JobStatusClient } from 'job-status-client';
  const client = new JobStatusClient({ baseURL: 'http://127.0.0.1:9/jss', user: 'reader' });
  client.getJob('abc').then((job) => console.log(job.status));
`;

const subscribingApp = `
  import { JobStatusClient } from 'job-status-client';
  const client = new JobStatusClient({ baseURL: 'http://127.0.0.1:9/jss', user: 'watcher' });
  for await (const event of client.subscribe('watcher')) console.log(event.type);
`;

/** An app bundled as a bundler would for the browser: minified, axios and zod left external. */
async function bundleApp(source: string, sdkEntry: string) {
  const result = await build({
    stdin: { contents: source, resolveDir: repoRoot, loader: 'js' },
    absWorkingDir: repoRoot,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
    external: ['axios', 'zod'],
    alias: { 'job-status-client': sdkEntry },
  });
  const code = result.outputFiles[0]?.text ?? '';
  const shippedModules = Object.values(result.metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => path),
  );
  return { code, gzipBytes: gzipSync(code, { level: 9 }).length, shippedModules };
}

const markersIn = (code: string) => subscriptionMarkers.filter((marker) => code.includes(marker));

describe('tree-shaking of the ESM build', () => {
  beforeAll(ensureBuilt);

  it('finds the subscription markers in an app that subscribes', async () => {
    const { code } = await bundleApp(subscribingApp, distFiles.esm);
    expect(markersIn(code)).toEqual(subscriptionMarkers);
  });

  // Known to fail, hence `it.fails`: subscribe, waitForJob and iterateJobs are methods of
  // JobStatusClient, and bundlers keep or drop a class whole (a method is a prototype property
  // that any `client[name]` could reach), so every app that constructs a client ships src/follow/
  // and the SSE parser. The fix is structural: a `job-status-client/follow` subpath of functions
  // taking the client (tried: with the three methods gone, the markers disappear), or methods that
  // load ./follow through `import()` with ESM code splitting. Once a fix lands this test passes,
  // `it.fails` reports that as a failure, and `.fails` must go.
  it.fails('leaves the subscription code out of an app that only reads jobs', async () => {
    const app = await bundleApp(readingApp, distFiles.esm);
    // Bundled from the sources, the metafile names the modules that leak into the app.
    const fromSource = await bundleApp(readingApp, join(repoRoot, 'src/index.ts'));
    const followModules = fromSource.shippedModules.filter(
      (path) => path.includes('/follow/') || path.endsWith('/internal/sse.ts'),
    );
    console.info(
      `[size] an app reading jobs with JobStatusClient: ${app.gzipBytes} B min+gzip ` +
        `(axios and zod external)`,
    );
    expect(
      markersIn(app.code),
      `subscription modules shipped: ${followModules.join(', ')}`,
    ).toEqual([]);
  });
});
