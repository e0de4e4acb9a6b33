// The SDK's version, for its User-Agent. The build writes it in from package.json (tsup's
// `define`), so no JSON is imported at run time; sources run directly (tests) report `0.0.0-dev`.
declare const __SDK_VERSION__: string | undefined;

/**
 * The package's version, e.g. `2.0.0`; `0.0.0-dev` when the sources run unbuilt.
 *
 * @example
 * ```ts
 * import { VERSION } from 'job-status-client';
 * console.log(`job-status-client ${VERSION}`);
 * ```
 */
export const SDK_VERSION: string =
  typeof __SDK_VERSION__ === 'string' ? __SDK_VERSION__ : '0.0.0-dev';

/** `job-status-client/<version>`, the User-Agent the SDK sends from Node. */
export const USER_AGENT = `job-status-client/${SDK_VERSION}`;

/**
 * Whether the SDK may set User-Agent: on Node (and runtimes that present themselves as Node), not
 * in browsers, which send their own and refuse the header from scripts.
 */
export function mayNameItself(): boolean {
  return (
    typeof (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions
      ?.node === 'string' && typeof (globalThis as { document?: unknown }).document === 'undefined'
  );
}
