import { redactText } from '../internal/redact';
import type { FollowContext } from './context';

/**
 * Writes one line to the context's logger, if any. A logger that throws must not break a
 * subscription or a wait, so its errors are swallowed.
 */
export function log(
  ctx: FollowContext,
  severity: 'debug' | 'info' | 'warn' | 'error',
  line: string,
): void {
  try {
    // Messages may quote a server's or a listener's error text: scrub credentials all the same.
    ctx.logger?.[severity](redactText(`[job-status-client] ${line}`));
  } catch {
    // Nothing sensible to do: the logger is the place errors would be reported.
  }
}
