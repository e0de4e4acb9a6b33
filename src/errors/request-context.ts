/** Which call an error belongs to, when it did not come with an HTTP answer. */
export interface RequestContext {
  method?: string;
  /** Relative to the base URL, without the query string. */
  path?: string;
}

/**
 * ` (GET 1.0/job/abc)`, ` (GET 1.0/job/abc, status 200)` when a status is given, or nothing when
 * nothing is known: the part of every message that names the call.
 */
export function describeRequest(context: RequestContext & { status?: number | undefined }): string {
  const request = [context.method, context.path].filter((part) => part !== undefined).join(' ');
  const parts = [request, context.status === undefined ? '' : `status ${context.status}`].filter(
    (part) => part !== '',
  );
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}
