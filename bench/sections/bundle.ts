// Bundle sizes, read from the project's own size check (.size-limit.cjs) on the built dist/.
// The bench does not build: dist/ is shared, and building is the size check's job.
import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import type { SectionResult } from '../lib/report';

interface SizeLimitEntry {
  name: string;
  passed: boolean;
  size: number;
  sizeLimit?: number;
}

/** size-limit exits 1 when a budget is exceeded, but still prints its JSON: read it either way. */
function runSizeLimit(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('node_modules/.bin/size-limit', ['--json'], (error, stdout) => {
      if (stdout.trim().startsWith('[')) resolve(stdout);
      else reject(error ?? new Error(`size-limit printed no JSON: ${stdout}`));
    });
  });
}

/** The minified + gzipped sizes of the builds, against their budgets. */
export async function runBundleSection(): Promise<SectionResult> {
  if (!existsSync('.size-limit.cjs')) return { rows: [], skipped: ['no .size-limit.cjs'] };
  if (!existsSync('dist/index.js')) {
    return { rows: [], skipped: ['dist/ is not built (npm run build, then run again)'] };
  }
  const builtAt = statSync('dist/index.js').mtime;
  const entries = JSON.parse(await runSizeLimit()) as SizeLimitEntry[];
  return {
    rows: entries.map((entry) => ({
      section: 'bundle',
      case: entry.name,
      contender: 'min+gzip',
      sizeBytes: entry.size,
      // size-limit counts 1 KB as 1000 bytes; the note follows it so it reads like the budget.
      note:
        `${(entry.size / 1000).toFixed(1)} KB` +
        (entry.sizeLimit === undefined
          ? ''
          : ` of a ${(entry.sizeLimit / 1000).toFixed(0)} KB budget: ${entry.passed ? 'within' : 'OVER'}`),
    })),
    details: { builtAt: builtAt.toISOString(), entries },
  };
}
