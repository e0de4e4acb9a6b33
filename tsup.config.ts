import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { defineConfig, type Options } from 'tsup';
import type { Plugin } from 'esbuild';
import { buildUmd } from './scripts/build-umd';

// Three shapes of one SDK: ESM and CommonJS for Node and bundlers (dependencies external),
// and a self-contained minified UMD build for a script tag (`window.JobStatus`), an AMD loader
// or `require()`: a core file and the chunk files it loads on first use, beside it.
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
 * The CommonJS build does not split, so it gains nothing from the lazy `import()`
 * in src/follow/load.ts and pay for esbuild's lazy-init wrappers: load the follow code statically.
 * The same holds for the client's writes and token calls (src/calls/load.ts) and its paged reads
 * (src/pages/load.ts), which every such build loads statically with the follow code.
 */
const staticFollow: Plugin = {
  name: 'static-follow',
  setup(build) {
    replaceModule(
      'static-follow',
      /[\\/]src[\\/]follow[\\/]load\.ts$/,
      "import * as follow from './index';\nexport const loadFollow = () => Promise.resolve(follow);",
    ).setup(build);
    replaceModule(
      'static-calls',
      /[\\/]src[\\/]calls[\\/]load\.ts$/,
      "import * as calls from './index';\nexport const loadCalls = () => Promise.resolve(calls);",
    ).setup(build);
    replaceModule(
      'static-pages',
      /[\\/]src[\\/]pages[\\/]load\.ts$/,
      "import * as pages from './index';\nexport const loadPages = () => Promise.resolve(pages);",
    ).setup(build);
  },
};

// The work queue (src/workers/load.ts): CommonJS loads it statically, for the same reason as the
// follow code.
const workersLoader = /[\\/]src[\\/]workers[\\/]load\.ts$/;
const staticWorkers = replaceModule(
  'static-workers',
  workersLoader,
  "import * as workers from './index';\nexport const loadWorkers = () => Promise.resolve(workers);",
);
// zod's schema compiler (src/internal/schema-compiler) is for Node: CommonJS loads it
// statically; the UMD build for browsers leaves it out, and validates with the interpreter.
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

// The redirect rules (src/internal/redirects): CommonJS loads them statically; the UMD build
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

/**
 * Builds dist/umd/ (scripts/build-umd.ts: the core file and a file per lazy chunk), then adds a
 * package.json that makes Node read the file as CommonJS
 * (the package is `"type": "module"`), the declarations (the CommonJS build's, without its
 * default export, plus the `JobStatus` global for scripts), and the names of the exports in the
 * form Node's CommonJS lexer reads (`0&&(module.exports={…})`, never run), so that
 * `import { JobStatusClient } from 'job-status-client/umd'` works in Node too.
 */
async function completeUmd(): Promise<void> {
  const file = 'dist/umd/job-status-client.js';
  await buildUmd({
    entry: 'src/global.ts',
    define,
    // Every other `import()` of src/ is a chunk file of the UMD build.
    plugins: [noSchemaCompiler, noRedirects],
  });
  await writeFile('dist/umd/package.json', '{ "type": "commonjs" }\n');
  await writeFile(
    'dist/umd/job-status-client.d.ts',
    "export * from '../index.cjs';\nexport as namespace JobStatus;\n",
  );
  const names = Object.keys(createRequire(import.meta.url)(`./${file}`) as object);
  const code = await readFile(file, 'utf8');
  const mapComment = code.lastIndexOf('\n//# sourceMappingURL=');
  const hint = `\n0&&(module.exports={${names.join(',')}});`;
  await writeFile(file, code.slice(0, mapComment) + hint + code.slice(mapComment));
}

// The version the User-Agent names (src/internal/version.ts), written in at build time.
const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
const define = { __SDK_VERSION__: JSON.stringify(version) };

const entry = { index: 'src/index.ts', testing: 'src/testing/index.ts' };
const shared: Options = {
  entry,
  target: 'es2022',
  platform: 'neutral',
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  sourcemap: true,
  treeshake: true,
  external: ['msw'],
  define,
};

// The `jss` command line (package.json `bin`), for Node only. Its libraries are bundled in, so
// they stay devDependencies and SDK users install nothing for it; the SDK is imported by the
// package's own name (a self-reference), so the bin runs on dist/index.js, not a second copy.
const cli: Options = {
  entry: { cli: 'cli/main.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  // Mostly commander: minified, the bin is about half the size in the tarball.
  minify: true,
  sourcemap: true,
  external: ['job-status-client', '@colors/colors'],
  noExternal: ['commander', 'picocolors', 'cli-table3', 'string-width'],
  // The bundled libraries are CommonJS and require Node's modules, which an ES module lacks.
  banner: {
    js: "import { createRequire as __jssCreateRequire } from 'node:module';\nconst require = __jssCreateRequire(import.meta.url);",
  },
};

export default defineConfig([
  // ESM splits: the follow code (subscribe, waitForJob, iterateJobs) is a chunk that a bundler
  // loads only when one of those methods is first called, and zod's schema compiler one that
  // only Node loads.
  // The UMD build (dist/umd/, scripts/build-umd.ts) runs after it, as it is built in the same way.
  { ...shared, format: ['esm'], splitting: true, onSuccess: completeUmd },
  {
    ...shared,
    format: ['cjs'],
    splitting: false,
    esbuildPlugins: [staticFollow, staticWorkers, staticSchemaCompiler, staticRedirects],
  },
  cli,
]);
