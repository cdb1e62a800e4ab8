// Issue 16 through its one declaration: `integrations promote` at a terminal (a dry run unless --apply)
// and the promote_integration tool over MCP (opt-in; plans unless apply, and applies only the plan reviewed).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMcp } from '../../src/mcp/main.js';
import { SANDBOX } from '../../src/emulator/seed/sandbox.js';
import { run } from '../helpers/cli.js';
import { connectHttp, textOf } from '../helpers/mcp.js';

const INTEG = SANDBOX.integration;

describe('integrations promote at a terminal', () => {
  it('shows the plan and writes nothing without --apply; with it, promotes and names the backup', async () => {
    const dry = await run(['--demo', 'integrations', 'promote', INTEG, '--from', 'sandbox', '--to', 'demo']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('nothing written');
    expect(dry.stdout).toContain(`~ import "Upsert Salesforce leads" mapping.fields.3.extract: "properties.company" -> "${SANDBOX.companyExtract}"`);
    expect(dry.stdout).toContain(`+ flow "${SANDBOX.extraFlow}" (arrives disabled)`);
    expect(dry.stderr).toContain('Add --apply to write it');
    const done = await run(['--demo', 'integrations', 'promote', INTEG, '--from', 'sandbox', '--to', 'demo', '--apply', '--json']);
    expect(done.code).toBe(0);
    const r = JSON.parse(done.stdout) as { applied: boolean; result: { backupId: string; verified: boolean; created: unknown[] } };
    expect(r.applied).toBe(true);
    expect(r.result.verified).toBe(true);
    expect(r.result.created).toHaveLength(3);
    expect(r.result.backupId).toMatch(/^bk-/);
  });

  it('a bad profile or a missing --to is a usage error that says what to do', async () => {
    const bad = await run(['--demo', 'integrations', 'promote', INTEG, '--from', 'staging', '--to', 'demo']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('With --demo the accounts are "demo" and "sandbox"');
    const missing = await run(['--demo', 'integrations', 'promote', INTEG, '--from', 'sandbox']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/--to/);
  });
});

describe('promote_integration over MCP', () => {
  it('is in the manage toolset (not served by default), plans by default, and applies the plan reviewed by its digest', async () => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, CELIGO_MANAGE_HOME: mkdtempSync(join(tmpdir(), 'cm-promote-')) };
    const byDefault = await runMcp({ http: true, port: 0, demo: true, env, log: () => {} });
    try {
      const c = await connectHttp(byDefault.url!, { era: 'modern' });
      expect((await c.client.listTools()).tools.map((t) => t.name)).not.toContain('promote_integration');
      await c.close();
    } finally {
      await byDefault.close();
    }
    const mcp = await runMcp({ http: true, port: 0, demo: true, toolsets: ['default', 'manage'], env, log: () => {} });
    try {
      const c = await connectHttp(mcp.url!, { era: 'legacy' });
      const plan = await c.client.callTool({ name: 'promote_integration', arguments: { integration: INTEG, from: 'sandbox', to: 'demo' } });
      expect(plan.isError, textOf(plan)).toBeFalsy();
      const digest = (plan.structuredContent as { plan: { digest: string } }).plan.digest;
      expect(textOf(plan)).toContain(`apply: true and plan: "${digest}"`);
      const stale = await c.client.callTool({ name: 'promote_integration', arguments: { integration: INTEG, from: 'sandbox', to: 'demo', apply: true, plan: '0000000000000000' } });
      expect(stale.isError).toBe(true);
      expect(textOf(stale)).toContain('Nothing was written');
      const done = await c.client.callTool({ name: 'promote_integration', arguments: { integration: INTEG, from: 'sandbox', to: 'demo', apply: true, plan: digest } });
      expect(done.isError, textOf(done)).toBeFalsy();
      expect(textOf(done)).toMatch(/Promoted .* 3 created, 1 changed; read back: matches the source\. Undo: backups restore bk-/);
      await c.close();
    } finally {
      await mcp.close();
    }
  });
});
