// job-status-client/testing: a Job Status Service in memory, served through msw, for testing
// code that uses the SDK. Imports only `msw` (never `msw/node` or `msw/browser`), so it loads in
// Node and in browsers alike; msw is an optional peer dependency of the package.
export { createJssHandlers, type JssHandlersOptions } from './handlers';
export type { KitTokenGrant } from './http/access';
export type { KitPasswordGrant } from './http/login';
export { DEFAULT_BASE_URL, type JssBaseURL } from './http/base-url';
export {
  InMemoryJobStore,
  type InMemoryJobStoreOptions,
  type JobStoreChange,
  type SeedJob,
  type SeedLogEntry,
} from './store/in-memory-job-store';
export type { WireJob } from '#protocol';
