/**
 * The UMD build (dist/umd/): a core file for a script tag, an AMD loader or `require()`, and one
 * file per lazily loaded chunk beside it.
 *
 * esbuild has neither a UMD format nor code splitting outside ESM, so the build has two steps:
 *
 * 1. esbuild bundles src/global.ts as ESM with splitting, exactly as for a bundler: every
 *    `import()` in src/ becomes a chunk, code shared by the core and a chunk goes to a shared
 *    chunk, and no module is in two outputs.
 * 2. In each output, a dynamic `import("./x.js")` becomes a call of a small registry's loader.
 *    The outputs the entry imports statically are bundled again into one scope, the core file,
 *    which hands the registry the names chunks import from them. Every other output gets a file
 *    of its own, fetched on first use, in which esbuild turns its ESM `import`/`export` into
 *    `require()`/`module.exports` of the registry.
 *
 * So a chunk runs against the core's own modules (one copy of each class), and any new
 * `import()` in src/ gets a chunk file without a change here.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { build, transform, type Metafile, type Plugin } from 'esbuild';

/** The core file's name; chunk files are named `${CORE}.<esbuild's chunk name>`. */
const CORE = 'job-status-client';
const outDir = 'dist/umd';

/** Where the core's code goes in the minified wrapper: a call that keeps the registry's names. */
const CORE_PLACEHOLDER = '__JSC_CORE__';

/** How long a chunk may take to load before the call that needs it fails. */
const CHUNK_TIMEOUT_MS = 30_000;

// The expression of the global object in every file: a script tag's `window`, a worker's `self`.
const root = "typeof globalThis!='undefined'?globalThis:typeof self!='undefined'?self:this";

/**
 * The core file's wrapper. `factory(loadFile)` runs the registry; `loadFile(name)` fetches the
 * chunk file `name` the way the environment loads scripts and resolves to `{ url, factories }`
 * (the modules it defines), or rejects with `{ url, message }`:
 * - AMD: through the loader's own `require`, by the file's URL when the loader gives one
 *   (RequireJS's `module.uri`), else by an id relative to the core's;
 * - CommonJS: `require()` of the sibling file;
 * - a script tag: a script element beside the core's own URL (`document.currentScript`, which is
 *   only set while the core runs), whose file hands its modules over in `JobStatusChunks`.
 */
const coreWrapper = (body: string) => `
(function (root, factory) {
  function failure(url, error) {
    return { url: url, message: String((error && error.message) || error).split('\\n')[0] };
  }
  if (typeof define === 'function' && define.amd) {
    define(['require', 'module'], function (localRequire, module) {
      return factory(function (name) {
        var base = module && module.uri;
        var id = base
          ? new URL(name, new URL(base, typeof document === 'object' ? document.baseURI : undefined)).href
          : './' + name.replace(/\\.js$/, '');
        return new Promise(function (resolve, reject) {
          localRequire([id], function (factories) {
            resolve({ url: id, factories: factories });
          }, function (error) {
            reject(failure(id, error));
          });
        });
      });
    });
  } else if (typeof module === 'object' && module.exports) {
    module.exports = factory(function (name) {
      var path = (typeof __dirname === 'string' ? __dirname + '/' : './') + name;
      return new Promise(function (resolve, reject) {
        try {
          resolve({ url: path, factories: require('./' + name) });
        } catch (error) {
          reject(failure(path, error));
        }
      });
    });
  } else {
    var script = typeof document === 'object' ? document.currentScript : null;
    var chunks = root.JobStatusChunks || (root.JobStatusChunks = {});
    root.JobStatus = factory(function (name) {
      return new Promise(function (resolve, reject) {
        if (!script || !script.src) {
          return reject({
            url: name,
            message: 'the SDK was not loaded by a script element with a src, so its chunks have no URL',
          });
        }
        var url = new URL(name, script.src).href;
        var element = document.createElement('script');
        element.src = url;
        if (script.crossOrigin) element.crossOrigin = script.crossOrigin;
        if (script.nonce) element.nonce = script.nonce;
        element.onload = function () {
          var factories = chunks[name];
          delete chunks[name];
          element.remove();
          resolve({ url: url, factories: factories });
        };
        element.onerror = function () {
          element.remove();
          reject({ url: url, message: 'the script did not load' });
        };
        document.head.appendChild(element);
      });
    });
  }
})(${root}, function (loadFile) {
${body}
});
`;

/** The chunk file `file`: its modules, for whichever loader fetched it. */
const chunkWrapper = (file: string, modules: string) => `
(function (root, factories) {
  if (typeof define === 'function' && define.amd) define([], factories);
  else if (typeof module === 'object' && module.exports) module.exports = factories();
  else (root.JobStatusChunks || (root.JobStatusChunks = {}))[${JSON.stringify(file)}] = factories();
})(${root}, function () {
  return {${modules}};
});
`;

/**
 * The registry inside the core's factory, around the core's code (at `CORE_PLACEHOLDER`, spliced
 * in after minification so that its source map only moves), which hands it the
 * entry's exports and what chunks import from the core's other outputs (`__jscRegister`). `deps` maps a
 * chunk to the other chunk files it needs first. A failed load rejects the call with the SDK's
 * ConnectionError naming the file, and is retried on the next call.
 */
const registry = (deps: Record<string, string[]>, entry: string) => `
var exported = {};
var factories = {};
var deps = ${JSON.stringify(deps)};
var loading = {};
function __jscRegister(namespaces) {
  for (var name in namespaces) exported[name] = namespaces[name];
}
function __jscGetters(getters) {
  var namespace = {};
  for (var name in getters) Object.defineProperty(namespace, name, { get: getters[name], enumerable: true });
  return namespace;
}
function load(name) {
  name = name.replace(/^\\.\\//, '');
  if (!exported[name]) {
    var module = { exports: {} };
    factories[name](load, module, module.exports, __jscImp);
    exported[name] = module.exports;
  }
  return exported[name];
}
function fetchFile(name) {
  if (exported[name] || factories[name]) return Promise.resolve();
  return loading[name] || (loading[name] = new Promise(function (resolve, reject) {
    var timer = setTimeout(function () {
      reject({ url: name, message: 'no answer within ${CHUNK_TIMEOUT_MS / 1000} s' });
    }, ${CHUNK_TIMEOUT_MS});
    loadFile(${JSON.stringify(`${CORE}.`)} + name).then(function (file) {
      clearTimeout(timer);
      if (!file.factories || !file.factories[name]) {
        return reject({ url: file.url, message: 'the file holds no part of this build of the SDK' });
      }
      for (var key in file.factories) if (!factories[key]) factories[key] = file.factories[key];
      resolve();
    }, function (failure) {
      clearTimeout(timer);
      reject(failure);
    });
  }).catch(function (failure) {
    delete loading[name];
    throw failure;
  }));
}
function __jscImp(name) {
  return Promise.all([name].concat(deps[name] || []).map(fetchFile)).then(function () {
    return load(name);
  }, function (failure) {
    var error = new exported[${JSON.stringify(entry)}].ConnectionError({
      cause: { name: 'ChunkLoadError', message: failure.message },
    });
    error.message = 'Could not load ' + failure.url + ', a part of the SDK: ' + failure.message;
    throw error;
  });
}
${CORE_PLACEHOLDER}(__jscRegister, __jscGetters, __jscImp);
return exported[${JSON.stringify(entry)}];
`;

/**
 * An output of step 1 with each `import("./x.js")` turned into a call of the registry's loader,
 * `__jscImp("x.js")`: as long as the import, so that the output's inline source map stays right.
 */
function withChunkLoader(code: string, output: Metafile['outputs'][string]): string {
  let source = code;
  for (const { path, kind } of output.imports) {
    if (kind !== 'dynamic-import') continue;
    const call = `import("./${basename(path)}")`;
    if (!source.includes(call)) throw new Error(`build-umd: ${call} not found in its output`);
    source = source.replaceAll(call, `__jscImp(${JSON.stringify(basename(path))})`);
  }
  return source;
}

/**
 * The names an output of step 1 imports from each other output: esbuild prints every static
 * import of a chunk as `import{a as b,c}from"./chunk.js";` (or `import"./chunk.js";`). Every
 * static import the metafile lists must be found, or the build fails.
 */
function importedNames(code: string, output: Metafile['outputs'][string]): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const [, clause, from] of code.matchAll(
    /\bimport\s*(?:\{([^}]*)\}\s*from\s*)?"\.\/([\w.-]+\.js)"/g,
  )) {
    const names = (clause ?? '')
      .split(',')
      .map((item) => item.trim().split(/\s+as\s+/)[0]!)
      .filter((name) => name !== '');
    found.set(from!, [...(found.get(from!) ?? []), ...names]);
  }
  for (const { path, kind } of output.imports) {
    if (kind === 'import-statement' && !found.has(basename(path))) {
      throw new Error(`build-umd: the import of ${path} was not found in its output`);
    }
  }
  return found;
}

const noImportLeft = (code: string) => {
  if (/\bimport\s*\(\s*["'`]/.test(code)) {
    throw new Error('build-umd: an import() the registry does not handle is left in an output');
  }
  return code;
};

/** A chunk's output as a registry module: `function (require, module, exports, loadChunk)`. */
async function toRegistryModule(
  code: string,
  output: Metafile['outputs'][string],
): Promise<string> {
  const source = withChunkLoader(code, output).replace(/\n\/\/# sourceMappingURL=.*\n?$/, '\n');
  const { code: cjs } = await transform(source, { format: 'cjs', target: 'es2022', minify: true });
  return `function(require,module,exports,__jscImp){${noImportLeft(cjs)}}`;
}

/** The outputs `from` loads before it runs: itself and its static imports, transitively. */
function staticClosure(metafile: Metafile, from: string): string[] {
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const { path: imported, kind } of metafile.outputs[path]?.imports ?? []) {
      if (kind === 'import-statement') visit(imported);
    }
  };
  visit(from);
  return [...seen];
}

interface SourceMap {
  mappings: string;
  [field: string]: unknown;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The first value of a source map segment (VLQ) and the rest of the mappings after it. */
function splitFirstValue(mappings: string): [number, string] {
  let value = 0;
  let shift = 0;
  for (let i = 0; i < mappings.length; i += 1) {
    const digit = BASE64.indexOf(mappings[i]!);
    value += (digit & 31) << shift;
    shift += 5;
    if ((digit & 32) === 0) {
      return [value & 1 ? -(value >> 1) : value >> 1, mappings.slice(i + 1)];
    }
  }
  throw new Error('build-umd: a source map segment ends early');
}

function encodeValue(value: number): string {
  let rest = value < 0 ? (-value << 1) | 1 : value << 1;
  let out = '';
  do {
    let digit = rest & 31;
    rest >>>= 5;
    if (rest > 0) digit |= 32;
    out += BASE64[digit];
  } while (rest > 0);
  return out;
}

/**
 * The source map of code that now starts at `line`, `column` of its file: generated columns are
 * relative within a line except for the first segment's, so only that one moves, and the lines
 * before it are empty.
 */
function shiftSourceMap(map: SourceMap, line: number, column: number): SourceMap {
  let { mappings } = map;
  if (column > 0 && mappings !== '' && !mappings.startsWith(';')) {
    const [first, rest] = splitFirstValue(mappings);
    mappings = encodeValue(first + column) + rest;
  }
  return { ...map, mappings: ';'.repeat(line) + mappings };
}

const minify = async (code: string) =>
  (await transform(code, { minify: true, target: 'es2022' })).code;

export interface UmdOptions {
  entry: string;
  define: Record<string, string>;
  plugins: Plugin[];
}

/** Builds dist/umd/: the core file and its chunk files (without declarations and manifest). */
export async function buildUmd({ entry, define, plugins }: UmdOptions): Promise<void> {
  const result = await build({
    entryPoints: { [CORE]: entry },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    // The SDK itself needs ES2022 (Object.hasOwn, class fields): a lower target would only
    // transpile syntax, not make it run in older browsers.
    target: 'es2022',
    minify: true,
    define,
    plugins,
    outdir: outDir,
    entryNames: '[name]',
    chunkNames: '[name]-[hash]',
    // Read by the core's second bundling, which chains them into the core file's source map.
    sourcemap: 'inline',
    write: false,
    metafile: true,
    logLevel: 'warning',
  });
  await mkdir(outDir, { recursive: true });
  await removeUmdChunks();
  const texts = new Map(result.outputFiles.map((file) => [file.path, file.text]));
  const outputs = result.metafile.outputs;
  const textOf = (path: string) => {
    const text = [...texts].find(([absolute]) => absolute.endsWith(`/${path}`))?.[1];
    if (text === undefined) throw new Error(`build-umd: no output ${path}`);
    return text;
  };
  const paths = Object.keys(outputs).filter((path) => path.endsWith('.js'));
  const entryPath = paths.find((path) => outputs[path]?.entryPoint !== undefined);
  if (!entryPath) throw new Error('build-umd: esbuild produced no entry output');
  const core = new Set(staticClosure(result.metafile, entryPath));
  const moduleOf = async (path: string) =>
    `${JSON.stringify(basename(path))}:${await toRegistryModule(textOf(path), outputs[path]!)}`;

  const deps: Record<string, string[]> = {};
  // The names chunks import from each of the core's outputs: the core hands only those over.
  const imported = new Map<string, Set<string>>();
  for (const path of paths) {
    if (core.has(path)) continue;
    const name = basename(path);
    const closure = staticClosure(result.metafile, path);
    const needed = closure.filter((p) => p !== path && !core.has(p));
    if (needed.length > 0) deps[name] = needed.map((p) => basename(p));
    for (const [from, names] of importedNames(textOf(path), outputs[path]!)) {
      const output = paths.find((p) => basename(p) === from);
      if (output === undefined || !core.has(output)) continue;
      const set = imported.get(output) ?? new Set<string>();
      for (const each of names) set.add(each);
      imported.set(output, set);
    }
    const file = `${CORE}.${name}`;
    await writeFile(`${outDir}/${file}`, await minify(chunkWrapper(file, await moduleOf(path))));
  }
  const bundled = await bundleCore(entryPath, imported, core);
  const wrapper = await minify(coreWrapper(registry(deps, basename(entryPath))));
  const call = new RegExp(`${CORE_PLACEHOLDER}\\(([\\w$]+),([\\w$]+),([\\w$]+)\\)`).exec(wrapper);
  if (!call) throw new Error('build-umd: the place of the core was not found in its wrapper');
  const head = `${wrapper.slice(0, call.index)}((__jscRegister,__jscGetters,__jscImp)=>{`;
  const tail = `})(${call.slice(1).join(',')})${wrapper.slice(call.index + call[0].length)}`;
  const lines = head.split('\n');
  const map = shiftSourceMap(bundled.map, lines.length - 1, lines.at(-1)!.length);
  await writeFile(`${outDir}/${CORE}.js.map`, JSON.stringify({ ...map, file: `${CORE}.js` }));
  await writeFile(
    `${outDir}/${CORE}.js`,
    `${head}${bundled.code}${tail.trimEnd()}\n//# sourceMappingURL=${CORE}.js.map\n`,
  );

  /**
   * The core's outputs bundled again into one scope (esbuild's IIFE), as one file needs no
   * module boundaries between them, plus a call that registers the entry's exports and, for each
   * output in `imported`, a getter of each name that chunks import from it.
   */
  async function bundleCore(
    entryPath: string,
    imported: Map<string, Set<string>>,
    core: Set<string>,
  ) {
    const lines = [`import * as entry from './${basename(entryPath)}';`];
    const registered = [`${JSON.stringify(basename(entryPath))}: entry`];
    [...imported].forEach(([path, names], i) => {
      const list = [...names];
      lines.push(
        `import { ${list.map((name, j) => `${name} as m${i}_${j}`).join(', ')} } from './${basename(path)}';`,
      );
      const getters = list.map((name, j) => `${name}: () => m${i}_${j}`).join(', ');
      registered.push(`${JSON.stringify(basename(path))}: __jscGetters({ ${getters} })`);
    });
    const start = `${lines.join('\n')}\n__jscRegister({ ${registered.join(', ')} });`;
    const byName = new Map([...core].map((path) => [basename(path), path]));
    const outputsPlugin: Plugin = {
      name: 'umd-core-outputs',
      setup(build) {
        build.onResolve({ filter: /^umd:core$/ }, () => ({ path: 'core', namespace: 'umd' }));
        build.onResolve({ filter: /^\.\/[\w.-]+\.js$/ }, ({ path }) => {
          const output = byName.get(path.slice(2));
          if (!output) throw new Error(`build-umd: the core imports ${path}, not a core output`);
          return { path: output, namespace: 'umd' };
        });
        build.onLoad({ filter: /.*/, namespace: 'umd' }, ({ path }) => ({
          contents: path === 'core' ? start : withChunkLoader(textOf(path), outputs[path]!),
          loader: 'js',
        }));
      },
    };
    const bundled = await build({
      entryPoints: ['umd:core'],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      minify: true,
      sourcemap: 'external',
      outdir: outDir,
      write: false,
      plugins: [outputsPlugin],
      logLevel: 'warning',
    });
    const js = bundled.outputFiles.find((file) => file.path.endsWith('.js'));
    const map = bundled.outputFiles.find((file) => file.path.endsWith('.js.map'));
    if (!js || !map) throw new Error('build-umd: the core bundle has no code or no source map');
    const code = js.text.replace(/\n\/\/# sourceMappingURL=.*\n?$/, '');
    return { code: noImportLeft(code), map: JSON.parse(map.text) as SourceMap };
  }
}

/** The chunk files of dist/umd/ (every `${CORE}.*.js`). */
export async function umdChunkFiles(dir = outDir): Promise<string[]> {
  return (await readdir(dir)).filter((file) => file.startsWith(`${CORE}.`) && file.endsWith('.js'));
}

/** Removes the chunk files of an earlier build. */
export async function removeUmdChunks(dir = outDir): Promise<void> {
  for (const file of await umdChunkFiles(dir).catch(() => [])) await rm(`${dir}/${file}`);
}
