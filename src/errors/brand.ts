// `instanceof` fails when two copies of the SDK are loaded (an ESM and a CJS build, two bundles).
// Every error therefore carries, under a registry symbol shared by all copies, the list of the
// kinds it is (`['JobStatusError', 'ApiError', 'NotFoundError']`); the guards read that list.

/** The property every SDK error carries; `Symbol.for` makes it the same symbol in every copy. */
export const ERROR_BRAND = Symbol.for('job-status-client.error');

/** True when `value` is an SDK error of `kind` (or of a subclass of it), from any copy of the SDK. */
export function hasErrorKind(value: unknown, kind: string): boolean {
  const kinds = (value as Record<symbol, unknown> | null | undefined)?.[ERROR_BRAND];
  return Array.isArray(kinds) && kinds.includes(kind);
}

/**
 * The kinds of an instance of `constructor`: the own static `kind` of each class from the base
 * down to it. A class without its own `kind` (a caller's subclass) adds nothing.
 */
export function kindsOfClass(constructor: unknown): string[] {
  const kinds: string[] = [];
  for (let current = constructor; current !== Error; current = Object.getPrototypeOf(current)) {
    if (Object.hasOwn(current as object, 'kind')) kinds.unshift((current as { kind: string }).kind);
  }
  return kinds;
}
