// Catalogue lint and tool snapshots (design.md §6). A missing or changed snapshot fails under CI=true;
// UPDATE_TOOLSNAPS=1 rewrites them. Also: the README's tool table and the size of the default tools/list.
import { describe, it, expect } from 'vitest';
import { readFileSync, writeFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { catalogue } from '../../src/operations/catalogue.js';
import { selectTools, DEFAULT_TOOLSETS, OPT_IN_TOOLS } from '../../src/operations/select.js';
import { TOOLSETS } from '../../src/operations/types.js';
import { updateReadme } from '../../src/docs/tool-table.js';
import { connectInMemory } from '../helpers/mcp.js';

const tools = catalogue();
const SNAP_DIR = join(import.meta.dirname, '..', '__toolsnaps__');
const update = !!process.env.UPDATE_TOOLSNAPS;
const ci = process.env.CI === 'true' || process.env.CI === '1';

function inputJson(shape: z.ZodRawShape): Record<string, unknown> {
  const { $schema: _s, ...rest } = z.toJSONSchema(z.object(shape), { io: 'input' }) as Record<string, unknown>;
  return rest;
}

describe('catalogue lint', () => {
  it('has unique, valid names of at most 40 characters, verb first', () => {
    const names = tools.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) {
      expect(n).toMatch(/^[a-z0-9_]{1,40}$/);
      expect(n.split('_')[0], n).toMatch(/^(list|get|create|clone|add|trigger|update|test|retry|clear|daily|troubleshoot|run|setup|check|diff|restore|promote|cancel)$/);
    }
  });

  it.each(tools.map((t) => [t.name, t] as const))('%s: toolset, four honest hints, short description, described properties', (_n, t) => {
    expect(TOOLSETS).toContain(t.toolset);
    for (const h of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) expect(typeof t.annotations[h]).toBe('boolean');
    if (t.annotations.readOnlyHint) expect(t.annotations.destructiveHint).toBe(false);
    expect(t.description.length).toBeGreaterThan(10);
    expect(t.description.length).toBeLessThanOrEqual(160);
    expect(t.title.length).toBeGreaterThan(0);
    const json = inputJson(t.input);
    expect(json).not.toHaveProperty('anyOf');
    expect(json).not.toHaveProperty('oneOf');
    for (const [k, v] of Object.entries(t.input)) expect((v as z.ZodType).description, `${t.name}.${k}`).toBeTruthy();
  });

  it('every tool that deletes or resolves is marked destructive', () => {
    for (const t of tools) if (/^(clear|restore|update)_/.test(t.name)) expect(t.annotations.destructiveHint, t.name).toBe(true);
  });
});

describe('tool snapshots', () => {
  const snap = (t: (typeof tools)[number]) =>
    JSON.stringify(
      { name: t.name, toolset: t.toolset, title: t.title, description: t.description, annotations: t.annotations, input: inputJson(t.input), ...(t.output ? { output: inputJson(t.output) } : {}) },
      null,
      2,
    ) + '\n';

  it.each(tools.map((t) => [t.name, t] as const))('%s matches its snapshot', (name, t) => {
    const file = join(SNAP_DIR, `${name}.json`);
    const now = snap(t);
    if (update || (!existsSync(file) && !ci)) {
      mkdirSync(SNAP_DIR, { recursive: true });
      writeFileSync(file, now);
      return;
    }
    expect(existsSync(file), `missing snapshot ${file}; run UPDATE_TOOLSNAPS=1 npx vitest run test/operations`).toBe(true);
    expect(now, `snapshot of ${name} changed; review and run UPDATE_TOOLSNAPS=1`).toBe(readFileSync(file, 'utf8'));
  });

  it('has no snapshot of a tool that no longer exists', () => {
    if (!existsSync(SNAP_DIR)) return;
    const stale = readdirSync(SNAP_DIR).filter((f) => !tools.some((t) => `${t.name}.json` === f));
    expect(stale).toEqual([]);
  });
});

describe('docs generated from the catalogue', () => {
  it('the README tool table is up to date (npm run docs)', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    expect(updateReadme(readme, tools)).toBe(readme);
  });
});

describe('tools/list size', () => {
  it('the default configuration serves the operations, the workflows and the backups in at most 20,000 bytes of compact JSON', async () => {
    const selected = selectTools(tools, {});
    expect([...new Set(selected.map((t) => t.toolset))].sort()).toEqual([...DEFAULT_TOOLSETS].sort());
    const required = ['list_integrations', 'get_integration', 'create_integration', 'clone_integration', 'list_tags', 'add_tag_to_integration', 'list_flows', 'get_flow', 'trigger_flow_run', 'update_flow', 'list_connections', 'test_connection', 'create_connection', 'list_jobs', 'get_job', 'retry_job', 'list_errors', 'retry_errors', 'clear_errors', 'list_exports', 'trigger_export'];
    const workflows = ['daily_health_check', 'troubleshoot', 'retry_failed_jobs', 'run_and_monitor', 'update_mapping', 'get_mapping', 'setup_integration', 'check_dependencies', 'list_backups', 'diff_backup', 'restore_backup'];
    expect(selected.map((t) => t.name).sort()).toEqual(expect.arrayContaining([...required, ...workflows]));
    // Served by --toolsets exports or all, not by default.
    for (const n of OPT_IN_TOOLS) expect(selected.map((t) => t.name)).not.toContain(n);
    for (const n of OPT_IN_TOOLS) {
      const set = tools.find((t) => t.name === n)!.toolset;
      expect(selectTools(tools, { toolsets: [set] }).map((t) => t.name), n).toContain(n);
      expect(selectTools(tools, { toolsets: ['all'] }).map((t) => t.name), n).toContain(n);
      expect(selectTools(tools, { toolsets: ['default'] }).map((t) => t.name), n).not.toContain(n);
    }
    const conn = await connectInMemory({ era: 'legacy', server: { tools: selected } });
    try {
      const listed = await conn.client.listTools();
      const bytes = Buffer.byteLength(JSON.stringify({ tools: listed.tools }));
      // Issue 12 item 4: the default configuration, workflows and backups included, in 20,000 bytes.
      expect(bytes).toBeLessThanOrEqual(20_000);
    } finally {
      await conn.close();
    }
  });
});
