import { cloneJson, ModelError, type Principal } from '#protocol';
import { ServiceError } from '../service-error';
import { canonicalJson } from '#protocol/canonical-json';
import {
  IDEMPOTENCY_KEY_LIFETIME_MS,
  IDEMPOTENCY_KEY_PATTERN,
  IDEMPOTENCY_KEY_RULE,
} from '#protocol/headers';
import type { JobTable } from '../store/job-table';
import type { Answer } from './answers';

/** The write a request asks for, as idempotency compares it. */
export interface WriteRequest {
  request: Request;
  /** The caller: keys are its own. */
  principal: Principal;
  url: URL;
  /** The parsed body; none counts as `{}`. */
  body: unknown;
}

/**
 * Runs a write, honouring `Idempotency-Key`: the first successful answer is stored under the
 * caller's key (keys belong to the caller's user) and replayed, with
 * `Idempotent-Replayed: true`, to a later request with the same key, method, path and body
 * (compared as canonical JSON). A refused write stores nothing, so it can be corrected and sent
 * again with the same key.
 *
 * @throws ServiceError `invalid_idempotency_key`; ModelError `idempotency_key_reused`
 */
export function runWrite(table: JobTable, write: WriteRequest, perform: () => Answer): Answer {
  const key = write.request.headers.get('Idempotency-Key');
  if (key === null) return perform();
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new ServiceError('invalid_idempotency_key', 400, IDEMPOTENCY_KEY_RULE);
  }
  const slot = `${write.principal.user}\n${key}`;
  const fingerprint = `${write.request.method} ${write.url.pathname} ${canonicalJson(write.body ?? {})}`;
  const now = table.now().getTime();
  const stored = table.answers.get(slot);
  if (stored !== undefined && now - stored.storedAt < IDEMPOTENCY_KEY_LIFETIME_MS) {
    if (stored.fingerprint !== fingerprint) {
      throw new ModelError(
        'idempotency_key_reused',
        'This Idempotency-Key was already used for a different request',
      );
    }
    return {
      status: stored.status,
      body: cloneJson(stored.body),
      headers: { 'Idempotent-Replayed': 'true' },
    };
  }
  const answer = perform();
  table.answers.set(slot, {
    fingerprint,
    status: answer.status,
    body: cloneJson(answer.body),
    storedAt: now,
  });
  return answer;
}
