/**
 * `npm run bench [-- --quick] [-- --only calls,decode]`: the SDK's costs against baselines run
 * side by side in this one process, printed as one table and written as JSON
 * (bench/results/latest.json). See bench/README.md for what each section measures.
 */
import { heapMethod } from './lib/heap';
import { parseBenchArgs, USAGE, type BenchOptions, type SectionName } from './lib/options';
import {
  environmentInfo,
  formatTable,
  writeReport,
  type BenchReport,
  type SectionResult,
} from './lib/report';
import { runBundleSection } from './sections/bundle';
import { runCallsSection } from './sections/calls';
import { runDecodeSection } from './sections/decode';
import { runEncodeSection } from './sections/encode';
import { runPostgresSection } from './sections/postgres';
import { runServerSection } from './sections/server';
import { runWorkersSection } from './sections/workers';

const RUNNERS: Record<SectionName, (options: BenchOptions) => Promise<SectionResult>> = {
  calls: runCallsSection,
  decode: runDecodeSection,
  encode: runEncodeSection,
  server: runServerSection,
  postgres: runPostgresSection,
  workers: runWorkersSection,
  bundle: runBundleSection,
};

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseBenchArgs>;
  try {
    parsed = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (parsed === 'help') {
    console.log(USAGE);
    return 0;
  }
  const options = parsed;
  const report: BenchReport = {
    generatedAt: new Date().toISOString(),
    command: ['npm run bench --', ...process.argv.slice(2)].join(' '),
    environment: environmentInfo(heapMethod),
    options,
    rows: [],
    details: {},
    skipped: [],
  };
  for (const section of options.sections) {
    // Progress goes to stderr so that stdout carries only the table.
    console.error(`bench: ${section} …`);
    const started = Date.now();
    const result = await RUNNERS[section](options);
    report.rows.push(...result.rows);
    if (result.details) report.details[section] = result.details;
    report.skipped.push(...(result.skipped ?? []).map((reason) => `${section}: ${reason}`));
    console.error(`bench: ${section} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  console.log(formatTable(report.rows));
  for (const reason of report.skipped) console.log(`skipped: ${reason}`);
  if (options.quick)
    console.log('(--quick: small counts, for a smoke run; do not compare figures)');
  await writeReport(options.outFile, report);
  console.log(`figures written to ${options.outFile}`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exitCode = 1;
  },
);
