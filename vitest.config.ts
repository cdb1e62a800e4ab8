import { defineConfig } from 'vitest/config';

/** Tests that need the network (npx downloads); they run in `npm run test:conformance`, not `npm test`. */
export const NETWORK_TESTS = ['test/**/*.network.test.ts'];
/** Tests that pack and install the package (a minute or more); they run in `npm run test:package`, not `npm test`. */
export const PACKAGE_TESTS = ['test/**/*.package.test.ts'];
/**
 * The team server under load (two replicas, PostgreSQL, Redis, 50 clients for 60 s; issue 18): it measures
 * the requests per second reaching the API, which other test files running beside it would disturb, so
 * `npm test` runs it on its own after the rest (vitest.team.config.ts).
 */
export const TEAM_TESTS = ['test/team/**/*.test.ts'];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', ...NETWORK_TESTS, ...PACKAGE_TESTS, ...TEAM_TESTS],
    // One temp folder per run, removed afterwards; TMPDIR points workers and spawned processes at it.
    globalSetup: ['test/setup/temp-root.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Time phrases are read in the system's zone when nothing names one: the same on every machine here.
    env: { TZ: 'UTC' },
  },
});
