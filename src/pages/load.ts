import type * as Pages from './index';

/**
 * Loads the paged reads and the status-only read (./index) on first use. The ESM build splits at
 * this `import()`; builds that do not split swap this file for a static import (tsup.config.ts),
 * as for src/calls.
 */
export const loadPages = (): Promise<typeof Pages> => import('./index');
