import type { Job, JobSubscription } from 'job-status-client';

/**
 * The next job state from `subscription` that satisfies `matches`. Register it before causing
 * the change: events are not replayed to listeners added later.
 */
export function nextUpdate(
  subscription: JobSubscription,
  matches: (job: Job) => boolean,
  timeoutMs = 5_000,
): Promise<Job> {
  return new Promise<Job>((resolve, reject) => {
    const timer = setTimeout(() => {
      stopListening();
      reject(new Error(`no matching job update arrived within ${timeoutMs} ms`));
    }, timeoutMs);
    const stopListening = subscription.on('jobUpdate', ({ job }) => {
      if (!matches(job)) return;
      clearTimeout(timer);
      stopListening();
      resolve(job);
    });
  });
}

/** Resolves once the subscription has delivered its `initialJobs`: from then on it misses nothing. */
export function connected(subscription: JobSubscription, timeoutMs = 5_000): Promise<Job[]> {
  return new Promise<Job[]>((resolve, reject) => {
    const timer = setTimeout(() => {
      stopListening();
      reject(new Error(`the subscription did not open within ${timeoutMs} ms`));
    }, timeoutMs);
    const stopListening = subscription.on('initialJobs', ({ jobs }) => {
      clearTimeout(timer);
      stopListening();
      resolve(jobs);
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
