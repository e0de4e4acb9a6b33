// The request headers whose form the protocol fixes (docs/protocol.md, "Idempotency" and
// "Request ids"): a client sends them, a service checks them.

/** An `Idempotency-Key`: 1..255 visible ASCII characters. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** What a service answers 400 `invalid_idempotency_key` with. */
export const IDEMPOTENCY_KEY_RULE = 'Idempotency-Key must be 1..255 visible ASCII characters';

/** How long a service replays the answer stored under an `Idempotency-Key`. */
export const IDEMPOTENCY_KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** A caller's `X-Request-Id` is echoed only when it looks like this; else a service makes one. */
export const WELL_FORMED_REQUEST_ID = /^[A-Za-z0-9._:+=/-]{1,128}$/;
