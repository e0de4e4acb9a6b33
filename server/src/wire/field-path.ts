/** The prefix of every key that addresses a path inside `service_fields`. */
export const SERVICE_FIELDS_PREFIX = 'service_fields.';

/**
 * Splits the part of a key after `service_fields.` into path segments, turning `(dot)` back into
 * `.`. An empty segment (`a..b`, a trailing dot) is the key `""`: the SDK sends one for an empty
 * key, and its model and testing kit read it so (docs/protocol.md refuses no such path).
 */
export function splitFieldPath(dotted: string): string[] {
  return dotted.split('.').map((segment) => segment.replaceAll('(dot)', '.'));
}
