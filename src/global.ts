// The entry of the browser global build (`<script src=".../umd/job-status-client.js">`): tsup
// wraps it in an IIFE that assigns these names to `window.JobStatus`, so a page uses
// `new JobStatus.JobStatusClient(...)`, `JobStatus.NotFoundError`, `JobStatus.eq(...)`, ...
// The names are exactly the package's (the list in ./index.ts); only the default export, which a
// global has no use for, is left out by `export *`.
export * from './index';
