import type { SoakMetrics } from './metrics';
import type { SoakOptions } from './options';
import type { Verification } from './verify';
import { workersChecks, type WorkersFigures } from './workers-phase';

/** Everything one run printed and decided, as written with `--json`. */
export interface SoakReport {
  /** The faults phase, when it ran. */
  faults?: SoakFigures;
  /** The workers phase, when it ran. */
  workers?: WorkersFigures;
  unhandledRejections: number;
  openHandleKinds: string[];
  passed: boolean;
  problems: string[];
}

/** The verdict of the run: each phase's, and no rejection unhandled, no handle left open. */
export function combine(
  run: Pick<SoakReport, 'faults' | 'workers' | 'unhandledRejections' | 'openHandleKinds'>,
): SoakReport {
  const { faults, workers } = run;
  const checks: [boolean, string][] = [
    ...(workers ? workersChecks(workers) : []),
    [run.unhandledRejections === 0, 'unhandled rejections'],
    [run.openHandleKinds.length === 0, `handles left open: ${run.openHandleKinds.join(', ')}`],
  ];
  const failed = checks.filter(([ok]) => !ok).map(([, problem]) => problem);
  const workersFailed = workers !== undefined && workersChecks(workers).some(([ok]) => !ok);
  return {
    ...run,
    passed: (faults?.passed ?? true) && failed.length === 0,
    problems: [
      ...new Set([
        ...(faults?.problems ?? []),
        ...failed,
        ...(workersFailed ? (workers?.problems ?? []) : []),
      ]),
    ],
  };
}

/** Every figure of the faults phase. */
export interface SoakFigures {
  settings: FaultSettings;
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

/** The flags the faults phase runs by. */
export type FaultSettings = Omit<SoakOptions, 'json' | 'phases' | 'workers'>;

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
  const { json: _json, phases: _phases, workers: _workers, ...settings } = options;
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

/** The report as two-column tables, one per phase, and its verdict. */
export function formatReport(report: SoakReport): string {
  const tables = [
    ...(report.faults ? ['faults phase', formatTable(report.faults), ''] : []),
    ...(report.workers ? ['workers phase', formatWorkersTable(report.workers), ''] : []),
  ];
  const problems = report.problems.map((problem) => `  - ${problem}`);
  return [
    ...tables,
    `result: ${report.passed ? 'PASS' : 'FAIL'}`,
    ...(problems.length > 0 ? ['problems:', ...problems] : []),
  ].join('\n');
}

function formatWorkersTable(figures: WorkersFigures): string {
  const { settings } = figures;
  return twoColumns([
    ['backend', figures.backend],
    [
      'workload',
      `${settings.workerJobs} jobs, ${settings.workerProcesses} worker processes × ${settings.workerConcurrency}, lease ${settings.leaseMs} ms, work ${settings.workMs[0]}-${settings.workMs[1]} ms`,
    ],
    ['duration', `${(figures.durationMs / 1000).toFixed(1)} s`],
    ['SIGKILLs mid-job', `${figures.kills} (${figures.jobsInFlightAtKills} handlers in flight)`],
    ['jobs created / succeeded', `${figures.jobsCreated} / ${figures.jobsSucceeded}`],
    ['lost', String(figures.lost)],
    ['duplicate completions', String(figures.duplicateCompletions)],
    ['results of no accepted run', String(figures.resultMismatches)],
    ['attempts not explained', String(figures.unexplainedAttempts)],
    ['jobs nobody created', String(figures.unexpectedJobs)],
    [
      'handler starts / re-runs',
      `${figures.handlerStarts} / ${figures.reRuns} (expected after kills: at-least-once start)`,
    ],
    ['jobs with an expired lease', String(figures.leaseExpiredJobs)],
    ['work finished twice', String(figures.workRedone)],
    ['completions unlogged', String(figures.completionsUnlogged)],
  ]);
}

function twoColumns(rows: [string, string][]): string {
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`).join('\n');
}

/** The faults phase's figures as a two-column table. */
function formatTable(figures: SoakFigures): string {
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
  ];
  return twoColumns(rows);
}
