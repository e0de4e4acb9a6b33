import { HttpResponse, type JsonBodyType } from 'msw';
import { randomHex } from '#protocol/ids';
import { WELL_FORMED_REQUEST_ID } from '#protocol/headers';
import { errorResponseType, type ModelError } from '#protocol';
import type { ServiceError } from '../service-error';

/** What a route answers, before it becomes a Response. */
export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** The request's id: the caller's when well formed, else a fresh UUID. */
export function requestIdOf(request: Request): string {
  const incoming = request.headers.get('X-Request-Id');
  if (incoming !== null && WELL_FORMED_REQUEST_ID.test(incoming)) return incoming;
  // randomUUID exists only in secure browser contexts; the kit may run on a plain-http page.
  if (typeof globalThis.crypto.randomUUID === 'function') return globalThis.crypto.randomUUID();
  const hex = randomHex(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The success envelope; query and changes add their paging fields. */
export function envelope(
  data: unknown[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { response_type: 'SUCCESS', data, total_count: data.length, offset: 0, ...extra };
}

/** A 200 (or `status`) answer with one job. */
export function oneJob(job: unknown, status = 200): Answer {
  return { status, body: envelope([job]) };
}

/** The error body of docs/protocol.md. */
export function errorAnswer(error: ModelError | ServiceError, requestId: string): Answer {
  return {
    status: error.status,
    ...('headers' in error ? { headers: { ...error.headers } } : {}),
    body: {
      response_type: errorResponseType(error.status),
      error: error.message,
      code: error.code,
      request_id: requestId,
    },
  };
}

/** The answer as a JSON Response, carrying the request id. */
export function toResponse(answer: Answer, requestId: string): Response {
  return HttpResponse.json(answer.body as JsonBodyType, {
    status: answer.status,
    headers: { ...answer.headers, 'X-Request-Id': requestId },
  });
}
