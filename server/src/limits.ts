import { MAX_BATCH_JOBS } from '../../src/internal/model';

/**
 * Bounds on what one request may ask of the server. Each is a protocol rule (docs/protocol.md)
 * the SDK and the testing kit read from their own side where they need it.
 */
export const LIMITS = {
  /** Jobs one `POST 1.0/job/batch` may create. */
  batchCreateJobs: MAX_BATCH_JOBS,
  /**
   * Matches a query counts at most for `total_count`; beyond it the envelope says
   * `total_count_capped: true` and `total_count` is this many (a lower bound).
   */
  queryCountCap: 1000,
} as const;

export type Limits = typeof LIMITS;
