// A `.` inside a key would split a dotted `$set` path in two, so the contract escapes it as
// `(dot)`. The escape is not itself escaped (legacy bytes): a key that literally contains
// `(dot)` comes back with a `.` in its place.

const DOT = '.';
const ESCAPED_DOT = '(dot)';

/** `file.txt` → `file(dot)txt`: one key made safe to stand as one segment of a dotted path. */
export function escapeKeySegment(segment: string): string {
  return segment.replaceAll(DOT, ESCAPED_DOT);
}

/** `file(dot)txt` → `file.txt`: the inverse of {@link escapeKeySegment}. */
export function unescapeKeySegment(segment: string): string {
  return segment.replaceAll(ESCAPED_DOT, DOT);
}

/** `a.file(dot)txt.0` → `['a', 'file.txt', '0']`: splits on `.` and unescapes each segment. */
export function splitDottedPath(key: string): string[] {
  return key.split(DOT).map(unescapeKeySegment);
}
