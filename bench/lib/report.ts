// One table on stdout and the same figures as JSON: every section reports rows of this shape.
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import { dirname } from 'node:path';
import type { BenchOptions, SectionName } from './options';

/** One line of the table: one contender of one measurement. Absent figures print as blank. */
export interface Row {
  section: SectionName;
  /** What was measured: `getJob, sequential`, `decode 1000 jobs`. */
  case: string;
  /** Who did it: `SDK`, `axios`, `fetch`, `JSON.parse`, … */
  contender: string;
  medianMs?: number;
  p99Ms?: number;
  /** Operations per second (calls, jobs created, queries). */
  perSecond?: number;
  /** This contender's figure divided by the baseline's, paired round by round (median). */
  ratio?: number;
  /** What the ratio compares, e.g. `SDK/axios time`. */
  ratioOf?: string;
  /** Heap growth (peak) in bytes. */
  heapBytes?: number;
  /** Size in bytes (bundles). */
  sizeBytes?: number;
  note?: string;
}

/** What one section hands back: its rows, plus details that only the JSON carries. */
export interface SectionResult {
  rows: Row[];
  details?: Record<string, unknown>;
  /** Why the section (or part of it) did not run. */
  skipped?: string[];
}

function formatMs(ms: number | undefined): string {
  if (ms === undefined || Number.isNaN(ms)) return '';
  if (ms < 0.01) return `${(ms * 1000).toFixed(2)} µs`;
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 100) return `${ms.toFixed(2)} ms`;
  return `${ms.toFixed(0)} ms`;
}

function formatCount(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '';
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1);
}

function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || Number.isNaN(bytes)) return '';
  const abs = Math.abs(bytes);
  if (abs >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  if (abs >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

function formatRatio(row: Row): string {
  if (row.ratio === undefined || Number.isNaN(row.ratio)) return '';
  return `${row.ratio.toFixed(2)}x ${row.ratioOf ?? ''}`.trim();
}

const COLUMNS: { title: string; cell: (row: Row) => string; right?: boolean }[] = [
  { title: 'section', cell: (row) => row.section },
  { title: 'case', cell: (row) => row.case },
  { title: 'contender', cell: (row) => row.contender },
  { title: 'median', cell: (row) => formatMs(row.medianMs), right: true },
  { title: 'p99', cell: (row) => formatMs(row.p99Ms), right: true },
  { title: 'per s', cell: (row) => formatCount(row.perSecond), right: true },
  { title: 'ratio', cell: formatRatio },
  { title: 'heap / size', cell: (row) => formatBytes(row.heapBytes ?? row.sizeBytes), right: true },
  { title: 'note', cell: (row) => row.note ?? '' },
];

/** The rows as one plain-text table, columns padded to their widest cell. */
export function formatTable(rows: readonly Row[]): string {
  const cells = rows.map((row) => COLUMNS.map((column) => column.cell(row)));
  const widths = COLUMNS.map((column, index) =>
    Math.max(column.title.length, ...cells.map((line) => (line[index] ?? '').length)),
  );
  const render = (line: readonly string[]): string =>
    line
      .map((cell, index) => {
        const width = widths[index] ?? 0;
        return COLUMNS[index]?.right ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const header = render(COLUMNS.map((column) => column.title));
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  const body: string[] = [];
  rows.forEach((row, index) => {
    // A blank line between sections keeps a long table readable.
    if (index > 0 && rows[index - 1]?.section !== row.section) body.push('');
    body.push(render(cells[index] ?? []));
  });
  return [header, rule, ...body].join('\n');
}

/** Everything written to the JSON file. */
export interface BenchReport {
  generatedAt: string;
  command: string;
  environment: Record<string, unknown>;
  options: BenchOptions;
  rows: Row[];
  details: Partial<Record<SectionName, Record<string, unknown>>>;
  skipped: string[];
}

/** The machine and runtime the figures were taken on. */
export function environmentInfo(heapMethod: string): Record<string, unknown> {
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    parallelism: availableParallelism(),
    heapFigures: heapMethod,
  };
}

/** Writes the report as indented JSON, creating the folder when needed. */
export async function writeReport(file: string, report: BenchReport): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
}
