import { defineConfig } from 'tsup';

// Three shapes of one SDK: ESM and CommonJS for Node and bundlers (dependencies external),
// and a self-contained minified IIFE that defines `window.JobStatus` for a script tag.
// `testing` is the `job-status-client/testing` subpath; msw is its optional peer dependency,
// so it stays external everywhere.
const entry = { index: 'src/index.ts', testing: 'src/testing/index.ts' };
const shared = {
  entry,
  target: 'es2022',
  platform: 'neutral',
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  sourcemap: true,
  treeshake: true,
  external: ['msw'],
} as const;

export default defineConfig([
  // ESM splits: the follow code (subscribe, waitForJob, iterateJobs) is a chunk that a bundler
  // loads only when one of those methods is first called.
  { ...shared, format: ['esm'], splitting: true },
  { ...shared, format: ['cjs'], splitting: false },
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
  },
]);
