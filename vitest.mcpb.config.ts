// `npm run test:mcpb`: the MCP Bundle test alone (test/package/mcpb.test.ts packs the bundle and spawns
// the packed server several times, so the default `npm test` skips it).
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

export default defineConfig({
  test: { ...base.test, include: ['test/package/mcpb.test.ts'], env: { ...base.test?.env, CELIGO_MANAGE_TEST_MCPB: '1' } },
});
