import type * as Calls from './index';

/**
 * Loads the writes and the token calls (./index) on first use. The ESM build splits at this
 * `import()`; builds that do not split swap this file for a static import (tsup.config.ts), as for
 * src/follow.
 */
export const loadCalls = (): Promise<typeof Calls> => import('./index');
