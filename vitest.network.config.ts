// Tests that download packages with npx (the MCP Inspector CLI): `npm run test:conformance` runs them.
import { defineConfig } from 'vitest/config';
import base, { NETWORK_TESTS } from './vitest.config.js';

export default defineConfig({ test: { ...base.test, include: NETWORK_TESTS, exclude: ['**/node_modules/**'] } });
