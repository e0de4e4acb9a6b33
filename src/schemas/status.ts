import * as z from 'zod/mini';
import { JOB_STATUSES, type KnownJobStatus } from '#protocol/statuses';
import { LOG_LEVELS } from './names';

/**
 * A job's status. The known ones autocomplete; any other string is kept as it came, because a
 * newer server may add statuses and an older SDK must not fail on them.
 */
export type JobStatus = KnownJobStatus | (string & {});

export { LOG_LEVELS };

/** The level of a job's log entry. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What the SDK sends as a status: only the statuses it knows (a typo would match nothing). */
export const jobStatusInputSchema = z.enum(JOB_STATUSES, {
  error: `must be one of ${JOB_STATUSES.join(', ')}`,
});

/** What the SDK sends as a log level. */
export const logLevelInputSchema = z.enum(LOG_LEVELS, {
  error: `must be one of ${LOG_LEVELS.join(', ')}`,
});
