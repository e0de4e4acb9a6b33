import type * as Follow from './index';

/**
 * Loads the follow code (subscriptions' connections, waitForJob, iterateJobs) on first use. The
 * ESM build splits at this `import()`, so an app that never follows jobs never loads that chunk.
 *
 * Builds that do not split (CJS, the IIFE global) inline the module, and esbuild then wraps it and
 * everything it imports in lazy initialisers (about 1.5 KB min+gzip in the global build). Such a
 * build can replace this file with `import * as follow from './index'` and
 * `Promise.resolve(follow)` through an esbuild onLoad plugin, which avoids that cost.
 */
export const loadFollow = (): Promise<typeof Follow> => import('./index');
