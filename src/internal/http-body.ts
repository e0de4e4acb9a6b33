// The transport serialises and parses bodies itself (axios's transforms are switched off), so
// that tests see the exact bytes sent and a malformed answer fails loudly instead of arriving as
// a string.

import type { ValidationIssue } from '../errors';
import { redactText, truncate } from './redact';

// One decoder for every call: creating one costs more than a small body's decoding. Without
// `stream`, each decode starts afresh, so sharing it is safe.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder();

/** The outcome of reading a success body: the value, or why it cannot be used. */
export type ParsedBody = { ok: true; value: unknown } | { ok: false; issue: ValidationIssue };

/**
 * `baseURL` (which ends with `/`) + `path` (relative) + the query string. Query values that are
 * undefined are left out. The path is appended as text, never resolved, so an encoded segment
 * such as `..` cannot climb out of the base.
 */
export function buildUrl(
  baseURL: string,
  path: string,
  query?: Readonly<Record<string, string | number | boolean | undefined>>,
): string {
  const url = baseURL + path;
  // Most calls have no query: no URLSearchParams for them.
  if (query === undefined) return url;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) params.append(name, String(value));
  }
  const search = params.toString();
  return search === '' ? url : `${url}${path.includes('?') ? '&' : '?'}${search}`;
}

/** The path without its query string: what errors, hooks and logs show. */
export function pathWithoutQuery(path: string): string {
  const query = path.indexOf('?');
  return query === -1 ? path : path.slice(0, query);
}

function invalid(message: string, code = 'invalid_json'): ParsedBody {
  return { ok: false, issue: { path: [], message, code } };
}

/**
 * Parsed bodies whose text cannot hold a `"__proto__"` key: the text has no `prot` and no
 * `\u` escape (with which a key can spell any of its letters). Decoding then skips its search.
 */
const WITHOUT_PROTO_KEY = new WeakSet<object>();

/** Whether `value` is a body parsed here whose text holds no `"__proto__"` key at any depth. */
export function isWithoutProtoKey(value: object): boolean {
  return WITHOUT_PROTO_KEY.has(value);
}

/**
 * Reads a 2xx body strictly: it must be UTF-8 JSON. `raw` is what the adapter produced
 * (an ArrayBuffer or Buffer normally; a string or an already parsed value from a custom adapter).
 * `secrets` are scrubbed from the excerpt quoted in an issue.
 */
export function parseSuccessBody(raw: unknown, secrets: readonly string[]): ParsedBody {
  let text: string | undefined;
  try {
    text = textOf(raw, strictUtf8);
  } catch {
    return invalid('the body is not valid UTF-8', 'invalid_utf8');
  }
  if (text === undefined && raw != null) return { ok: true, value: raw };
  if (!text?.trim()) return invalid('the body is empty, expected JSON');
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === 'object' && value !== null) {
      // `prot`, not `__proto__`: the search is several times faster without the leading `_`
      // that nearly every key of a snake_case body holds.
      if (!text.includes('prot') && !text.includes('\\u')) WITHOUT_PROTO_KEY.add(value);
    }
    return { ok: true, value };
  } catch {
    const excerpt = JSON.stringify(redactText(truncate(text, 200), secrets));
    return invalid(`the body is not valid JSON: ${excerpt}`);
  }
}

/**
 * Reads an error body leniently: JSON when it parses, else the text, else undefined. Error
 * bodies come from proxies and load balancers too, so anything goes.
 */
export function parseErrorBody(raw: unknown): unknown {
  const text = textOf(raw, lenientUtf8);
  if (text === undefined) return raw ?? undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The text of a string or binary body; undefined for anything else (a custom adapter's value). */
function textOf(raw: unknown, decoder: TextDecoder): string | undefined {
  return typeof raw === 'string' ? raw : isBinary(raw) ? decoder.decode(raw) : undefined;
}

/**
 * Lower-cased header names; repeated headers joined with `, `; empty values (null, undefined,
 * false) left out. Read from the own properties of axios's headers object, where it keeps them,
 * rather than through its `toJSON()` copy: this runs on every answer.
 */
export function normaliseHeaders(headers: unknown): Record<string, string> {
  const normalised: Record<string, string> = {};
  if (typeof headers !== 'object' || headers === null) return normalised;
  for (const name of Object.keys(headers)) {
    const value: unknown = (headers as Record<string, unknown>)[name];
    if (value === undefined || value === null || value === false) continue;
    normalised[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return normalised;
}

function isBinary(value: unknown): value is ArrayBuffer | ArrayBufferView {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}
