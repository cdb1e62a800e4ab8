// The team server under load, alone on the machine (`npm test` runs it after the rest; vitest.config.ts TEAM_TESTS).
import { defineConfig } from 'vitest/config';
import base, { TEAM_TESTS } from './vitest.config.js';

export default defineConfig({
  test: { ...base.test, include: TEAM_TESTS, exclude: ['**/node_modules/**'], fileParallelism: false, testTimeout: 300_000, hookTimeout: 180_000 },
});
