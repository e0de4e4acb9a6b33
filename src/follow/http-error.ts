import { ApiError } from '../errors';

/**
 * The ApiError subclass for a fetch answer outside 2xx, built like the transport builds them (the
 * contract's error body, `X-Request-Id`, `Retry-After`). Reads and so releases the body.
 */
export async function apiErrorFromResponse(
  response: Response,
  request: { method: string; path: string; secrets: readonly string[] },
): Promise<ApiError> {
  let body: unknown;
  try {
    const text = await response.text();
    body = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    // Not JSON (a proxy's HTML page, a dropped body): the status alone still says enough.
    body = undefined;
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return ApiError.from(response.status, body, headers, request);
}

/**
 * Whether a connect that failed with `status` can succeed later: 408, 429 and 5xx can; any other
 * 4xx (401, 403, 404, ...) will answer the same again.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}
