import type { SoakMetrics } from './metrics';
import type { SoakOptions } from './options';
import type { Verification } from './verify';

/** Every figure of one run, as printed and as written with `--json`. */
export interface SoakFigures {
  settings: Omit<SoakOptions, 'json'>;
  durationMs: number;
  callsPerSecond: number;
  callsMade: number;
  attempts: number;
  retries: number;
  retryReasons: Record<string, number>;
  failedCalls: number;
  jobsExpected: number;
  jobsFound: number;
  duplicates: number;
  lostUpdates: number;
  staleReads: number;
  logAnomalies: number;
  unhandledRejections: number;
  openHandles: number;
  openHandleKinds: string[];
  passed: boolean;
  /** Why the run failed, when it did, and the first few differences or errors seen. */
  problems: string[];
}

export interface RunOutcome {
  options: SoakOptions;
  durationMs: number;
  metrics: SoakMetrics;
  verification: Verification;
  unhandledRejections: number;
  openHandleKinds: string[];
}

/**
 * Gathers the figures and decides. The run passes only when every job is found and nothing was
 * duplicated, lost, stale, left failing, rejected unhandled or left open.
 */
export function summarize(outcome: RunOutcome): SoakFigures {
  const { metrics, verification, options } = outcome;
  const { json: _json, ...settings } = options;
  const figures: Omit<SoakFigures, 'passed' | 'problems'> = {
    settings,
    durationMs: Math.round(outcome.durationMs),
    callsPerSecond: Math.round(metrics.calls / (outcome.durationMs / 1000)),
    callsMade: metrics.calls,
    attempts: metrics.attempts,
    retries: metrics.retries,
    retryReasons: Object.fromEntries([...metrics.retryReasons].sort((a, b) => b[1] - a[1])),
    failedCalls: metrics.failedCalls,
    jobsExpected: verification.jobsExpected,
    jobsFound: verification.jobsFound,
    duplicates: verification.duplicates,
    lostUpdates: verification.lostUpdates,
    staleReads: metrics.staleReads,
    logAnomalies: verification.logAnomalies,
    unhandledRejections: outcome.unhandledRejections,
    openHandles: outcome.openHandleKinds.length,
    openHandleKinds: outcome.openHandleKinds,
  };
  const checks: [boolean, string][] = [
    [figures.jobsFound === figures.jobsExpected, 'jobs found differ from jobs expected'],
    [figures.duplicates === 0, 'duplicate jobs'],
    [figures.lostUpdates === 0, 'lost updates'],
    [figures.unhandledRejections === 0, 'unhandled rejections'],
    [figures.failedCalls === 0, 'calls failed after every retry'],
    [figures.staleReads === 0, 'stale reads'],
    [figures.logAnomalies === 0, 'log entries lost or duplicated'],
    [figures.openHandles === 0, 'handles left open'],
  ];
  const problems = [
    ...checks.filter(([ok]) => !ok).map(([, problem]) => problem),
    ...verification.examples,
    ...metrics.failures,
  ];
  return { ...figures, passed: checks.every(([ok]) => ok), problems };
}

/** The figures as a two-column table. */
export function formatTable(figures: SoakFigures): string {
  const { settings } = figures;
  const reasons = Object.entries(figures.retryReasons)
    .map(([reason, count]) => `${count} ${reason}`)
    .join(', ');
  const rows: [string, string][] = [
    [
      'workload',
      `${settings.callers} callers, ${settings.jobs} jobs, ${settings.patches} patches + ${settings.queries} queries per job`,
    ],
    [
      'faults',
      `${settings.failureRate * 100}% 503, ${settings.dropAfterCommitRate * 100}% dropped after commit, ${settings.latencyMs[0]}-${settings.latencyMs[1]} ms latency`,
    ],
    ['duration', `${(figures.durationMs / 1000).toFixed(1)} s (${figures.callsPerSecond} calls/s)`],
    ['calls made', String(figures.callsMade)],
    ['attempts', String(figures.attempts)],
    ['retries', reasons === '' ? '0' : `${figures.retries} (${reasons})`],
    ['calls failed for good', String(figures.failedCalls)],
    ['jobs expected', String(figures.jobsExpected)],
    ['jobs found', String(figures.jobsFound)],
    ['duplicates', String(figures.duplicates)],
    ['lost updates', String(figures.lostUpdates)],
    ['stale reads', String(figures.staleReads)],
    ['log entries lost/duplicated', String(figures.logAnomalies)],
    ['unhandled rejections', String(figures.unhandledRejections)],
    [
      'open handles',
      figures.openHandles === 0
        ? '0'
        : `${figures.openHandles} (${figures.openHandleKinds.join(', ')})`,
    ],
    ['result', figures.passed ? 'PASS' : 'FAIL'],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  const lines = rows.map(([name, value]) => `${name.padEnd(width)}  ${value}`);
  const problems = figures.problems.map((problem) => `  - ${problem}`);
  return [...lines, ...(problems.length > 0 ? ['problems:', ...problems] : [])].join('\n');
}
