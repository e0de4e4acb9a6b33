// Key casing with the legacy client's (humps) semantics. Both functions run on every key of every
// request and response, so the common case (nothing to change) is a single scan with no
// allocation, and converted keys are remembered in a small bounded cache.

const CACHE_LIMIT = 2000;
const snakeCache = new Map<string, string>();
const camelCache = new Map<string, string>();

const DOLLAR = 36;
const UPPER_A = 65;
const UPPER_Z = 90;
const HYPHEN = 45;
const UNDERSCORE = 95;
const SPACE = 32;
const LAST_ASCII = 127;

function remember(cache: Map<string, string>, key: string, converted: string): string {
  // Clearing wholesale is cheaper than LRU bookkeeping and keys repeat within a response anyway.
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, converted);
  return converted;
}

/** humps' test: a key that reads as a number (`"0"`, `"1.5"`, `" "`) is never converted. */
function isNumericKey(key: string): boolean {
  return !Number.isNaN(Number(key));
}

function isUpperAscii(code: number): boolean {
  return code >= UPPER_A && code <= UPPER_Z;
}

/**
 * camelCase → snake_case as the legacy client did: `_` before every capital A-Z but the first
 * character, then everything lower-cased. `originalPath` → `original_path`, `fileID` →
 * `file_i_d`. Keys starting with `$`, numeric keys and keys already in snake_case are returned
 * unchanged.
 */
export function toSnakeKey(key: string): string {
  let needsWork = false;
  for (let index = 0; index < key.length; index++) {
    const code = key.charCodeAt(index);
    // Beyond ASCII, toLowerCase may change a character even where no `_` is inserted.
    if (isUpperAscii(code) || code > LAST_ASCII) {
      needsWork = true;
      break;
    }
  }
  if (!needsWork || key.charCodeAt(0) === DOLLAR) return key;
  const cached = snakeCache.get(key);
  if (cached !== undefined) return cached;
  if (isNumericKey(key)) return remember(snakeCache, key, key);

  let converted = '';
  let start = 0;
  for (let index = 1; index < key.length; index++) {
    if (isUpperAscii(key.charCodeAt(index))) {
      converted += key.slice(start, index) + '_';
      start = index;
    }
  }
  converted += key.slice(start);
  return remember(snakeCache, key, converted.toLowerCase());
}

/** humps' separator: a run of `-`, `_` or whitespace, and the character after it (if any). */
const SEPARATOR_RUN = /[-_\s]+(.)?/g;

/** Whether a character might be one of `-`, `_` or what `\s` matches. */
function maybeSeparator(code: number): boolean {
  return code === HYPHEN || code === UNDERSCORE || code <= SPACE || code > LAST_ASCII;
}

/**
 * snake_case → camelCase as the legacy client did: every run of `_`, `-` or whitespace is dropped
 * and the character after it upper-cased, then the first character is lower-cased.
 * `original_path` → `originalPath`, `file_i_d` → `fileID`. Keys starting with `$` and numeric keys
 * are returned unchanged.
 */
export function toCamelKey(key: string): string {
  if (key.length === 0) return key;
  const first = key.charCodeAt(0);
  if (first === DOLLAR) return key;
  let needsWork = isUpperAscii(first) || first > LAST_ASCII;
  for (let index = 0; !needsWork && index < key.length; index++) {
    needsWork = maybeSeparator(key.charCodeAt(index));
  }
  if (!needsWork) return key;
  const cached = camelCache.get(key);
  if (cached !== undefined) return cached;
  if (isNumericKey(key)) return remember(camelCache, key, key);

  const joined = key.replace(SEPARATOR_RUN, (_run, next: string | undefined) =>
    next === undefined ? '' : next.toUpperCase(),
  );
  return remember(camelCache, key, joined.slice(0, 1).toLowerCase() + joined.slice(1));
}
