// `instanceof` fails when two copies of the SDK are loaded (an ESM and a CJS build, two bundles).
// Every error therefore carries, under a registry symbol shared by all copies, the list of the
// kinds it is (`['JobStatusError', 'ApiError', 'NotFoundError']`); the guards read that list.

/** The property every SDK error carries; `Symbol.for` makes it the same symbol in every copy. */
export const ERROR_BRAND = Symbol.for('job-status-client.error');

/** The kinds `value` declares under the brand, or undefined when it is not an SDK error. */
export function brandedKinds(value: unknown): readonly string[] | undefined {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null)
    return undefined;
  const kinds: unknown = (value as Record<symbol, unknown>)[ERROR_BRAND];
  return Array.isArray(kinds) && kinds.every((kind) => typeof kind === 'string')
    ? (kinds as string[])
    : undefined;
}

/** True when `value` is an SDK error of `kind` (or of a subclass of it), from any copy of the SDK. */
export function hasErrorKind(value: unknown, kind: string): boolean {
  return brandedKinds(value)?.includes(kind) ?? false;
}

/**
 * The kinds of an instance of `constructor`: the own static `kind` of each class from the base
 * down to it. A class without its own `kind` (a caller's subclass) adds nothing.
 */
export function kindsOfClass(constructor: unknown): string[] {
  const kinds: string[] = [];
  for (
    let current = constructor;
    typeof current === 'function' && current !== Error;
    current = Object.getPrototypeOf(current)
  ) {
    const kind: unknown = Object.hasOwn(current, 'kind')
      ? (current as { kind?: unknown }).kind
      : undefined;
    if (typeof kind === 'string') kinds.unshift(kind);
  }
  return kinds;
}
