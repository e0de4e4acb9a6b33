import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
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

/**
 * dist/umd/ as a site serves it: the core file and its chunk files under /umd/, and the core file
 * alone under /umd-core-only/ (the page for a chunk that fails to load).
 */
async function umdFiles(): Promise<Record<string, StaticFile>> {
  const dir = dirname(distFiles.global);
  const files: Record<string, StaticFile> = {
    '/umd-core-only/job-status-client.js': javascript(await readFile(distFiles.global)),
  };
  for (const file of await readdir(dir)) {
    if (file.endsWith('.js')) files[`/umd/${file}`] = javascript(await readFile(join(dir, file)));
  }
  return files;
}

/** dist/umd/job-status-client.js by script tag: the build for pages without a bundler. */
export const globalBuild: PageBuild = {
  name: 'UMD build by script tag',
  page: '/global.html',
  async files() {
    const script = (src: string) =>
      html(`<script src="${src}"></script><script>window.sdk = window.JobStatus;</script>`);
    return {
      ...(await umdFiles()),
      '/global.html': script('/umd/job-status-client.js'),
      '/global-core-only.html': script('/umd-core-only/job-status-client.js'),
    };
  },
};

/**
 * A small AMD loader that loads the UMD file as RequireJS does: `define.amd` is set, a module is
 * a script whose anonymous `define(deps, factory)` runs when it loads, a dependency is another
 * module or one of the special `require` (a require whose relative ids resolve against the
 * module's id) and `module` (its `id` and `uri`), an id ending in `.js` is a URL, and
 * `require(ids, callback, errback)` calls the errback when a script fails to load. Written here
 * so that the test needs no CDN and no loader package.
 */
const amdLoader = (moduleUri: boolean) => `
(function () {
  var modules = {};
  var defined;
  function define(deps, factory) {
    defined = typeof deps === 'function' ? { deps: [], factory: deps } : { deps: deps, factory: factory };
  }
  define.amd = {};
  function resolve(id, base) {
    if (id.charAt(0) !== '.') return id;
    var parts = base.split('/');
    parts.pop();
    id.split('/').forEach(function (part) {
      if (part === '..') parts.pop();
      else if (part !== '.') parts.push(part);
    });
    return parts.join('/');
  }
  function load(id) {
    if (!modules[id]) {
      modules[id] = new Promise(function (resolveModule, reject) {
        var script = document.createElement('script');
        script.src = /\\.js$/.test(id) ? id : id + '.js';
        script.onload = function () {
          var module = defined;
          defined = undefined;
          if (!module) return reject(new Error(id + ' called no define()'));
          Promise.all(module.deps.map(function (dep) {
            if (dep === 'require') return localRequire(id);
            if (dep === 'module') return ${moduleUri ? '{ id: id, uri: script.src }' : '{ id: id }'};
            return load(resolve(dep, id));
          })).then(function (deps) {
            resolveModule(module.factory.apply(null, deps));
          }, reject);
        };
        script.onerror = function () {
          delete modules[id];
          reject(new Error('Script error for "' + id + '"'));
        };
        document.head.appendChild(script);
      });
    }
    return modules[id];
  }
  function localRequire(base) {
    return function (ids, callback, errback) {
      Promise.all(ids.map(function (id) { return load(resolve(id, base)); })).then(function (loaded) {
        callback.apply(null, loaded);
      }, errback);
    };
  }
  window.define = define;
  window.require = localRequire('');
})();
`;

/**
 * A page that loads `id` through the AMD loader and hands the module to the tests; without
 * `moduleUri`, its `module` has no `uri` (as in loaders other than RequireJS).
 */
const amdPage = (id: string, moduleUri = true) =>
  html(
    `<script>${amdLoader(moduleUri)}</script>` +
      `<script>require(["${id}"], function (sdk) {` +
      ' window.loadedBy = { amd: true, globalDefined: "JobStatus" in window };' +
      ' window.sdk = sdk;' +
      '});</script>',
  );

/** dist/umd/job-status-client.js through an AMD loader: the UMD file's `define` branch. */
export const amdBuild: PageBuild = {
  name: 'UMD build through an AMD loader',
  page: '/amd.html',
  async files() {
    return {
      ...(await umdFiles()),
      '/amd.html': amdPage('/umd/job-status-client'),
      '/amd-core-only.html': amdPage('/umd-core-only/job-status-client'),
      '/amd-without-module-uri.html': amdPage('/umd/job-status-client', false),
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
