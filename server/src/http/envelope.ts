import type { Context } from 'hono';
import { LIMITS } from '../limits';
import { ApiError } from './api-error';

/** The success envelope of every answer but `health` (docs/protocol.md, "Envelope"). */
export interface SuccessEnvelope {
  response_type: 'SUCCESS';
  data: unknown[];
  total_count: number;
  offset: number;
  [extra: string]: unknown;
}

/** An envelope around `data`; query and changes add their paging fields. */
export function envelope(data: unknown[], extra: Partial<SuccessEnvelope> = {}): SuccessEnvelope {
  return { response_type: 'SUCCESS', data, total_count: data.length, offset: 0, ...extra };
}

/**
 * Sends a JSON answer unless its text is over `LIMITS.responseBytes`, which is 413
 * `response_too_large` naming the limit: the caller can ask for a smaller page.
 */
export function jsonWithinLimit(c: Context, body: SuccessEnvelope): Response {
  const text = JSON.stringify(body);
  const bytes = Buffer.byteLength(text);
  if (bytes > LIMITS.responseBytes) {
    throw new ApiError(
      413,
      'response_too_large',
      `The answer would be ${bytes} bytes, over the limit of ${LIMITS.responseBytes} (responseBytes); ask for a smaller page with ?limit`,
    );
  }
  return c.body(text, 200, { 'Content-Type': 'application/json' });
}
