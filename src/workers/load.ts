import type * as Workers from './index';

/**
 * Loads the work-queue code (the calls and the processor's engine) on first use. The ESM build
 * splits at this `import()`, so an app that never processes jobs never loads that chunk; builds
 * that do not split swap this file for a static import (tsup.config.ts), as for src/follow.
 */
export const loadWorkers = (): Promise<typeof Workers> => import('./index');
