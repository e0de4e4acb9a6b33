import * as z from 'zod/mini';
import type { AssertTrue, IsSameType } from './issues';
import { jsonDataSchema } from './json-value';
import { logLevelInputSchema, type LogLevel } from './status';

/** The longest log message the server stores. */
export const MAX_LOG_MESSAGE_LENGTH = 10_000;

/** A log entry to append: a level, a message and optional JSON data. */
export const logInputSchema = z.object({
  level: logLevelInputSchema,
  message: z.string().check(z.minLength(1), z.maxLength(MAX_LOG_MESSAGE_LENGTH)),
  data: z.optional(jsonDataSchema),
});

/** Options of `log`. */
export interface LogOptions {
  /**
   * @default 'info'
   * @example { level: 'warning' }
   */
  level?: LogLevel;
  /**
   * Any JSON value stored with the entry.
   * @example { data: { file: 'a.txt', bytes: 3 } }
   */
  data?: unknown;
}

// The options are the entry without its message, the level being filled in by default.
type _LogOptionsAreTheSchemaInput = AssertTrue<
  IsSameType<LogOptions, Partial<Omit<z.input<typeof logInputSchema>, 'message'>>>
>;
