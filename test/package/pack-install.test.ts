import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../server/src/index';
import { repoRoot } from './support/build';
import { freshCheckout } from './support/checkout';
import { quietInstallFlags, runCommand } from './support/run';

/** The entry of `npm pack --json` this test reads. */
interface PackResult {
  filename: string;
  files: { path: string }[];
}

/** A client constructed the way a consumer would, and what the module exposes. */
const probe = `
  const client = new sdk.JobStatusClient({ baseURL: 'http://127.0.0.1:9/jss', user: 'smoke' });
  console.log(JSON.stringify({
    exports: Object.keys(sdk).sort(),
    clientMethods: ['createJob', 'getJob', 'updateJob', 'getJobs', 'subscribe', 'waitForJob']
      .filter((name) => typeof client[name] === 'function'),
    notFoundIsJobStatusError: sdk.NotFoundError.prototype instanceof sdk.JobStatusError,
  }));
`;

const expectedMethods = ['createJob', 'getJob', 'updateJob', 'getJobs', 'subscribe', 'waitForJob'];

/** A consumer written in TypeScript; `@ts-expect-error` fails the check if the types are `any`. */
const typedConsumer = (importLine: string) => `${importLine}

const client = new JobStatusClient({ baseURL: 'http://127.0.0.1:9/jss', user: 'smoke' });
export const reading: Promise<Job> = client.getJob('abc');
export const finished: Promise<Job> = client.waitForJob('abc', { timeout: 1000 });
export const isError = (error: unknown): boolean => error instanceof NotFoundError;

// @ts-expect-error baseURL must be a string
export const wrong = new JobStatusClient({ baseURL: 42, user: 'smoke' });
`;

/**
 * Type-checks one consumer file with the repository's own tsc under `nodenext` resolution (so
 * `.mts` reads the `import` condition's `.d.ts` and `.cts` the `require` condition's `.d.cts`),
 * and resolves with tsc's output, which is empty when there is no error.
 */
async function typeCheck(app: string, file: string, source: string): Promise<string> {
  await writeFile(join(app, file), source);
  const project = `tsconfig.${file}.json`;
  await writeFile(
    join(app, project),
    JSON.stringify({
      compilerOptions: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        lib: ['es2022', 'dom'],
        // A consumer without @types/node: the declarations must not lean on Node's types.
        types: [],
        strict: true,
        noEmit: true,
      },
      files: [file],
    }),
  );
  const tsc = join(repoRoot, 'node_modules/.bin/tsc');
  const { stdout } = await runCommand(tsc, ['-p', project], { cwd: app });
  return stdout;
}

/**
 * The entry of `npm pack --json`'s output. npm prints the lifecycle scripts' output (the
 * `prepack` build) on stdout too, before the JSON array.
 */
function packResultOf(stdout: string): PackResult {
  const start = stdout.search(/^\[/m);
  if (start < 0) throw new Error(`npm pack printed no JSON:\n${stdout}`);
  const [result] = JSON.parse(stdout.slice(start)) as [PackResult];
  return result;
}

describe('the tarball packed from a fresh checkout, installed into an empty project', () => {
  let workDir: string;
  let checkout: string;
  let distBeforePacking: boolean;
  let app: string;
  let packed: PackResult;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'jsc-pack-'));
    checkout = await freshCheckout(join(workDir, 'checkout'));
    distBeforePacking = existsSync(join(checkout, 'dist'));
    // `npm pack` alone, as a user would type it after cloning: `prepack` must build dist/.
    const { stdout } = await runCommand('npm', ['pack', '--json', '--pack-destination', workDir], {
      cwd: checkout,
    });
    packed = packResultOf(stdout);
    app = join(workDir, 'app');
    await mkdir(app);
    await writeFile(
      join(app, 'package.json'),
      JSON.stringify({ name: 'smoke-app', version: '1.0.0', private: true }),
    );
    await runCommand('npm', ['install', join(workDir, packed.filename), ...quietInstallFlags], {
      cwd: app,
    });
  });

  afterAll(async () => {
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('starts from a checkout without dist/, as a fresh clone has none', () => {
    expect(distBeforePacking).toBe(false);
  });

  it('holds the builds, their declarations and the manifest, and no sources', () => {
    const paths = packed.files.map((file) => file.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'package.json',
        'dist/index.js',
        'dist/index.cjs',
        'dist/index.d.ts',
        'dist/index.d.cts',
        'dist/testing.js',
        'dist/testing.cjs',
        'dist/testing.d.ts',
        'dist/testing.d.cts',
        'dist/cli.js',
        'dist/umd/job-status-client.js',
        'dist/umd/job-status-client.d.ts',
        'dist/umd/package.json',
        // Resolve the subpaths for tools that predate `exports` (TypeScript's node10).
        'testing/package.json',
        'umd/package.json',
      ]),
    );
    expect(
      paths.filter(
        (path) =>
          !/^(dist\/|package\.json$|(testing|umd)\/package\.json$|README\.md$|CHANGELOG\.md$|LICENSE)/.test(
            path,
          ),
      ),
    ).toEqual([]);
  });

  it('loads with require() and constructs a client', async () => {
    const { stdout } = await runCommand(
      'node',
      ['-e', `const sdk = require('job-status-client');${probe}`],
      { cwd: app },
    );
    expect(JSON.parse(stdout)).toMatchObject({
      exports: expect.arrayContaining(['JobStatusClient', 'JobStatusError', 'NotFoundError']),
      clientMethods: expectedMethods,
      notFoundIsJobStatusError: true,
    });
  });

  it('loads with import and constructs a client', async () => {
    await writeFile(join(app, 'probe.mjs'), `import * as sdk from 'job-status-client';\n${probe}`);
    const { stdout } = await runCommand('node', ['probe.mjs'], { cwd: app });
    expect(JSON.parse(stdout)).toMatchObject({
      exports: expect.arrayContaining(['JobStatusClient', 'JobStatusError', 'NotFoundError']),
      clientMethods: expectedMethods,
      notFoundIsJobStatusError: true,
    });
  });

  it('loads the UMD build with require() and constructs a client', async () => {
    const { stdout } = await runCommand(
      'node',
      ['-e', `const sdk = require('job-status-client/umd');${probe}`],
      { cwd: app },
    );
    expect(JSON.parse(stdout)).toMatchObject({
      exports: expect.arrayContaining(['JobStatusClient', 'JobStatusError', 'NotFoundError']),
      clientMethods: expectedMethods,
      notFoundIsJobStatusError: true,
    });
  });

  it('holds the chunk files of the UMD build beside its core file', () => {
    const chunks = packed.files
      .map((file) => file.path)
      .filter((path) => /^dist\/umd\/job-status-client\..+\.js$/.test(path))
      .sort();
    expect(chunks).toEqual([
      expect.stringMatching(/^dist\/umd\/job-status-client\.calls-\w+\.js$/),
      expect.stringMatching(/^dist\/umd\/job-status-client\.follow-\w+\.js$/),
      expect.stringMatching(/^dist\/umd\/job-status-client\.pages-\w+\.js$/),
      expect.stringMatching(/^dist\/umd\/job-status-client\.workers-\w+\.js$/),
    ]);
  });

  it("runs the installed UMD build's work-queue chunk with the core's error classes", async () => {
    const { stdout } = await runCommand(
      'node',
      [
        '-e',
        `const sdk = require('job-status-client/umd');
         const client = new sdk.JobStatusClient({ baseURL: 'http://127.0.0.1:9/jss', user: 'smoke' });
         client.claimJobs({ service: '' }).catch((error) => console.log(JSON.stringify({
           name: error.name,
           isCoreClass: error instanceof sdk.RequestValidationError,
           chunks: Object.keys(require.cache).filter((path) => /job-status-client[.][a-z]+-[A-Z0-9]+[.]js$/.test(path)).length,
         })));`,
      ],
      { cwd: app },
    );
    expect(JSON.parse(stdout)).toEqual({
      name: 'RequestValidationError',
      isCoreClass: true,
      chunks: 1,
    });
  });

  it('imports names from the UMD build in an ES module', async () => {
    await writeFile(
      join(app, 'umd-probe.mjs'),
      `import * as sdk from 'job-status-client/umd';\n${probe}`,
    );
    const { stdout } = await runCommand('node', ['umd-probe.mjs'], { cwd: app });
    expect(JSON.parse(stdout)).toMatchObject({ clientMethods: expectedMethods });
  });

  it('gives the UMD build every name of the CommonJS build but the default export', async () => {
    const { stdout } = await runCommand(
      'node',
      [
        '-e',
        `const names = (id) => Object.keys(require(id)).filter((name) => name !== 'default').sort();
         console.log(JSON.stringify({ umd: names('job-status-client/umd'), cjs: names('job-status-client') }));`,
      ],
      { cwd: app },
    );
    const { umd, cjs } = JSON.parse(stdout) as { umd: string[]; cjs: string[] };
    expect(umd).toEqual(cjs);
  });

  it("sends User-Agent job-status-client/<package.json's version> from Node", async () => {
    const { version } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
      version: string;
    };
    await writeFile(
      join(app, 'agent.mjs'),
      `import { createServer } from 'node:http';
       import { JobStatusClient } from 'job-status-client';
       let agent;
       const server = createServer((request, response) => {
         agent = request.headers['user-agent'];
         response.writeHead(200, { 'content-type': 'application/json' });
         response.end(JSON.stringify({ response_type: 'SUCCESS', data: [], total_count: 0, offset: 0 }));
       });
       await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
       const client = new JobStatusClient({ baseURL: 'http://127.0.0.1:' + server.address().port + '/jss' });
       await client.getJobs();
       server.close();
       console.log(JSON.stringify({ agent }));`,
    );
    const { stdout } = await runCommand('node', ['agent.mjs'], { cwd: app });
    expect(JSON.parse(stdout)).toEqual({ agent: `job-status-client/${version}` });
  });

  it('resolves require() to the CommonJS build and import to the ES module build', async () => {
    const { stdout } = await runCommand(
      'node',
      [
        '--input-type=module',
        '-e',
        `import { createRequire } from 'node:module';
         const require = createRequire(import.meta.url);
         console.log(JSON.stringify({
           require: require.resolve('job-status-client'),
           import: import.meta.resolve('job-status-client'),
         }));`,
      ],
      { cwd: app },
    );
    const resolved = JSON.parse(stdout) as { require: string; import: string };
    expect(resolved.require).toMatch(/node_modules\/job-status-client\/dist\/index\.cjs$/);
    expect(resolved.import).toMatch(/node_modules\/job-status-client\/dist\/index\.js$/);
  });

  it('type-checks an ES module consumer against the installed declarations', async () => {
    const importLine = `import { JobStatusClient, NotFoundError, type Job } from 'job-status-client';`;
    await expect(typeCheck(app, 'consumer.mts', typedConsumer(importLine))).resolves.toBe('');
  });

  it('type-checks a CommonJS consumer against the installed declarations', async () => {
    const importLines =
      `import { JobStatusClient, NotFoundError } from 'job-status-client';\n` +
      `import type { Job } from 'job-status-client';`;
    await expect(typeCheck(app, 'consumer.cts', typedConsumer(importLines))).resolves.toBe('');
  });

  it('runs the client against the testing kit once the app has msw', async () => {
    // msw is an optional peer: the app brings its own. Link the repository's copy in place of
    // a registry install; its own dependencies still resolve from the repository.
    await symlink(join(repoRoot, 'node_modules/msw'), join(app, 'node_modules/msw'), 'dir');
    await writeFile(
      join(app, 'kit.mjs'),
      `import { JobStatusClient } from 'job-status-client';
       import { createJssHandlers, InMemoryJobStore } from 'job-status-client/testing';
       import { setupServer } from 'msw/node';
       const store = new InMemoryJobStore();
       const server = setupServer(...createJssHandlers({ baseURL: 'http://jss.test/jss', store }));
       server.listen({ onUnhandledRequest: 'error' });
       const client = new JobStatusClient({ baseURL: 'http://jss.test/jss', user: 'kit' });
       const created = await client.createJob({ user: 'kit', serviceFields: { files: 2 } });
       const read = await client.getJob(created.jobId);
       server.close();
       console.log(JSON.stringify({ user: read.user, files: read.serviceFields.files }));`,
    );
    const { stdout } = await runCommand('node', ['kit.mjs'], { cwd: app });
    expect(JSON.parse(stdout)).toEqual({ user: 'kit', files: 2 });
  });

  it('installs the jss command, whose libraries are bundled into it', async () => {
    const { stdout } = await runCommand(join(app, 'node_modules/.bin/jss'), ['--help'], {
      cwd: app,
    });

    expect(stdout).toMatch(/^Usage: jss /);
    // commander, picocolors and cli-table3 are devDependencies inside dist/cli.js.
    expect(
      ['commander', 'picocolors', 'cli-table3'].filter((name) =>
        existsSync(join(app, 'node_modules', name)),
      ),
    ).toEqual([]);
  });

  it("reports the package's version with jss --version", async () => {
    const { version } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
      version: string;
    };

    const { stdout } = await runCommand(join(app, 'node_modules/.bin/jss'), ['--version'], {
      cwd: app,
    });

    expect(stdout.trim()).toBe(version);
  });

  it('runs jss against a server through the installed SDK', async () => {
    const server = await startServer({ port: 0, logger: false, dataDir: 'memory://' });
    try {
      // A token alone: the packed jss learns the job's user from it (whoAmI).
      const { token } = await server.createToken({ user: 'packed', role: 'creator' });
      const env = { ...process.env, JSS_URL: server.url, JSS_TOKEN: token };
      const jss = join(app, 'node_modules/.bin/jss');
      const created = await runCommand(jss, ['create', '--name', 'from-the-tarball', '-q'], {
        cwd: app,
        env,
      });
      const { stdout } = await runCommand(jss, ['get', created.stdout.trim()], { cwd: app, env });

      expect(JSON.parse(stdout)).toMatchObject({ user: 'packed', jobName: 'from-the-tarball' });
    } finally {
      await server.close();
    }
  });
});
