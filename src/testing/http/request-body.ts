import { checkJsonBody, ModelError } from '#protocol';
import { invalidBody } from '../service-error';

/** The largest request body accepted, as the reference server's default: 1 MiB. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * The request body parsed as JSON; undefined when there is none (or only whitespace).
 *
 * @throws ModelError `payload_too_large` over the limit, `invalid_body` when it is not JSON or
 * breaks the body rules every side shares (nesting depth, forbidden keys, storable strings)
 */
export async function readJsonBody(request: Request): Promise<unknown> {
  const text = await request.text();
  if (new TextEncoder().encode(text).length > BODY_LIMIT_BYTES) {
    throw new ModelError('payload_too_large', 'The request body is larger than the server accepts');
  }
  if (text.trim() === '') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    throw invalidBody('The body is not valid JSON');
  }
  checkJsonBody(body);
  return body;
}
