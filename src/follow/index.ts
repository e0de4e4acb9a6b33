// Following jobs: live subscriptions, waiting for a job to end, and walking every matching job.
// The client exposes these as methods; the functions take the FollowContext it builds.
//
// This module is what the client and ./subscribe load with `import()`: with ESM code splitting
// it becomes a chunk of its own, so an app that never follows jobs never downloads it (nor the
// SSE parser). `subscribe` itself stays in the entry (it must return synchronously) and loads
// `followStream` from here on first use.
export { subscribe } from './subscribe';
export type { JobSubscription } from './subscribe';
export type { IterateJobsOptions, SubscribeOptions, WaitForJobOptions } from './options';
export { followStream } from './stream';
export { streamHeaders } from './stream-headers';
export { waitForJob } from './wait';
export { iterateJobs } from './iterate';
export type { FollowContext } from './context';
export type { SubscriptionTarget } from './target';
export type { BackoffRange } from './backoff';
export type {
  InitialJobsEvent,
  JobChangeEvent,
  JobDataEvent,
  JobDeleteEvent,
  JobEvent,
  JobEventOfType,
  JobEventType,
  JobInsertEvent,
  JobUpdateEvent,
  OpenEvent,
  ReconnectingEvent,
} from './events';

// One shared chunk with the entry's modules (see ../internal/entry-modules).
export { ENTRY_MODULES } from '../internal/entry-modules';
