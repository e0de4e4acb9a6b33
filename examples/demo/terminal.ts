// Output helpers for the demo. Colours only on a terminal: piped output (CI logs, the guide's
// transcript) stays plain text. NO_COLOR (https://no-color.org) turns them off too.
import { performance } from 'node:perf_hooks';

const isTerminal = process.stdout.isTTY === true;
const useColour = isTerminal && process.env.NO_COLOR === undefined;
const startedAt = performance.now();

function paint(code: number): (text: string) => string {
  return (text) => (useColour ? `\u001b[${code}m${text}\u001b[0m` : text);
}

export const bold = paint(1);
export const dim = paint(2);
export const red = paint(31);
export const green = paint(32);
export const yellow = paint(33);
export const cyan = paint(36);

/** Seconds since the demo started, for the left margin of every line. */
function clock(): string {
  return dim(`${((performance.now() - startedAt) / 1000).toFixed(2).padStart(5)}s`);
}

/** The title of one part of the scenario. */
export function heading(title: string): void {
  console.log(`\n${clock()} ${bold(cyan(`▶ ${title}`))}`);
}

/** One line of narration. */
export function say(text: string): void {
  console.log(`${clock()}   ${text}`);
}

/** A value shown as compact JSON (service fields, filters), dimmed so the narration stands out. */
export function json(value: unknown): string {
  return dim(JSON.stringify(value));
}

/** A job status, coloured by how it ended. */
export function status(value: string): string {
  if (value === 'SUCCEEDED') return green(value);
  if (value === 'FAILED' || value === 'UNRECOVERABLE') return red(value);
  if (value === 'ABORTED') return yellow(value);
  return cyan(value);
}

/** The first characters of a job id: enough to tell the demo's jobs apart. */
export function shortId(jobId: string): string {
  return jobId.slice(0, 8);
}

/** `[██████░░░░░░]  50%` */
export function progressBar(percent: number, width = 24): string {
  const filled = Math.round((Math.min(Math.max(percent, 0), 100) / 100) * width);
  return `[${green('█'.repeat(filled))}${dim('░'.repeat(width - filled))}] ${percent
    .toFixed(0)
    .padStart(3)}%`;
}

/**
 * A line that redraws in place on a terminal. Off a terminal every draw would pile up, so only
 * the first draw, every quarter crossed and the last one are printed.
 */
export class LiveLine {
  #lastQuarter = -1;

  constructor(private readonly label: string) {}

  draw(percent: number): void {
    const line = `${clock()}   ${this.label} ${progressBar(percent)}`;
    if (isTerminal) {
      process.stdout.write(`\r\u001b[K${line}`);
      return;
    }
    const quarter = Math.floor(percent / 25);
    if (quarter === this.#lastQuarter) return;
    this.#lastQuarter = quarter;
    console.log(line);
  }

  /** Ends the line on a terminal (the cursor is still on it). */
  finish(): void {
    if (isTerminal) process.stdout.write('\n');
  }
}

/** Draws rows under a header, each column as wide as its widest cell (colours ignored). */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(visibleLength(title), ...rows.map((row) => visibleLength(row[column] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell + ' '.repeat((widths[column] ?? 0) - visibleLength(cell)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '─'.repeat(width)).join('  ');
  return [bold(line(header)), dim(rule), ...rows.map(line)].join('\n');
}

// Escape sequences take no room on screen.
// eslint-disable-next-line no-control-regex
const ESCAPE_SEQUENCE = /\u001b\[[0-9;]*m/g;

function visibleLength(text: string): number {
  return text.replace(ESCAPE_SEQUENCE, '').length;
}
