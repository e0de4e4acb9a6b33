// What a person sees on a terminal: tables, coloured statuses, relative times, progress bars and
// the children tree. Machines get JSON instead (see output.ts); nothing here is parsed back.
import Table from 'cli-table3';
import type { Colors } from 'picocolors/types';
import type { Job, JobProgress, LogEntry } from 'job-status-client';

/** A job and the children found under it, for `get`'s tree. */
export interface JobNode {
  job: Job;
  children: JobNode[];
  /** Children that exist but were not read (the tree is bounded). */
  more: number;
}

/** The colour of a status: green succeeded, red failed, yellow aborted, cyan running. */
export function colorStatus(status: string, colors: Colors): string {
  switch (status) {
    case 'SUCCEEDED':
      return colors.green(status);
    case 'FAILED':
    case 'UNRECOVERABLE':
      return colors.red(status);
    case 'ABORTED':
      return colors.yellow(status);
    case 'WORKING':
    case 'RETRYING':
      return colors.cyan(status);
    default:
      return colors.dim(status);
  }
}

const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'auto', style: 'short' });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600_000],
  ['month', 30 * 24 * 3600_000],
  ['day', 24 * 3600_000],
  ['hour', 3600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/** `3 min. ago`, `now`, `in 2 hr.`: the largest unit that fits. */
export function relativeTime(date: Date, now: number): string {
  const delta = date.getTime() - now;
  for (const [unit, ms] of UNITS) {
    if (Math.abs(delta) >= ms || unit === 'second') {
      // Whole units elapsed, as `ls` and git count: 90 seconds is 1 minute.
      const amount = Math.trunc(delta / ms);
      return amount === 0 ? 'now' : relativeFormat.format(amount, unit);
    }
  }
  return 'now';
}

/** `[██████░░░░]  60%`, or '' without progress. */
export function progressBar(progress: JobProgress | null | undefined, width = 12): string {
  if (!progress) return '';
  const percent = Math.max(0, Math.min(100, progress.percent));
  const filled = Math.round((percent / 100) * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${percent.toFixed(0).padStart(3)}%`;
}

/** cli-table3 without borders: columns separated by two spaces, as `ls -l` or `kubectl get`. */
function plainTable(head: string[], colors: Colors): Table.Table {
  const none = '';
  return new Table({
    head: head.map((title) => colors.bold(title)),
    chars: {
      top: none,
      'top-mid': none,
      'top-left': none,
      'top-right': none,
      bottom: none,
      'bottom-mid': none,
      'bottom-left': none,
      'bottom-right': none,
      left: none,
      'left-mid': none,
      mid: none,
      'mid-mid': none,
      right: none,
      'right-mid': none,
      middle: '  ',
    },
    // No colours of cli-table3's own: ours follow NO_COLOR / FORCE_COLOR.
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
}

/** The job list: one row per job. */
export function jobsTable(jobs: readonly Job[], colors: Colors, now: number): string {
  const table = plainTable(
    ['JOB ID', 'NAME', 'USER', 'SERVICE', 'STATUS', 'PROGRESS', 'STAGE', 'MODIFIED'],
    colors,
  );
  for (const job of jobs) {
    table.push([
      job.jobId,
      job.jobName ?? '',
      job.user,
      job.service ?? '',
      colorStatus(job.status, colors),
      progressBar(job.progress, 10),
      job.currentStage ?? '',
      relativeTime(job.modified, now),
    ]);
  }
  return trimRight(table.toString());
}

/** Every field of one job, then its service fields, then its children as a tree. */
export function jobDetails(node: JobNode, colors: Colors, now: number): string {
  const { job } = node;
  const when = (date: Date) => `${date.toISOString()} (${relativeTime(date, now)})`;
  const rows: [string, string][] = [
    ['job id', job.jobId],
    ['name', job.jobName ?? ''],
    ['user', job.user],
    ['service', job.service ?? ''],
    ['status', colorStatus(job.status, colors)],
    [
      'progress',
      job.progress
        ? `${progressBar(job.progress)} (${job.progress.completed}/${job.progress.total})`
        : '',
    ],
    ['stage', job.currentStage ?? ''],
    ['host', job.currentHost ?? ''],
    ['origin', job.originationHost ?? ''],
    ['parent', job.parentId ?? ''],
    ['created', when(job.created)],
    ['modified', when(job.modified)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = rows
    .filter(([, value]) => value !== '')
    .map(([label, value]) => `${colors.bold(label.padEnd(width))}  ${value}`);
  if (job.serviceFields && Object.keys(job.serviceFields).length > 0) {
    lines.push(colors.bold('service fields'));
    lines.push(indent(JSON.stringify(job.serviceFields, null, 2)));
  }
  if (job.logs && job.logs.length > 0) {
    lines.push(`${colors.bold('logs')}  ${job.logs.length} (jss logs ${job.jobId})`);
  }
  if (node.children.length > 0 || node.more > 0) {
    lines.push(colors.bold('children'));
    lines.push(...treeLines(node, '', colors));
  }
  return lines.join('\n');
}

function treeLines(node: JobNode, prefix: string, colors: Colors): string[] {
  const lines: string[] = [];
  const count = node.children.length + (node.more > 0 ? 1 : 0);
  node.children.forEach((child, index) => {
    const last = index === count - 1;
    const { job } = child;
    const name = job.jobName ? ` ${job.jobName}` : '';
    lines.push(
      `${prefix}${last ? '└─ ' : '├─ '}${job.jobId} ${colorStatus(job.status, colors)}${name}`,
    );
    lines.push(...treeLines(child, `${prefix}${last ? '   ' : '│  '}`, colors));
  });
  if (node.more > 0) lines.push(`${prefix}└─ ${colors.dim(`… ${node.more} more`)}`);
  return lines;
}

/** One log entry: `2026-12-03T08:00:00.000Z  info   copied 3 files {"files":3}`. */
export function logLine(entry: LogEntry, colors: Colors): string {
  // Wide enough for the longest level, `warning`, and a space.
  const level = entry.level.padEnd(8);
  const painted =
    entry.level === 'danger'
      ? colors.red(level)
      : entry.level === 'warning'
        ? colors.yellow(level)
        : entry.level === 'success'
          ? colors.green(level)
          : colors.dim(level);
  const data = entry.data === undefined ? '' : ` ${colors.dim(JSON.stringify(entry.data))}`;
  return `${colors.dim(entry.time.toISOString())}  ${painted}${entry.message}${data}`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

function trimRight(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}
