/**
 * Thrown by a job handler to fail its job without a retry: the job becomes UNRECOVERABLE whatever
 * its retry policy says.
 *
 * @example
 * client.processJobs('upload', async (job) => {
 *   if (!job.serviceFields?.path) throw new UnrecoverableError('the job names no file');
 * });
 */
export class UnrecoverableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnrecoverableError';
  }
}

/** Whether a handler's error asks for a fatal failure (also across copies of the SDK). */
export function isUnrecoverable(error: unknown): boolean {
  return (
    error instanceof UnrecoverableError ||
    (error instanceof Error && error.name === 'UnrecoverableError')
  );
}
