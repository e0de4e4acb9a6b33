/** Which call an error belongs to, when it did not come with an HTTP answer. */
export interface RequestContext {
  method?: string;
  /** Relative to the base URL, without the query string. */
  path?: string;
}

/** ` (GET 1.0/job/abc)`, or nothing when the request is unknown. */
export function describeRequest(context: RequestContext): string {
  const parts = [context.method, context.path].filter((part) => part !== undefined);
  return parts.length === 0 ? '' : ` (${parts.join(' ')})`;
}
