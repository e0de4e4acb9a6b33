import { readFileSync } from 'node:fs';
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

/**
 * An app bundled as a bundler would for the browser: minified, axios and zod left external, and
 * split at dynamic `import()`s as Vite, webpack and Rollup do by default. `startup` is the code
 * the page loads before anything runs (the entry chunk and what it imports statically); `all`
 * adds the chunks loaded on demand.
 */
async function bundleApp(source: string, sdkEntry: string) {
  const result = await build({
    stdin: { contents: source, resolveDir: repoRoot, loader: 'js' },
    absWorkingDir: repoRoot,
    bundle: true,
    format: 'esm',
    splitting: true,
    outdir: 'app-bundle',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
    external: ['axios', 'zod'],
    alias: { 'job-status-client': sdkEntry },
  });
  const outputs = result.metafile.outputs;
  const codeOf = new Map(result.outputFiles.map((file) => [file.path, file.text]));
  const startupFiles = new Set<string>();
  const visit = (file: string): void => {
    if (startupFiles.has(file)) return;
    startupFiles.add(file);
    for (const imported of outputs[file]?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
    }
  };
  const entry = Object.keys(outputs).find((file) => outputs[file]?.entryPoint !== undefined);
  if (entry !== undefined) visit(entry);
  const textOf = (files: string[]) => files.map((file) => codeOf.get(join(repoRoot, file)) ?? '');
  const startup = textOf([...startupFiles]).join('\n');
  const all = textOf(Object.keys(outputs).filter((file) => file.endsWith('.js'))).join('\n');
  const shippedModules = [...startupFiles].flatMap((file) =>
    Object.entries(outputs[file]?.inputs ?? {})
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => path),
  );
  return {
    startup,
    all,
    startupGzipBytes: gzipSync(startup, { level: 9 }).length,
    lazyGzipBytes: gzipSync(all, { level: 9 }).length - gzipSync(startup, { level: 9 }).length,
    shippedModules,
    startupFileCount: startupFiles.size,
  };
}

/**
 * zod's schema compiler, used on Node only (src/internal/schema-compiler). With zod external (a
 * bundler's view of the ESM build), the SDK's call of it shows; bundled and minified (the global
 * build), only zod's own messages do, which minification keeps.
 */
const schemaCompilerCall = '.compile(';
const zodCompilerMessages = ['z.compile does not support', 'generated code failed to evaluate'];

/** A message of the redirect rules (src/internal/redirects), which a browser never needs. */
const redirectRulesMarker = 'the unsupported scheme';

const markersIn = (code: string) => subscriptionMarkers.filter((marker) => code.includes(marker));

/** Messages of the writes (an update's rule, a batch answer's rule) and of the token calls. */
const callsMarkers = [
  'must set at least one of',
  'must hold one job per job sent',
  'ISO 8601 date',
];

/** Messages of the paged reads (a cursor's rule, a queue preset's rule), which getJob and getJobs never need. */
const pagesMarkers = ['cannot be combined with cursor', 'is set by the preset'];

describe('tree-shaking of the ESM build', () => {
  beforeAll(ensureBuilt);

  it('finds the subscription markers in the chunks of an app that subscribes', async () => {
    const { all } = await bundleApp(subscribingApp, distFiles.esm);
    expect(markersIn(all)).toEqual(subscriptionMarkers);
  });

  // subscribe, waitForJob and iterateJobs load src/follow/ through `import()`, which the ESM
  // build (tsup `splitting: true`) and the app's bundler turn into a chunk fetched on first use.
  it('leaves the subscription code out of what an app that only reads jobs loads at startup', async () => {
    const app = await bundleApp(readingApp, distFiles.esm);
    // Bundled from the sources, the metafile names the modules that leak into the app.
    const fromSource = await bundleApp(readingApp, join(repoRoot, 'src/index.ts'));
    const followModules = fromSource.shippedModules.filter(
      (path) => path.includes('/follow/') || path.endsWith('/internal/sse.ts'),
    );
    console.info(
      `[size] an app reading jobs with JobStatusClient: ${app.startupGzipBytes} B min+gzip at ` +
        `startup, ${app.lazyGzipBytes} B more on demand (axios and zod external)`,
    );
    expect(
      markersIn(app.startup),
      `subscription modules shipped: ${followModules.join(', ')}`,
    ).toEqual([]);
    expect(markersIn(fromSource.startup)).toEqual([]);
  });

  it("leaves zod's schema compiler out of what a browser app loads at startup", async () => {
    const app = await bundleApp(readingApp, distFiles.esm);

    expect(app.all).toContain(schemaCompilerCall);
    expect(app.startup).not.toContain(schemaCompilerCall);
  });

  // The writes and the token calls (src/calls/) load through `import()` on first use.
  it('leaves the writes and the token calls out of what an app that only reads jobs loads at startup', async () => {
    const app = await bundleApp(readingApp, distFiles.esm);

    expect(callsMarkers.filter((marker) => app.all.includes(marker))).toEqual(callsMarkers);
    expect(callsMarkers.filter((marker) => app.startup.includes(marker))).toEqual([]);
  });

  // listJobs, listQueue, getJobsChangedSince and getJobStatus (src/pages/) load through `import()`.
  it('leaves the paged reads out of what an app that reads jobs loads at startup', async () => {
    const app = await bundleApp(readingApp, distFiles.esm);

    expect(pagesMarkers.filter((marker) => app.all.includes(marker))).toEqual(pagesMarkers);
    expect(pagesMarkers.filter((marker) => app.startup.includes(marker))).toEqual([]);
  });

  // Every lazy chunk and the entry import src/internal/entry-modules.ts, so the SDK code loaded at
  // startup is one shared chunk instead of a file per combination of chunks that use a module.
  it('loads the SDK at startup as one chunk beside the app', async () => {
    const app = await bundleApp(readingApp, distFiles.esm);

    expect(app.startupFileCount).toBe(2);
  });

  it('leaves the redirect rules out of what a browser app loads at startup', async () => {
    const app = await bundleApp(readingApp, distFiles.esm);

    expect(app.all).toContain(redirectRulesMarker);
    expect(app.startup).not.toContain(redirectRulesMarker);
  });
});

describe('the CommonJS build', () => {
  beforeAll(ensureBuilt);

  it('carries the redirect rules itself, for Node', () => {
    expect(readFileSync(distFiles.cjs, 'utf8')).toContain(redirectRulesMarker);
  });
});

describe('the global build for a script tag', () => {
  beforeAll(ensureBuilt);

  it("finds zod's compiler messages in a minified bundle that compiles a schema", async () => {
    const result = await build({
      stdin: {
        contents: "import * as z from 'zod/mini'; console.log(z.compile(z.string()));",
        resolveDir: repoRoot,
        loader: 'js',
      },
      bundle: true,
      minify: true,
      write: false,
      platform: 'browser',
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]?.text ?? '';

    expect(zodCompilerMessages.filter((message) => code.includes(message))).toEqual(
      zodCompilerMessages,
    );
  });

  it("leaves zod's schema compiler out", () => {
    const code = readFileSync(distFiles.global, 'utf8');

    expect(zodCompilerMessages.filter((message) => code.includes(message))).toEqual([]);
  });

  it('leaves the redirect rules out, as the browser follows redirects itself', () => {
    expect(readFileSync(distFiles.global, 'utf8')).not.toContain(redirectRulesMarker);
  });
});
