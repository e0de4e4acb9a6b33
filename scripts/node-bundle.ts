// One esbuild bundle of a TypeScript entry for a plain `node` start, with the SDK from src/ (as
// the tsconfig maps it): for the tests and scripts that start the same code many times.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** Bundles `entry` (a path from the repository's root) into the ES module `outfile`. */
export async function bundleForNode(
  entry: string,
  outfile: string,
  define: Record<string, string> = {},
): Promise<void> {
  await build({
    entryPoints: [join(repoRoot, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    alias: { 'job-status-client': join(repoRoot, 'src/index.ts') },
    define,
    // Bundled CommonJS dependencies call `require`, which an ES module lacks.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
}
