// The modules an app that uses the client loads up front: every module the entry (src/index.ts,
// which imports this one) reaches. Each lazily loaded chunk (src/follow, src/calls,
// src/pages, src/workers) re-exports `ENTRY_MODULES` from here, so a bundler sees every module
// below as reached by the entry and by every chunk alike. esbuild (and so an app bundled with it
// from dist/) puts modules reached by the same entries in one shared chunk: without this, each
// combination of chunks that uses a module is a chunk of its own, so an app loaded a dozen small
// files up front, each compressed on its own (about 3 KB more than the same code in one file,
// and one request each). Nothing here is run: the namespaces are never read. A module missing
// from the list only costs a split chunk, which the size check (scripts/check-size.ts) shows.
export * as m49 from '../client';
export * as m0 from '../errors';
export * as m1 from './redact';
export * as m2 from './retry-after';
export * as m3 from './retry';
export * as m4 from './http-body';
export * as m5 from './schema-compiler/load';
export * as m6 from '../decode';
export * as m7 from '../decode/wire-schemas';
export * as m8 from '../decode/map-job';
export * as m9 from '../schemas/issues';
export * as m10 from '../schemas/json-value';
export * as m11 from '../schemas/names';
export * as m12 from '../schemas/body-size';
export * as m13 from '../schemas/job-id';
export * as m14 from '../schemas/filter-operators';
export * as m15 from '../schemas/call-options';
export * as m16 from '../filters';
export * as m17 from '../calls/context';
export * as m18 from '../follow/target';
export * as m19 from '../follow/subscribe';
export * as m20 from '../workers/load';
export * as m21 from '../wire/casing';
export * as m22 from '../wire/flatten';
export * as m23 from '../wire/encode';
export * as m24 from '../wire/deep-keys';
export * as m25 from '../wire/expand';
export * as m26 from '../wire/options';
export * as m27 from '#protocol/access';
export * as m28 from '#protocol/body-rules';
export * as m29 from '#protocol/dates';
export * as m30 from '#protocol/dotted-path';
export * as m31 from '#protocol/errors';
export * as m32 from '#protocol/ids';
export * as m33 from '#protocol/job-id';
export * as m34 from '#protocol/plain';
export * as m35 from '#protocol/statuses';
export * as m36 from '#protocol/work-queue-limits';
export * as m37 from '../workers/unrecoverable-error';
export * as m38 from './transport';
export * as m39 from './abort-scope';
export * as m40 from './transport-log';
export * as m41 from './version';
export * as m42 from './redirects/load';
export * as m43 from '../options';
export * as m44 from '../schemas/filter';
export * as m45 from '../workers/processor';
export * as m46 from '../follow/load';
export * as m47 from '../calls/load';
export * as m48 from '../pages/load';

/** What the chunks re-export, so that this module is part of each of them. */
export const ENTRY_MODULES = true;
