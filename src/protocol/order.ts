import { parseJssDate } from './dates';

/**
 * Orders UTF-16 code units as code points would be (surrogates after U+E000-U+FFFF), which is
 * the byte order of UTF-8 and so PostgreSQL's `COLLATE "C"`.
 */
function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

/** Negative, zero or positive as `left` sorts before, with or after `right` by code point. */
export function compareCodePoints(left: string, right: string): number {
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index++) {
    const a = left.charCodeAt(index);
    const b = right.charCodeAt(index);
    if (a !== b) return codePointRank(a) - codePointRank(b);
  }
  return left.length - right.length;
}

/** Milliseconds since the epoch of a JSS time string, undefined when it is not one. */
export function timeOf(value: unknown): number | undefined {
  return typeof value === 'string' ? parseJssDate(value)?.getTime() : undefined;
}
