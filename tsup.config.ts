import { defineConfig } from 'tsup';

// Three shapes of one SDK: ESM and CommonJS for Node and bundlers (dependencies external),
// and a self-contained minified IIFE that defines `window.JobStatus` for a script tag.
export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    target: 'es2022',
    platform: 'neutral',
    dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
    sourcemap: true,
    clean: true,
    treeshake: true,
    splitting: false,
  },
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
