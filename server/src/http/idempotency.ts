import type { Context } from 'hono';
import type { IdempotencyRequest } from '../store/write';
import { IDEMPOTENCY_KEY_PATTERN, IDEMPOTENCY_KEY_RULE } from '#protocol/headers';
import { hashJson } from '../wire/hash-json';
import { ApiError } from './api-error';
import type { JssEnv } from './env';

/**
 * What identifies this request for replay, or `undefined` without an `Idempotency-Key`. Keys
 * belong to the authenticated caller; the body is compared by its canonical JSON, so a
 * retry that reorders keys is still the same request (no body counts as `{}`).
 */
export function idempotencyRequest(
  c: Context<JssEnv>,
  body: unknown,
): IdempotencyRequest | undefined {
  const key = c.req.header('Idempotency-Key');
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new ApiError(400, 'invalid_idempotency_key', IDEMPOTENCY_KEY_RULE);
  }
  return {
    key,
    user: c.get('principal').user,
    method: c.req.method,
    path: c.req.path,
    bodyHash: hashJson(body ?? {}),
  };
}
