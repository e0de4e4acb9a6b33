import { createHash } from 'node:crypto';
import { canonicalJson } from '#protocol/canonical-json';

/** A short stable fingerprint of a JSON value: equal for bodies that mean the same thing. */
export function hashJson(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
