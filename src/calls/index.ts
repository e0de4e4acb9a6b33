// The calls an app that only reads jobs never makes: the writes (create, update, the actions,
// progress, log) and the token calls (whoAmI, login). The client reaches this module through
// ./load, an `import()`, so that they and their schemas and encoders are one chunk of the ESM
// build, loaded on first use; one chunk rather than two, as each chunk costs an app its own
// request and compresses on its own.
export { createJob, createJobs, jobAction, log, reportProgress, updateJob } from './write';
export { login, whoAmI } from './auth';

// One shared chunk with the entry's modules (see ../internal/entry-modules).
export { ENTRY_MODULES } from '../internal/entry-modules';
