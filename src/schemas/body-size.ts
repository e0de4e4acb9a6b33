import { issueAt, throwIfIssues } from './issues';

/** The largest body the server accepts (it answers 413 above it), in bytes of UTF-8. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Refuses an encoded body the server would refuse anyway, before it is sent (and retried).
 *
 * @param argument the argument the body was built from, named in the error
 * @throws RequestValidationError `job: the encoded body is 1200000 bytes; the limit is 1048576`
 */
export function checkBodySize<T>(body: T, argument: string): T {
  const json = JSON.stringify(body);
  // At most three UTF-8 bytes per UTF-16 code unit: most bodies are obviously small and need no
  // encoding to be measured.
  const bytes = json.length * 3 > MAX_BODY_BYTES ? new TextEncoder().encode(json).length : 0;
  if (bytes > MAX_BODY_BYTES) {
    throwIfIssues([
      issueAt(
        [argument],
        `the encoded body is ${bytes} bytes; the limit is ${MAX_BODY_BYTES}`,
        'too_big',
      ),
    ]);
  }
  return body;
}
