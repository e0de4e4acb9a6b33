import { ModelError } from './errors';

/**
 * Deeper nesting is refused: it is never real data, and it would overflow recursive code (a
 * canonical form, a deep copy) on whichever side handles it.
 */
export const MAX_NESTING_DEPTH = 64;

/**
 * Keys that would reach `Object.prototype` through naive merging on a server or in a client
 * (prototype pollution): refused at every depth of every body, and as `$set` path segments.
 */
export const FORBIDDEN_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** Whether `key` is one of {@link FORBIDDEN_KEYS}. */
export const isForbiddenKey = (key: string): boolean => FORBIDDEN_KEYS.includes(key);

/** How many segments of a path a message shows: a path may be as deep as the limit allows. */
const SHOWN_SEGMENTS = 6;

interface Visit {
  value: unknown;
  key: string | undefined;
  parent: Visit | undefined;
  depth: number;
}

function pathOf(visit: Visit): string {
  const keys: string[] = [];
  for (let at: Visit | undefined = visit; at?.key !== undefined; at = at.parent) keys.push(at.key);
  keys.reverse();
  const shown = keys.slice(0, SHOWN_SEGMENTS).join('.');
  return keys.length === 0 ? 'the body' : keys.length > SHOWN_SEGMENTS ? `${shown}…` : shown;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Why a string cannot be stored: PostgreSQL's text and jsonb refuse the NUL character, and jsonb
 * refuses a lone UTF-16 surrogate (JSON text can carry one as `\ud800`). Undefined when it can.
 */
export function unstorableStringReason(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains a NUL character (\\u0000)';
  if (LONE_SURROGATE.test(text)) return 'contains a lone UTF-16 surrogate';
  return undefined;
}

/**
 * The rules every parsed JSON body meets before anything else reads it: at most
 * {@link MAX_NESTING_DEPTH} levels of objects and arrays, no {@link FORBIDDEN_KEYS} key at any
 * depth, and only strings (values and keys) a database can store. Walked with an explicit stack,
 * so that a body nested 100,000 deep is refused rather than overflowing the call stack.
 *
 * @throws ModelError `invalid_body` naming the path and the rule
 */
export function checkJsonBody(body: unknown): void {
  const stack: Visit[] = [{ value: body, key: undefined, parent: undefined, depth: 0 }];
  for (let visit = stack.pop(); visit !== undefined; visit = stack.pop()) {
    const { value, depth } = visit;
    if (typeof value === 'string') {
      const reason = unstorableStringReason(value);
      if (reason) throw new ModelError('invalid_body', `The string at ${pathOf(visit)} ${reason}`);
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_NESTING_DEPTH) {
      throw new ModelError(
        'invalid_body',
        `The body is nested deeper than ${MAX_NESTING_DEPTH} levels at ${pathOf(visit)}`,
      );
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const child: Visit = { value: record[key], key, parent: visit, depth: depth + 1 };
      if (!Array.isArray(value)) {
        if (isForbiddenKey(key)) {
          throw new ModelError(
            'invalid_body',
            `The key "${key}" at ${pathOf(child)} is not allowed (prototype pollution)`,
          );
        }
        const reason = unstorableStringReason(key);
        if (reason) throw new ModelError('invalid_body', `A key inside ${pathOf(visit)} ${reason}`);
      }
      stack.push(child);
    }
  }
}
