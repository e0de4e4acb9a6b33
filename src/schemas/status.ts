import * as z from 'zod/mini';
import { JOB_STATUSES, type KnownJobStatus } from '../internal/model/statuses';

/**
 * A job's status. The known ones autocomplete; any other string is kept as it came, because a
 * newer server may add statuses and an older SDK must not fail on them.
 */
export type JobStatus = KnownJobStatus | (string & {});

/** The level of a log entry, as the protocol defines it. */
export const LOG_LEVELS = ['info', 'success', 'warning', 'danger'] as const;

/** The level of a job's log entry. */
export type LogLevel = (typeof LOG_LEVELS)[number];

const knownStatuses = JOB_STATUSES.join(', ');

/** What the SDK sends: only the statuses it knows, with an error that lists them. */
export const jobStatusInputSchema = z.enum(JOB_STATUSES, {
  error: `must be one of ${knownStatuses}`,
});

/** What the SDK accepts from a server: any string (typed as {@link JobStatus}). */
export const jobStatusOutputSchema = z.string() as unknown as z.ZodMiniType<JobStatus, unknown>;

/** What the SDK sends as a log level. */
export const logLevelInputSchema = z.enum(LOG_LEVELS, {
  error: `must be one of ${LOG_LEVELS.join(', ')}`,
});

/** What the SDK accepts from a server as a log level: any string, like statuses. */
export const logLevelOutputSchema = z.string() as unknown as z.ZodMiniType<
  LogLevel | (string & {}),
  unknown
>;
