// The transport's reporting: log lines and hook calls. Everything passes through redactText with
// the call's secrets, and neither a throwing logger nor a throwing hook may break the call.

import type { Logger, LoggerLevel } from './transport-types';
import { redactText, toSafeErrorInfo } from './redact';

type Severity = Exclude<LoggerLevel, 'silent'>;

/** Where a logger's level threshold comes from. */
export interface LogSettings {
  logger?: Logger | undefined;
  logLevel: LoggerLevel;
}

// Least severe first: a level logs itself and everything after it.
const LEVELS: readonly LoggerLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

/** Whether a line at `severity` would be written (so that callers can skip building it). */
export function logs(settings: LogSettings, severity: Severity): boolean {
  return (
    settings.logger !== undefined && LEVELS.indexOf(severity) >= LEVELS.indexOf(settings.logLevel)
  );
}

/** Writes one line at `severity`, redacted with `secrets`, when the threshold allows it. */
export function log(
  settings: LogSettings,
  secrets: readonly string[],
  severity: Severity,
  line: string,
): void {
  if (!logs(settings, severity)) return;
  try {
    settings.logger?.[severity](redactText(`[job-status-client] ${line}`, secrets));
  } catch {
    // A broken logger must not turn a successful call into a failure.
  }
}

/**
 * Calls `hook` with `info`, swallowing (and logging) whatever it throws or rejects with: hooks
 * are for observation and must never change the outcome of a call.
 */
export function callHook<T>(
  name: string,
  hook: ((info: T) => void) | undefined,
  info: T,
  settings: LogSettings,
  secrets: readonly string[],
): void {
  if (hook === undefined) return;
  const report = (error: unknown): void => {
    const safe = toSafeErrorInfo(error, secrets);
    log(
      settings,
      secrets,
      'warn',
      `the ${name} hook failed (ignored): ${safe.name}: ${safe.message}`,
    );
  };
  try {
    // A hook may be async: its rejection is reported like a throw.
    Promise.resolve(hook(info)).catch(report);
  } catch (error) {
    report(error);
  }
}
