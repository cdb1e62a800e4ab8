// Issue 12 item 4: under the default configuration, --read-only and --toolsets flows,jobs, no tool
// description, prompt, instruction or result names a tool the server does not serve; a call to a tool
// that is withheld says why (read-only mode, or the selection) instead of "Tool not found".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogue, prompts } from '../../src/operations/catalogue.js';
import { selectTools, withheldReason, type ToolSelection } from '../../src/operations/select.js';
import { unservedIn } from '../../src/operations/served.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';
import { connectInMemory, textOf } from '../helpers/mcp.js';
import { callConfirming, demoRefs, toolArgs } from '../helpers/security.js';

const ALL = catalogue();
const NAMES = ALL.map((t) => t.name);
const CONFIGS: [string, ToolSelection][] = [
  ['default', {}],
  ['read-only', { readOnly: true }],
  ['toolsets flows,jobs', { toolsets: ['flows', 'jobs'] }],
];
const PROMPT_ARGS: Record<string, Record<string, string>[]> = {
  daily_health_check: [{}, { range: 'yesterday' }],
  create_integration: [{ source: 'Salesforce', destination: 'NetSuite', recordType: 'customer' }],
  troubleshoot_failed_jobs: [{}, { target: 'Shopify Orders to NetSuite Sales Orders' }],
};

describe.each(CONFIGS)('names only served tools: %s', (_name, selection) => {
  let env: Env;
  let conn: Awaited<ReturnType<typeof connectInMemory>>;
  const tools = selectTools(ALL, selection);
  const serves = (n: string) => tools.some((t) => t.name === n);
  const bad = (text: string) => unservedIn(text, serves, NAMES);

  beforeAll(async () => {
    env = await demoEnv();
    conn = await connectInMemory({
      era: 'legacy',
      server: {
        api: env.api,
        tools,
        prompts,
        home: env.home,
        now: () => new Date(env.clock.now()),
        known: NAMES,
        withheldReason: (n) => withheldReason(ALL.find((t) => t.name === n)!, selection),
      },
    });
  });
  afterAll(async () => {
    await conn?.close();
    await env?.close();
  });

  it('tools/list and the instructions', async () => {
    const listed = (await conn.client.listTools()).tools;
    expect(listed.map((t) => t.name)).toEqual(tools.map((t) => t.name));
    for (const t of listed) expect(bad(JSON.stringify({ d: t.description, s: t.inputSchema })), t.name).toEqual([]);
    expect(bad(conn.client.getInstructions() ?? '')).toEqual([]);
  });

  it('every prompt offered, with and without its optional arguments', async () => {
    const offered = (await conn.client.listPrompts()).prompts.map((p) => p.name);
    for (const p of prompts) expect(offered.includes(p.name), p.name).toBe(p.needs.every(serves));
    for (const name of offered) {
      for (const args of PROMPT_ARGS[name]!) {
        const text = (await conn.client.getPrompt({ name, arguments: args })).messages.map((m) => (m.content as { text: string }).text).join('\n');
        expect(text).toMatch(/\n1\. /);
        expect(bad(text), `${name} ${JSON.stringify(args)}`).toEqual([]);
      }
    }
  });

  it('every result of every served tool', async () => {
    const refs = await demoRefs(env.api, env.clock.now());
    const list = await conn.client.callTool({ name: 'list_backups', arguments: {} }).catch(() => undefined);
    const backupId = list ? /bk-[A-Za-z0-9_-]+/.exec(textOf(list))?.[0] : undefined;
    const args = toolArgs({ ...refs, backupId });
    for (const t of tools) {
      const r = await callConfirming(conn.client, t.name, args[t.name]!);
      expect(bad(r.text), `${t.name}: ${r.text.slice(0, 400)}`).toEqual([]);
    }
  }, 120_000);

  it('a withheld tool answers why, and changes nothing', async () => {
    const withheld = ALL.filter((t) => !serves(t.name));
    expect(withheld.length).toBeGreaterThan(0);
    for (const t of withheld) {
      const r = await conn.client.callTool({ name: t.name, arguments: {} });
      expect(r.isError, t.name).toBe(true);
      const text = textOf(r);
      expect(text).toContain(t.name);
      if (selection.readOnly && !t.annotations.readOnlyHint) expect(text).toMatch(/read-only/);
      else expect(text).toMatch(/--toolsets|--tools/);
    }
    const unknown = await conn.client.callTool({ name: 'no_such_tool', arguments: {} }).catch((e: Error) => e);
    expect(String((unknown as Error).message ?? textOf(unknown as never))).toMatch(/not found/);
  });
});
