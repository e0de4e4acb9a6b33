// Exit codes and the one-line message of every failure. The table is documented in docs/cli.md.
import {
  AbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  JobStatusError,
  NotFoundError,
  PermissionDeniedError,
  RequestValidationError,
  TimeoutError,
  UnprocessableEntityError,
} from 'job-status-client';

/** What `jss` exits with. */
export const EXIT = {
  ok: 0,
  /** The request failed: connection, server error, anything not listed below. */
  failure: 1,
  /** The command line was wrong: flags, arguments, config file, or input the SDK refused. */
  usage: 2,
  /** The job does not exist (or was deleted while waited for). */
  notFound: 3,
  /** The service refused the credentials (401) or the action (403). */
  auth: 4,
  /** The job's state does not allow the action (abort an ended job, delete a running one). */
  conflict: 5,
  /** `wait --timeout` ran out before the job ended. */
  timeout: 6,
  /** `wait`: the job ended FAILED. */
  failed: 10,
  /** `wait`: the job ended UNRECOVERABLE. */
  unrecoverable: 11,
  /** `wait`: the job ended ABORTED. */
  aborted: 12,
  /** `wait`: the job ended with a status this version does not know. */
  otherStatus: 13,
  /** Interrupted (Ctrl-C), as shells report SIGINT. */
  interrupted: 130,
} as const;

/** The exit code of `wait` for a job's final status. */
export function exitCodeOfStatus(status: string): number {
  switch (status) {
    case 'SUCCEEDED':
      return EXIT.ok;
    case 'FAILED':
      return EXIT.failed;
    case 'UNRECOVERABLE':
      return EXIT.unrecoverable;
    case 'ABORTED':
      return EXIT.aborted;
    default:
      return EXIT.otherStatus;
  }
}

/** A failure the command line itself detects, with the exit code it means. */
export class CliError extends Error {
  override readonly name: string = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** A mistake on the command line, found before anything is sent. */
export class UsageError extends CliError {
  override readonly name = 'UsageError';
  constructor(message: string) {
    super(message, EXIT.usage);
  }
}

/** The exit code for an error thrown by a command. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CliError) return error.exitCode;
  if (AbortError.is(error)) return EXIT.interrupted;
  if (NotFoundError.is(error)) return EXIT.notFound;
  if (AuthenticationError.is(error) || PermissionDeniedError.is(error)) return EXIT.auth;
  if (ConflictError.is(error)) return EXIT.conflict;
  if (TimeoutError.is(error)) return EXIT.timeout;
  if (
    RequestValidationError.is(error) ||
    BadRequestError.is(error) ||
    UnprocessableEntityError.is(error)
  ) {
    return EXIT.usage;
  }
  return EXIT.failure;
}

/**
 * The one line printed for an error. SDK errors carry only redacted text (no header, no token);
 * anything else is reduced to its message, so no stack or object dump reaches the terminal.
 */
export function messageOf(error: unknown): string {
  if (error instanceof CliError) return error.message;
  if (JobStatusError.is(error)) return error.message.replace(/\s+/g, ' ');
  if (error instanceof Error) return error.message.replace(/\s+/g, ' ');
  return String(error);
}
