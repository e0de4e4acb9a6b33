import { readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** One file of the dashboard as the server sends it. */
export interface UiFile {
  contentType: string;
  body: string | Uint8Array;
}

/** The dashboard, built: its page and the hashed files the page loads from `/assets/`. */
export interface DashboardBundle {
  page: string;
  assets: ReadonlyMap<string, UiFile>;
}

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const dashboardDir = join(repoRoot, 'dashboard');

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * Bundles dashboard/ in memory with esbuild: its TSX, Preact, and the SDK from the sources of its
 * ESM build (`job-status-client` is its public entry, src/index.ts), split the way the ESM build
 * splits, so the follow code is a chunk of its own and zod's schema compiler, which a page never
 * runs, is never fetched. Done when the server first serves the page rather than by a build step,
 * so a fresh clone serves it straight after `npm install`; it takes a few hundred milliseconds.
 */
export async function bundleDashboard(): Promise<DashboardBundle> {
  const outdir = join(dashboardDir, 'assets');
  const result = await build({
    entryPoints: [join(dashboardDir, 'src/main.tsx'), join(dashboardDir, 'styles.css')],
    absWorkingDir: repoRoot,
    tsconfig: join(dashboardDir, 'tsconfig.json'),
    alias: { 'job-status-client': join(repoRoot, 'src/index.ts') },
    nodePaths: [join(repoRoot, 'server/node_modules')],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    legalComments: 'none',
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    outdir,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const assets = new Map<string, UiFile>();
  for (const file of result.outputFiles) {
    const contentType = CONTENT_TYPES[extname(file.path)];
    if (contentType) assets.set(basename(file.path), { contentType, body: file.contents });
  }
  const entryOutput = (entry: string) => {
    const found = Object.entries(result.metafile.outputs).find(
      ([, output]) => output.entryPoint === entry,
    );
    if (!found) throw new Error(`esbuild produced nothing for ${entry}`);
    return basename(found[0]);
  };
  const template = await readFile(join(dashboardDir, 'index.html'), 'utf8');
  const page = template
    .replace('/assets/main.js', `/assets/${entryOutput('dashboard/src/main.tsx')}`)
    .replace('/assets/styles.css', `/assets/${entryOutput('dashboard/styles.css')}`);
  return { page, assets };
}
