import * as z from 'zod/mini';

/** `reportProgress(jobId, completed, total)`: finite, `0 <= completed <= total`, `total > 0`. */
export const progressInputSchema = z
  .object({
    completed: z.number().check(z.gte(0)),
    total: z.number().check(z.gt(0)),
  })
  .check(
    z.superRefine(
      (progress, context) => {
        if (progress.completed > progress.total) {
          context.addIssue({
            code: 'custom',
            message: `must be <= total (${progress.total})`,
            path: ['completed'],
            input: progress.completed,
          });
        }
        // Only when both numbers are fine: comparing with a refused total would add noise.
      },
      { when: (payload) => payload.issues.length === 0 },
    ),
  );
