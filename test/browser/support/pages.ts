import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { distFiles, repoRoot } from '../../package/support/build';
import type { StaticFile } from './static-server';

/** A build of the SDK as a page loads it: the files to serve and the page to open. */
export interface PageBuild {
  name: string;
  /** Path of the HTML page on the static server. */
  page: string;
  files(): Promise<Record<string, StaticFile>>;
}

const html = (body: string): StaticFile => ({
  contentType: 'text/html; charset=utf-8',
  body: `<!doctype html><html><head><meta charset="utf-8"><title>jss</title></head><body>${body}</body></html>`,
});

const javascript = (body: string | Buffer): StaticFile => ({
  contentType: 'text/javascript; charset=utf-8',
  body,
});

/** dist/job-status-client.global.js by script tag: the build for pages without a bundler. */
export const globalBuild: PageBuild = {
  name: 'global build (script tag)',
  page: '/global.html',
  async files() {
    return {
      '/job-status-client.global.js': javascript(await readFile(distFiles.global)),
      '/global.html': html(
        '<script src="/job-status-client.global.js"></script>' +
          '<script>window.sdk = window.JobStatus;</script>',
      ),
    };
  },
};

/** The package's ESM entry as resolved through its `exports` map (`import` condition). */
async function packageEsmEntry(): Promise<string> {
  const manifest = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
    exports: { '.': { import: { default: string } } };
  };
  return join(repoRoot, manifest.exports['.'].import.default);
}

/** An app's bundle: test/browser/fixtures/esm-entry.ts bundled by esbuild for the browser. */
export const esmBuild: PageBuild = {
  name: 'ESM build (bundled by esbuild)',
  page: '/esm.html',
  async files() {
    const entry = await packageEsmEntry();
    const result = await build({
      entryPoints: [join(repoRoot, 'test/browser/fixtures/esm-entry.ts')],
      absWorkingDir: repoRoot,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2020',
      write: false,
      metafile: true,
      logLevel: 'silent',
      // The alias wins over tsconfig `paths` (which point at src/ for type checking).
      alias: { 'job-status-client': entry },
    });
    const inputs = Object.keys(result.metafile.inputs);
    const fromSource = inputs.filter((input) => input.startsWith('src/'));
    if (!inputs.includes(relative(repoRoot, entry)) || fromSource.length > 0) {
      throw new Error(
        `the ESM bundle must come from ${entry}, not from src/: ${inputs.join(', ')}`,
      );
    }
    const [output] = result.outputFiles;
    if (!output) throw new Error('esbuild produced no output');
    return {
      '/esm-bundle.js': javascript(output.text),
      '/esm.html': html('<script type="module" src="/esm-bundle.js"></script>'),
    };
  },
};
