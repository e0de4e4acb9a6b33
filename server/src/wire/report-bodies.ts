import {
  parseLogBody as parseLogRequest,
  parseProgressBody as parseProgressRequest,
  type LogRequest,
  type WireProgress,
} from '#protocol';
import { withApiErrors } from './model-errors';

/** Progress as stored and sent: `percent` is derived by the server. */
export type Progress = WireProgress;

/** A validated log entry; the server adds `time`. */
export type LogInput = LogRequest;

/** Validates `POST 1.0/job/{jobId}/progress` and derives `percent` (two decimals). */
export function parseProgressBody(body: unknown): Progress {
  return withApiErrors(() => parseProgressRequest(body));
}

/** Validates `POST 1.0/job/{jobId}/logs`. */
export function parseLogBody(body: unknown): LogInput {
  return withApiErrors(() => parseLogRequest(body));
}
