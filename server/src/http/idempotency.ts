import type { Context } from 'hono';
import type { IdempotencyRequest } from '../store/write';
import { hashJson } from '../wire/canonical-json';
import { ApiError } from './api-error';
import type { JssEnv } from './env';

/** 1..255 visible ASCII characters (docs/protocol.md, "Idempotency"). */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

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
  if (!KEY_PATTERN.test(key)) {
    throw new ApiError(
      400,
      'invalid_idempotency_key',
      'Idempotency-Key must be 1..255 visible ASCII characters',
    );
  }
  return {
    key,
    user: c.get('principal').user,
    method: c.req.method,
    path: c.req.path,
    bodyHash: hashJson(body ?? {}),
  };
}
