// Size budgets, checked by `npm run check:package` (scripts/check-package.sh) after a build.
// Every size is minified and gzipped (level 9), as a CDN or a server would send it. size-limit
// counts 1 KB as 1000 bytes, so the budgets are slightly stricter than in KiB.
module.exports = [
  {
    name: 'global build for a script tag (SDK + axios + zod/mini)',
    path: 'dist/job-status-client.global.js',
    gzip: true,
    // tsup already minified and bundled it: measure the file as shipped, not a re-bundle.
    disablePlugins: ['@size-limit/esbuild'],
    limit: '32 KB',
  },
  {
    name: "ESM entry, the SDK's own code (axios and zod external)",
    path: 'dist/index.js',
    ignore: ['axios', 'zod'],
    gzip: true,
    limit: '8 KB',
  },
];
