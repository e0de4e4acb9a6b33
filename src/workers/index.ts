// The work queue: claiming jobs and reporting on them, and the processor's engine. The client
// reaches this module through ./load (an `import()`), so that it is a chunk of its own in the ESM
// build; `JobProcessor` (./processor) stays in the entry, as processJobs returns it synchronously.
export { checkScheduling, claimJobs, completeJob, failJob, heartbeat } from './calls';
export { startEngine } from './engine';
export type { WorkerContext } from './context';

// One shared chunk with the entry's modules (see ../internal/entry-modules).
export { ENTRY_MODULES } from '../internal/entry-modules';
