import { defineConfig } from 'vitest/config';

// One `npm test` runs every project. Projects that need something optional (a PostgreSQL
// server, a system Chromium) skip with a visible notice when it is missing, and fail instead
// when JSS_REQUIRE_ALL=1 (set by .ci/run).
export default defineConfig({
  test: {
    projects: [
      {
        // test/cli imports the command line, which imports the SDK as `job-status-client`.
        resolve: { tsconfigPaths: true },
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [
            'test/integration/**',
            'test/browser/**',
            'test/package/**',
            'test/dashboard/**',
          ],
          environment: 'node',
        },
      },
      {
        // The guide's testing-kit example, importing `job-status-client/testing` as users do.
        resolve: { tsconfigPaths: true },
        test: { name: 'examples', include: ['examples/**/*.test.ts'] },
      },
      {
        // The dashboard's own modules, which import the SDK as `job-status-client` (dashboard/).
        resolve: { tsconfigPaths: true },
        test: { name: 'dashboard', include: ['test/dashboard/**/*.test.ts'] },
      },
      {
        resolve: { tsconfigPaths: true },
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/server-setup.ts'],
          provide: { jssBackend: 'pglite' },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { tsconfigPaths: true },
        test: {
          name: 'integration-postgres',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/server-setup.ts'],
          provide: { jssBackend: 'postgres' },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'server',
          include: ['server/test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'package',
          include: ['test/package/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
