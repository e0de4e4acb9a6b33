import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { describe, it } from 'vitest';

/** Debian's Chromium; the tests never let a tool download a browser of its own. */
export const chromiumPath = '/usr/bin/chromium';

const launchArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Launches the system Chromium headless. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: launchArgs });
}

/**
 * `describe` for suites that need the system Chromium. Without it the suite is skipped with a
 * visible notice, unless JSS_REQUIRE_ALL=1 (CI), where a missing browser must fail the run
 * rather than pass it silently.
 */
export function describeWithChromium(name: string, body: () => void): void {
  if (existsSync(chromiumPath)) {
    describe(name, body);
    return;
  }
  if (process.env.JSS_REQUIRE_ALL === '1') {
    describe(name, () => {
      it('finds the system Chromium (JSS_REQUIRE_ALL=1)', () => {
        throw new Error(`${chromiumPath} not found; install it with: apt-get install -y chromium`);
      });
    });
    return;
  }
  console.warn(
    `[skip] browser: ${chromiumPath} not found (apt-get install -y chromium); skipping "${name}"`,
  );
  describe.skip(name, body);
}
