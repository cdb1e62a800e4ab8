// The wire, snapshotted: tools/list as the server registers it (with what registration adds: the
// `confirm` argument, output schemas, app metadata), for the default selection and for every toolset.
// A changed or missing snapshot fails under CI=true; UPDATE_TOOLSNAPS=1 rewrites them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../src/operations/catalogue.js';
import { selectTools } from '../../src/operations/select.js';
import { connectInMemory } from '../helpers/mcp.js';

const DIR = join(import.meta.dirname, '..', '__wiresnaps__');
const update = !!process.env.UPDATE_TOOLSNAPS;
const ci = process.env.CI === 'true' || process.env.CI === '1';

async function listed(toolsets: string[] | undefined): Promise<string> {
  const conn = await connectInMemory({ era: 'legacy', server: { tools: selectTools(catalogue(), toolsets ? { toolsets } : {}) } });
  try {
    const r = await conn.client.listTools();
    return JSON.stringify({ tools: r.tools }, null, 2) + '\n';
  } finally {
    await conn.close();
  }
}

describe('tools/list on the wire', () => {
  it.each([
    ['default', undefined],
    ['all', ['all']],
  ] as const)('%s selection matches its snapshot', async (name, toolsets) => {
    const file = join(DIR, `tools-list.${name}.json`);
    const now = await listed(toolsets ? [...toolsets] : undefined);
    if (update || (!existsSync(file) && !ci)) {
      mkdirSync(DIR, { recursive: true });
      writeFileSync(file, now);
      return;
    }
    expect(existsSync(file), `missing ${file}; run UPDATE_TOOLSNAPS=1 npx vitest run test/mcp/wire-snapshot.test.ts`).toBe(true);
    expect(now, `tools/list (${name}) changed on the wire; review and run UPDATE_TOOLSNAPS=1`).toBe(readFileSync(file, 'utf8'));
  });
});
