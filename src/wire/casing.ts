// Key casing with the legacy client's (humps) semantics. Both functions run on every key of every
// request and response, and a response repeats the same few keys, so each conversion is
// remembered in a small bounded cache: a lookup costs less than scanning the key.

/** Cleared wholesale when full: cheaper than LRU bookkeeping, and keys repeat within an answer. */
const CACHE_LIMIT = 2000;

/** `convert`, remembering its results; `convert` must be pure. */
export function memoizeKeys(convert: (key: string) => string): (key: string) => string {
  const cache = new Map<string, string>();
  return (key) => {
    let converted = cache.get(key);
    if (converted === undefined) {
      converted = convert(key);
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(key, converted);
    }
    return converted;
  };
}

/** humps' rule for both directions: keys starting with `$` or reading as a number stay as they are. */
function isKeptAsIs(key: string): boolean {
  // Reads as a number: `"0"`, `"1.5"`, `" "`, `""`.
  return key.startsWith('$') || !Number.isNaN(Number(key));
}

/**
 * camelCase → snake_case as the legacy client did: `_` before every capital A-Z but the first
 * character, then everything lower-cased. `originalPath` → `original_path`, `fileID` →
 * `file_i_d`. Keys starting with `$`, numeric keys and keys already in snake_case are returned
 * unchanged.
 */
export const toSnakeKey = memoizeKeys((key) =>
  isKeptAsIs(key) ? key : (key.slice(0, 1) + key.slice(1).replace(/[A-Z]/g, '_$&')).toLowerCase(),
);

/**
 * A dotted `$set` key (`service_fields.<segment>.<segment>…`, segments already `(dot)`-escaped but
 * not converted) as the legacy client wrote it. Its mapper joined the caller's raw keys first and
 * humps then decamelized the whole joined key as one string. humps' exact rule: split before every
 * capital A-Z (a regex lookahead, so never before the string's first character), join the parts
 * with `_`, lower-case the result (non-ASCII capitals are lower-cased but not split before).
 * humps has no exception for `$` or numeric keys in this direction, and none is needed: the joined
 * key always starts with `service_fields.`. Digits are never split before, so a segment starting
 * with a digit is only changed by the capitals in it (`1A` → `1_a`). As the split runs over the
 * whole key, a capital that begins a segment gets an `_` too, unlike {@link toSnakeKey}:
 * `service_fields.Plate.WellID` → `service_fields._plate._well_i_d`, `service_fields.A(dot)B` →
 * `service_fields._a(dot)_b`.
 */
export const toLegacyDottedKey = memoizeKeys((dottedKey) =>
  dottedKey
    .split(/(?=[A-Z])/)
    .join('_')
    .toLowerCase(),
);

/**
 * snake_case → camelCase as the legacy client did: every run of `_`, `-` or whitespace is dropped
 * and the character after it upper-cased, then the first character is lower-cased.
 * `original_path` → `originalPath`, `file_i_d` → `fileID`. Keys starting with `$` and numeric keys
 * are returned unchanged.
 */
export const toCamelKey = memoizeKeys((key) => {
  if (isKeptAsIs(key)) return key;
  const joined = key.replace(/[-_\s]+(.)?/g, (_run, next: string | undefined) =>
    next === undefined ? '' : next.toUpperCase(),
  );
  return joined.slice(0, 1).toLowerCase() + joined.slice(1);
});
