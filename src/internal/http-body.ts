// The transport serialises and parses bodies itself (axios's transforms are switched off), so
// that tests see the exact bytes sent and a malformed answer fails loudly instead of arriving as
// a string.

import type { ValidationIssue } from '../errors';
import { redactText, truncate } from './redact';

/** The outcome of reading a success body: the value, or why it cannot be used. */
export type ParsedBody = { ok: true; value: unknown } | { ok: false; issue: ValidationIssue };

/**
 * `baseURL` + `path` + the query string. Query values that are undefined are left out. The path
 * is appended as text, never resolved, so an encoded segment such as `..` cannot climb out of
 * the base.
 */
export function buildUrl(
  baseURL: string,
  path: string,
  query: Readonly<Record<string, string | number | boolean | undefined>> = {},
): string {
  const base = baseURL.endsWith('/') ? baseURL : `${baseURL}/`;
  const relative = path.startsWith('/') ? path.slice(1) : path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) params.append(name, String(value));
  }
  const search = params.toString();
  if (search === '') return base + relative;
  return `${base}${relative}${relative.includes('?') ? '&' : '?'}${search}`;
}

/** The path without its query string: what errors, hooks and logs show. */
export function pathWithoutQuery(path: string): string {
  const query = path.indexOf('?');
  return query === -1 ? path : path.slice(0, query);
}

/**
 * Reads a 2xx body strictly: it must be UTF-8 JSON. `raw` is what the adapter produced
 * (an ArrayBuffer or Buffer normally; a string or an already parsed value from a custom adapter).
 * `secrets` are scrubbed from the excerpt quoted in an issue.
 */
export function parseSuccessBody(raw: unknown, secrets: readonly string[]): ParsedBody {
  let text: string;
  if (typeof raw === 'string') {
    text = raw;
  } else if (isBinary(raw)) {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      return {
        ok: false,
        issue: { path: [], message: 'the body is not valid UTF-8', code: 'invalid_utf8' },
      };
    }
  } else if (raw === undefined || raw === null) {
    text = '';
  } else {
    return { ok: true, value: raw };
  }
  if (text.trim() === '') {
    return {
      ok: false,
      issue: { path: [], message: 'the body is empty, expected JSON', code: 'invalid_json' },
    };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    const excerpt = JSON.stringify(redactText(truncate(text, 200), secrets));
    return {
      ok: false,
      issue: { path: [], message: `the body is not valid JSON: ${excerpt}`, code: 'invalid_json' },
    };
  }
}

/**
 * Reads an error body leniently: JSON when it parses, else the text, else undefined. Error
 * bodies come from proxies and load balancers too, so anything goes.
 */
export function parseErrorBody(raw: unknown): unknown {
  let text: string;
  if (typeof raw === 'string') text = raw;
  else if (isBinary(raw)) text = new TextDecoder('utf-8').decode(raw);
  else return raw ?? undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Lower-cased header names; repeated headers joined with `, `. */
export function normaliseHeaders(headers: unknown): Record<string, string> {
  const source: unknown =
    typeof (headers as { toJSON?: unknown } | null | undefined)?.toJSON === 'function'
      ? (headers as { toJSON(): unknown }).toJSON()
      : headers;
  const normalised: Record<string, string> = {};
  if (typeof source !== 'object' || source === null) return normalised;
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined || value === null) continue;
    normalised[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return normalised;
}

function isBinary(value: unknown): value is ArrayBuffer | ArrayBufferView {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}
