// The entry of the UMD build (dist/umd/job-status-client.js): tsup bundles it as an IIFE, and
// tsup.config.ts wraps that in a UMD header that hands these names to an AMD loader, to
// `module.exports`, or else to `window.JobStatus`, so a page uses `new JobStatus.JobStatusClient(...)`,
// `JobStatus.NotFoundError`, `JobStatus.eq(...)`, ... The names are exactly the package's (the list
// in ./index.ts); only the default export, which a global has no use for, is left out by `export *`.
export * from './index';
