import { defineConfig, type Options } from 'tsup';
import type { Plugin } from 'esbuild';

// Three shapes of one SDK: ESM and CommonJS for Node and bundlers (dependencies external),
// and a self-contained minified IIFE that defines `window.JobStatus` for a script tag.
// `testing` is the `job-status-client/testing` subpath; msw is its optional peer dependency,
// so it stays external everywhere.
/** An esbuild plugin that gives the module at `file` (a path under src/) the source `contents`. */
function replaceModule(name: string, file: RegExp, contents: string): Plugin {
  return {
    name,
    setup(build) {
      build.onLoad({ filter: file }, () => ({ loader: 'ts', contents }));
    },
  };
}

/**
 * Builds that do not split (CommonJS, the global script) gain nothing from the lazy `import()`
 * in src/follow/load.ts and pay for esbuild's lazy-init wrappers: load the follow code statically.
 */
const staticFollow = replaceModule(
  'static-follow',
  /[\\/]src[\\/]follow[\\/]load\.ts$/,
  "import * as follow from './index';\nexport const loadFollow = () => Promise.resolve(follow);",
);

// The work queue (src/workers/load.ts): CommonJS loads it statically, for the same reason as the
// follow code. The global script leaves it out: a script tag cannot load it later, and workers
// run in Node or behind a bundler; there its methods reject with a message that says so.
const workersLoader = /[\\/]src[\\/]workers[\\/]load\.ts$/;
const staticWorkers = replaceModule(
  'static-workers',
  workersLoader,
  "import * as workers from './index';\nexport const loadWorkers = () => Promise.resolve(workers);",
);
const noWorkers = replaceModule(
  'no-workers',
  workersLoader,
  "export const loadWorkers = () => Promise.reject(new Error('The work queue (claimJobs, processJobs, scheduling fields) is not in the global script build: use the ESM or CommonJS build'));",
);

// zod's schema compiler (src/internal/schema-compiler) is for Node: CommonJS loads it
// statically; the global script for browsers leaves it out, and validates with the interpreter.
const schemaCompilerLoader = /[\\/]src[\\/]internal[\\/]schema-compiler[\\/]load\.ts$/;
const staticSchemaCompiler = replaceModule(
  'static-schema-compiler',
  schemaCompilerLoader,
  "import * as compiler from './compiler';\nexport const loadSchemaCompiler = () => Promise.resolve(compiler);",
);
const noSchemaCompiler = replaceModule(
  'no-schema-compiler',
  schemaCompilerLoader,
  'export const loadSchemaCompiler = () => Promise.resolve(undefined);',
);

// The redirect rules (src/internal/redirects): CommonJS loads them statically; the global script
// leaves them out, as its browser follows redirects before the SDK sees an answer.
const redirectsLoader = /[\\/]src[\\/]internal[\\/]redirects[\\/]load\.ts$/;
const staticRedirects = replaceModule(
  'static-redirects',
  redirectsLoader,
  "import * as redirects from './index';\nexport const loadRedirects = () => Promise.resolve(redirects);",
);
const noRedirects = replaceModule(
  'no-redirects',
  redirectsLoader,
  'export const loadRedirects = () => Promise.resolve(undefined);',
);

const entry = { index: 'src/index.ts', testing: 'src/testing/index.ts' };
const shared: Options = {
  entry,
  target: 'es2022',
  platform: 'neutral',
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  sourcemap: true,
  treeshake: true,
  external: ['msw'],
};

export default defineConfig([
  // ESM splits: the follow code (subscribe, waitForJob, iterateJobs) is a chunk that a bundler
  // loads only when one of those methods is first called, and zod's schema compiler one that
  // only Node loads.
  { ...shared, format: ['esm'], splitting: true },
  {
    ...shared,
    format: ['cjs'],
    splitting: false,
    esbuildPlugins: [staticFollow, staticWorkers, staticSchemaCompiler, staticRedirects],
  },
  {
    entry: { 'job-status-client': 'src/global.ts' },
    format: ['iife'],
    globalName: 'JobStatus',
    platform: 'browser',
    // The SDK itself needs ES2022 (Object.hasOwn, class fields): a lower target would only
    // transpile syntax, not make it run in older browsers.
    target: 'es2022',
    minify: true,
    sourcemap: true,
    noExternal: [/.*/],
    outExtension: () => ({ js: '.global.js' }),
    esbuildPlugins: [staticFollow, noWorkers, noSchemaCompiler, noRedirects],
  },
]);
