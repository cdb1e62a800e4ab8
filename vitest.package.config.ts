// The packed tarball, installed into an empty folder and run (`npm run test:package`; issue 15 item 1).
import { defineConfig } from 'vitest/config';
import base, { PACKAGE_TESTS } from './vitest.config.js';

export default defineConfig({
  test: { ...base.test, include: PACKAGE_TESTS, exclude: ['**/node_modules/**'], testTimeout: 300_000, hookTimeout: 300_000 },
});
