import type * as Compiler from './compiler';

/**
 * Loads zod's schema compiler on first use. The ESM build splits at this `import()`, so a browser
 * app never loads it; the CommonJS build (for Node) imports it statically, and the global build
 * for a script tag leaves it out (both through esbuild plugins in tsup.config.ts).
 */
export const loadSchemaCompiler = (): Promise<typeof Compiler | undefined> => import('./compiler');
