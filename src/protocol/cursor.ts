import { parseJssDate } from './dates';
import { ModelError } from './errors';
import { jobIdProblem } from './job-id';

/** Where a cursor continues: after this job in the default order (`created, job_id`). */
export interface CursorPosition {
  created: string;
  job_id: string;
}

// base64url by hand over UTF-8: `Buffer` is Node-only and the testing kit also runs in browsers.
function toBase64Url(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): string {
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  const bytes = Uint8Array.from(binary, (character) => character.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/** The opaque `next_cursor` after `last`, the last job of a page. */
export function encodeCursor(last: CursorPosition): string {
  return toBase64Url(JSON.stringify([last.created, last.job_id]));
}

/**
 * Reads a cursor made by {@link encodeCursor}.
 *
 * @throws ModelError `invalid_paging` for anything else
 */
export function decodeCursor(cursor: string): CursorPosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(fromBase64Url(cursor));
  } catch {
    decoded = undefined;
  }
  if (
    Array.isArray(decoded) &&
    decoded.length === 2 &&
    typeof decoded[0] === 'string' &&
    parseJssDate(decoded[0]) !== undefined &&
    jobIdProblem(decoded[1]) === undefined
  ) {
    return { created: decoded[0], job_id: decoded[1] as string };
  }
  throw new ModelError('invalid_paging', 'Malformed cursor');
}
