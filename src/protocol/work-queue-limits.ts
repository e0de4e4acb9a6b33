// The work queue's named priorities and bounds, apart from its rules: the SDK's schemas import
// these without the rules (or the cron parser) coming along.

/**
 * The named priorities and their numbers. A higher number is claimed first. The names are
 * meteor job-collection's; its numbers run the other way (lower first), so they are negated here.
 */
export const PRIORITY_LEVELS = {
  low: -10,
  normal: 0,
  medium: 5,
  high: 10,
  critical: 15,
} as const;

export type PriorityLevel = keyof typeof PRIORITY_LEVELS;

/** Integer priorities fit PostgreSQL's `integer`. */
export const MIN_PRIORITY = -2_147_483_648;
export const MAX_PRIORITY = 2_147_483_647;

/** Bounds of the claim request and the lease. */
export const MAX_CLAIM_LIMIT = 100;
/** Most jobs one batched complete (`POST 1.0/job/complete`) reports. */
export const MAX_COMPLETE_BATCH = 100;
export const MIN_LEASE_MS = 1_000;
export const MAX_LEASE_MS = 3_600_000;
export const DEFAULT_LEASE_MS = 30_000;
/** The longest a claim waits for work when none is claimable (`wait_ms`). */
export const MAX_CLAIM_WAIT_MS = 30_000;
export const MAX_WORKER_ID_LENGTH = 128;
export const MAX_CLAIM_SERVICES = 20;
export const MAX_DEPENDENCIES = 100;
export const MAX_ERROR_MESSAGE_LENGTH = 10_000;
/** Bounds of retry and repeat counts and waits (a year, in milliseconds). */
export const MAX_RETRIES = 1_000_000;
export const MAX_WAIT_MS = 31_536_000_000;
export const DEFAULT_RETRY_WAIT_MS = 300_000;

/** The longest cron expression accepted (`repeat.schedule`): a bound on the work of parsing one. */
export const MAX_CRON_LENGTH = 200;
