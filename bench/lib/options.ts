// `npm run bench -- [--quick] [--only <section>[,<section>…]] [--rounds n] [--calls n] [--million]`.

/** The sections of the bench, in the order they run. */
export const SECTIONS = [
  'calls',
  'decode',
  'encode',
  'server',
  'postgres',
  'workers',
  'bundle',
] as const;

/** One section of the bench. */
export type SectionName = (typeof SECTIONS)[number];

/** What one run measures, and how long it takes to. */
export interface BenchOptions {
  /** Small counts: a smoke run that finishes in seconds, not for comparing figures. */
  quick: boolean;
  /** The sections to run, in {@link SECTIONS} order. */
  sections: SectionName[];
  /** Measured rounds per measurement (after the warm-up); the median round is reported. */
  rounds: number;
  /** Sequential `getJob` calls per contender and round. */
  calls: number;
  /** Where the JSON figures are written. */
  outFile: string;
  /** The postgres section's cost growth goes on to 1,000,000 jobs (minutes of filling). */
  million: boolean;
}

export const USAGE = `usage: npm run bench -- [options]
  --quick              small counts (a smoke run; figures are not comparable)
  --only <sections>    comma-separated, any of: ${SECTIONS.join(', ')}
  --rounds <n>         measured rounds per measurement (default 7, quick 3)
  --calls <n>          getJob calls per contender and round (default 3000, quick 300)
  --out <file>         where to write the JSON (default bench/results/latest.json)
  --million            postgres section: measure cost growth at 1,000,000 jobs too
  --help`;

function isSection(name: string): name is SectionName {
  return (SECTIONS as readonly string[]).includes(name);
}

function positiveInteger(flag: string, text: string | undefined): number {
  const value = Number(text);
  if (text === undefined || !Number.isInteger(value) || value < 1) {
    throw new Error(`${flag} needs a positive integer, received ${JSON.stringify(text)}`);
  }
  return value;
}

/**
 * Reads the command line (without `node` and the script).
 *
 * @returns the options, or `'help'` when usage was asked for
 * @throws Error naming the flag that is wrong
 */
export function parseBenchArgs(argv: readonly string[]): BenchOptions | 'help' {
  let quick = false;
  let only: SectionName[] | undefined;
  let rounds: number | undefined;
  let calls: number | undefined;
  let outFile = 'bench/results/latest.json';
  let million = false;
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index];
    const next = (): string | undefined => argv[++index];
    switch (flag) {
      case '--quick':
        quick = true;
        break;
      case '--only': {
        const names = (next() ?? '').split(',').filter((name) => name !== '');
        const unknown = names.filter((name) => !isSection(name));
        if (names.length === 0 || unknown.length > 0) {
          throw new Error(
            `--only takes sections among ${SECTIONS.join(', ')}; received ${JSON.stringify(names.join(','))}`,
          );
        }
        only = [...(only ?? []), ...(names as SectionName[])];
        break;
      }
      case '--rounds':
        rounds = positiveInteger(flag, next());
        break;
      case '--calls':
        calls = positiveInteger(flag, next());
        break;
      case '--out': {
        const file = next();
        if (file === undefined || file === '') throw new Error('--out needs a file name');
        outFile = file;
        break;
      }
      case '--million':
        million = true;
        break;
      case '--help':
      case '-h':
        return 'help';
      default:
        throw new Error(`unknown argument ${JSON.stringify(flag)}`);
    }
  }
  return {
    quick,
    sections: SECTIONS.filter((name) => only === undefined || only.includes(name)),
    rounds: rounds ?? (quick ? 3 : 7),
    calls: calls ?? (quick ? 300 : 3000),
    outFile,
    million,
  };
}
