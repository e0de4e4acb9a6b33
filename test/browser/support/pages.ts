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

/** dist/umd/job-status-client.js by script tag: the build for pages without a bundler. */
export const globalBuild: PageBuild = {
  name: 'UMD build by script tag',
  page: '/global.html',
  async files() {
    return {
      '/umd/job-status-client.js': javascript(await readFile(distFiles.global)),
      '/global.html': html(
        '<script src="/umd/job-status-client.js"></script>' +
          '<script>window.sdk = window.JobStatus;</script>',
      ),
    };
  },
};

/**
 * The smallest AMD loader that loads the UMD file as RequireJS would: `define.amd` is set, a
 * module is a script whose anonymous `define([], factory)` runs when it loads, and
 * `require([names], callback)` hands the factories' results to the callback. Written here so
 * that the test needs no CDN and no loader package.
 */
const amdLoader = `
(function () {
  var modules = {};
  var defined;
  function define(deps, factory) {
    defined = typeof deps === 'function' ? { deps: [], factory: deps } : { deps: deps, factory: factory };
  }
  define.amd = {};
  function load(name) {
    if (!modules[name]) {
      modules[name] = new Promise(function (resolve, reject) {
        var script = document.createElement('script');
        script.src = name + '.js';
        script.onload = function () {
          var module = defined;
          defined = undefined;
          if (!module) return reject(new Error(name + ' called no define()'));
          Promise.all(module.deps.map(load)).then(function (deps) {
            resolve(module.factory.apply(null, deps));
          }, reject);
        };
        script.onerror = function () { reject(new Error('cannot load ' + name)); };
        document.head.appendChild(script);
      });
    }
    return modules[name];
  }
  window.define = define;
  window.require = function (names, callback) {
    Promise.all(names.map(load)).then(function (loaded) { callback.apply(null, loaded); });
  };
})();
`;

/** dist/umd/job-status-client.js through an AMD loader: the UMD file's `define` branch. */
export const amdBuild: PageBuild = {
  name: 'UMD build through an AMD loader',
  page: '/amd.html',
  async files() {
    return {
      '/umd/job-status-client.js': javascript(await readFile(distFiles.global)),
      '/amd.html': html(
        `<script>${amdLoader}</script>` +
          '<script>require(["/umd/job-status-client"], function (sdk) {' +
          ' window.loadedBy = { amd: true, globalDefined: "JobStatus" in window };' +
          ' window.sdk = sdk;' +
          '});</script>',
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
