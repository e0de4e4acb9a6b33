// The transport's reporting: log lines and hook calls. Everything passes through redactText with
// the call's secrets, and neither a throwing logger nor a throwing hook may break the call.

import type { Logger, LoggerLevel } from './transport-types';
import { redactText, toSafeErrorInfo } from './redact';

type Severity = Exclude<LoggerLevel, 'silent'>;

const RANK: Readonly<Record<LoggerLevel, number>> = {
  debug: 0,
  info: 1,
  warn: 2,
  error: 3,
  silent: 4,
};

/** Writes one line at `severity`, redacted, when the threshold allows it. */
export type LogLine = (severity: Severity, line: string) => void;

/**
 * A line writer for one call. `secrets` is read at each line, so a token resolved during the
 * call is scrubbed from every later line.
 */
export function createLogLine(
  logger: Logger | undefined,
  threshold: LoggerLevel,
  secrets: readonly string[],
): LogLine {
  return (severity, line) => {
    if (logger === undefined || RANK[severity] < RANK[threshold]) return;
    try {
      logger[severity](redactText(`[job-status-client] ${line}`, secrets));
    } catch {
      // A broken logger must not turn a successful call into a failure.
    }
  };
}

/**
 * Calls `hook` with `info`, swallowing (and logging) whatever it throws or rejects with: hooks
 * are for observation and must never change the outcome of a call.
 */
export function callHook<T>(
  name: string,
  hook: ((info: T) => void) | undefined,
  info: T,
  log: LogLine,
  secrets: readonly string[],
): void {
  if (hook === undefined) return;
  const report = (error: unknown): void => {
    const safe = toSafeErrorInfo(error, secrets);
    log('warn', `the ${name} hook failed (ignored): ${safe.name}: ${safe.message}`);
  };
  try {
    const result: unknown = hook(info);
    if (isThenable(result)) result.then(undefined, report);
  } catch (error) {
    report(error);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
