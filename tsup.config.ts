import { defineConfig, type Options } from 'tsup';
import type { Plugin } from 'esbuild';

// Three shapes of one SDK: ESM and CommonJS for Node and bundlers (dependencies external),
// and a self-contained minified IIFE that defines `window.JobStatus` for a script tag.
// `testing` is the `job-status-client/testing` subpath; msw is its optional peer dependency,
// so it stays external everywhere.
/**
 * Builds that do not split (CommonJS, the global script) gain nothing from the lazy `import()`
 * in src/follow/load.ts and pay for esbuild's lazy-init wrappers: load the follow code statically.
 */
const staticFollow: Plugin = {
  name: 'static-follow',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/]follow[\\/]load\.ts$/ }, () => ({
      loader: 'ts',
      contents:
        "import * as follow from './index';\nexport const loadFollow = () => Promise.resolve(follow);",
    }));
  },
};

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
  // loads only when one of those methods is first called.
  { ...shared, format: ['esm'], splitting: true },
  { ...shared, format: ['cjs'], splitting: false, esbuildPlugins: [staticFollow] },
  {
    entry: { 'job-status-client': 'src/global.ts' },
    format: ['iife'],
    globalName: 'JobStatus',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    sourcemap: true,
    noExternal: [/.*/],
    outExtension: () => ({ js: '.global.js' }),
    esbuildPlugins: [staticFollow],
  },
]);
