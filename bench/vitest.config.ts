import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The bench's own tests: `npx vitest run --config bench/vitest.config.ts`. Kept apart from the
// root projects, whose include patterns are another engineer's to change.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['bench/test/**/*.test.ts'],
    environment: 'node',
  },
});
