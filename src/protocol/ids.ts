// Random identifiers: a client fixes its keys before the first attempt, so that a retried write
// is recognised by the server as the same request; a server makes job ids in the same format.

/**
 * A random lower-case hexadecimal string of `bytes * 2` characters.
 *
 * `crypto.randomUUID` is only defined in secure browser contexts (https or localhost), so an SDK
 * loaded from a plain-http intranet page would crash with it; `getRandomValues` exists everywhere.
 */
export function randomHex(bytes: number): string {
  const buffer = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(buffer);
  let hex = '';
  for (const byte of buffer) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** A job id in the server's own format: 32 hexadecimal characters (128 random bits). */
export function newJobId(): string {
  return randomHex(16);
}

/** A value for the `Idempotency-Key` header: 32 hexadecimal characters, like a job id. */
export const newIdempotencyKey: () => string = newJobId;
