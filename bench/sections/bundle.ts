// Bundle sizes, from the project's own size check (scripts/check-size.ts) on the built dist/.
// The bench does not build: dist/ is shared, and building is the size check's job.
import { existsSync, statSync } from 'node:fs';
import { measureSizes } from '../../scripts/check-size';
import type { SectionResult } from '../lib/report';

/** The minified + gzipped sizes of the builds, against their budgets. */
export async function runBundleSection(): Promise<SectionResult> {
  if (!existsSync('dist/index.js')) {
    return { rows: [], skipped: ['dist/ is not built (npm run build, then run again)'] };
  }
  const builtAt = statSync('dist/index.js').mtime;
  const figures = await measureSizes();
  return {
    rows: figures.map((figure) => ({
      section: 'bundle',
      case: figure.name,
      contender: 'min+gzip',
      sizeBytes: figure.bytes,
      // 1 KB is 1000 bytes here, as in the size check.
      note:
        `${(figure.bytes / 1000).toFixed(1)} KB` +
        (figure.target === undefined
          ? ''
          : `, target ${(figure.target / 1000).toFixed(0)} KB: ${figure.bytes <= figure.target ? 'met' : 'not met'}`),
    })),
    details: { builtAt: builtAt.toISOString(), figures },
  };
}
