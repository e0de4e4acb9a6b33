import type * as Redirects from './index';

/**
 * Loads the redirect rules when a first redirect arrives: a JSS seldom sends one, and a browser
 * follows them itself. The ESM build splits at this `import()`; the CommonJS build imports the
 * module statically, and the global build for a script tag (whose browser follows redirects
 * before the SDK sees them) leaves it out (esbuild plugins in tsup.config.ts).
 */
export const loadRedirects = (): Promise<typeof Redirects | undefined> => import('./index');
