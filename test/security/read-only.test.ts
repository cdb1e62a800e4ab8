// Read-only mode: every tool of the full catalogue (the mutating ones too, bypassing the read-only
// filter) with a read-only client, runMcp --read-only and CELIGO_MANAGE_READ_ONLY=1, and every mutating
// CLI command with --read-only --yes: the emulator's request log shows no mutating request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CeligoClient } from '../../src/core/client.js';
import { DEMO_TOKEN, startEmulator, type RequestLogEntry, type RunningEmulator } from '../../src/emulator/index.js';
import { runMcp } from '../../src/mcp/main.js';
import { catalogue, prompts } from '../../src/operations/catalogue.js';
import { loadNouns } from '../../src/cli/commands/index.js';
import { connectHttp, connectInMemory, textOf } from '../helpers/mcp.js';
import { run } from '../helpers/cli.js';
import { cleanEnv, tempDir } from '../fuzz/helpers.js';
import { callConfirming, demoRefs, toolArgs, type Refs } from '../helpers/security.js';

/**
 * POSTs that read (connection ping/test, export invoke): the core client allows them in read-only mode
 * (RequestOptions.readOnlyPost), but the emulator's request log marks every non-GET as mutating.
 */
const READ_ONLY_POST = /^\/v1\/(connections\/[^/?]+\/(ping|test)|connections\/ping|exports\/[^/?]+\/invoke)(\?|$)/;

function writes(log: RequestLogEntry[]): string[] {
  return log.filter((e) => e.mutating && !(e.method === 'POST' && READ_ONLY_POST.test(e.path))).map((e) => `${e.method} ${e.path}`);
}

const tools = catalogue();
let emu: RunningEmulator;
let refs: Refs;
let home: string;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, seed: 'demo', quiet: true, rateLimit: false });
  const rw = new CeligoClient({ baseUrl: emu.baseUrl, token: DEMO_TOKEN });
  refs = await demoRefs(rw, emu.clock.now());
  home = tempDir('cm-sec-ro-');
  // A backup to diff and restore: one change made before read-only mode.
  const conn = await connectInMemory({ era: 'modern', server: { api: rw, tools, home } });
  const r = await callConfirming(conn.client, 'update_flow', { flow: refs.flow, schedule: '? 0 3 ? * *' });
  await conn.close();
  refs.backupId = /bk-[A-Za-z0-9_-]+/.exec(r.text)?.[0];
  expect(refs.backupId, r.text).toBeTruthy();
});
afterAll(() => emu?.close());

describe('read-only: every tool of the full catalogue with a read-only client', () => {
  it.each(['legacy', 'modern'] as const)('sends no mutating request (%s)', async (era) => {
    const api = new CeligoClient({ baseUrl: emu.baseUrl, token: DEMO_TOKEN, readOnly: true });
    // All tools registered, not the read-only selection: the handlers themselves must not write.
    const conn = await connectInMemory({ era, server: { api, tools, prompts, home } });
    emu.clearRequestLog();
    const args = toolArgs(refs);
    const results = [];
    try {
      for (const t of tools) {
        expect(args[t.name], `no arguments for ${t.name}`).toBeDefined();
        results.push(await callConfirming(conn.client, t.name, args[t.name]!));
      }
    } finally {
      await conn.close();
    }
    expect(writes(emu.requestLog())).toEqual([]);
    // Reads did happen (the log is live), and each mutating tool said why it stopped.
    expect(emu.requestLog().filter((e) => e.method === 'GET').length).toBeGreaterThan(tools.length);
    for (const r of results) {
      const def = tools.find((t) => t.name === r.tool)!;
      if (def.annotations.readOnlyHint) continue;
      expect(r.isError, `${r.tool} succeeded in read-only mode: ${r.text.slice(0, 300)}`).toBe(true);
      expect(r.text, r.tool).toMatch(/read-only/i);
    }
  });
});

describe('read-only: runMcp with --read-only or CELIGO_MANAGE_READ_ONLY=1', () => {
  it.each([
    ['--read-only', { readOnly: true }, {}],
    ['CELIGO_MANAGE_READ_ONLY=1', {}, { CELIGO_MANAGE_READ_ONLY: '1' }],
  ] as const)('lists only read-only tools and sends no mutating request (%s)', async (_label, opts, extraEnv) => {
    const env = cleanEnv({ CELIGO_MANAGE_HOME: home, CELIGO_BASE_URL: emu.baseUrl, CELIGO_API_TOKEN: DEMO_TOKEN, ...extraEnv });
    const mcp = await runMcp({ http: true, port: 0, toolsets: ['all'], env, log: () => {}, ...opts });
    emu.clearRequestLog();
    try {
      const c = await connectHttp(mcp.url!, { era: 'modern' });
      try {
        const listed = (await c.client.listTools()).tools;
        expect(listed.length).toBe(tools.filter((t) => t.annotations.readOnlyHint).length);
        for (const t of listed) expect(t.annotations?.readOnlyHint, t.name).toBe(true);
        const args = toolArgs(refs);
        for (const t of listed) await callConfirming(c.client, t.name, args[t.name]!);
        // A mutating tool is not listed, and a call to it says read-only mode is why (issue 12 item 4).
        for (const t of tools.filter((x) => !x.annotations.readOnlyHint)) {
          const r = await c.client.callTool({ name: t.name, arguments: args[t.name]! });
          expect(r.isError, t.name).toBe(true);
          expect(textOf(r), t.name).toMatch(/runs read-only .*nothing was changed/);
        }
      } finally {
        await c.close();
      }
    } finally {
      await mcp.close();
    }
    expect(writes(emu.requestLog())).toEqual([]);
  });
});

describe('read-only: every mutating CLI command with --yes', () => {
  const lines = (r: Refs): string[][] => [
    ['integrations', 'create', 'RO via CLI'],
    ['integrations', 'clone', r.integration, 'RO clone'],
    ['integrations', 'delete', r.integration],
    ['flows', 'delete', r.flow, '--with-steps'],
    ['connections', 'delete', 'NetSuite Sandbox'],
    ['exports', 'delete', r.export, '--force'],
    ['imports', 'delete', r.import, '--force'],
    ['integrations', 'tag', r.integration, 'read-only-check'],
    ['flows', 'run', r.flow],
    ['flows', 'update', r.flow, '--name', 'Renamed'],
    ['flows', 'enable', r.flow],
    ['flows', 'disable', r.flow],
    ['flows', 'monitor', r.flow],
    ['connections', 'create', 'RO conn', '--type', 'http', '--set', 'http.baseURI=https://x.example', '--no-test'],
    ['jobs', 'retry', r.failedJob],
    ['jobs', 'cancel', r.job],
    ['exports', 'update', r.export, '--set', 'description=read-only check'],
    ['imports', 'update', r.import, '--set', 'description=read-only check'],
    ['connections', 'update', r.connection, '--set', 'name=RO renamed'],
    ['jobs', 'retry-failed', '--flow', r.flowWithErrors],
    ['errors', 'retry', '--flow', r.flowWithErrors],
    ['errors', 'clear', '--flow', r.flowWithErrors],
    ['exports', 'run', r.export, '--no-wait'],
    ['mapping', 'update', r.mappingFlow, '--add', 'Description=Email'],
    ['backups', 'restore', r.backupId!],
    ['integrations', 'promote', r.integration, '--from', 'sandbox', '--to', 'production', '--apply'],
    ['api', 'DELETE', '/integrations/000000000000000000000000'],
    ['api', 'POST', '/integrations', '--data', '{"name":"x"}'],
    ['api', 'PUT', '/flows/000000000000000000000000', '--data', '{}'],
  ];

  it('covers every mutating command of the table', async () => {
    const nouns = await loadNouns();
    const mutating = nouns.flatMap((n) => (n.verbs ?? []).filter((v) => v.mutating).map((v) => `${n.name} ${v.name}`));
    const covered = new Set(lines(refs).map((l) => `${l[0]} ${l[1]}`));
    // `integrations setup` needs a spec file; it is run below.
    expect(mutating.filter((m) => !covered.has(m) && m !== 'integrations setup')).toEqual([]);
  });

  it.each([
    ['--read-only', ['--read-only'], {}],
    ['CELIGO_MANAGE_READ_ONLY=1', [], { CELIGO_MANAGE_READ_ONLY: '1' }],
  ] as const)('blocks them all (%s)', async (_label, flags, extraEnv) => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const spec = join(tempDir('cm-sec-spec-'), 'spec.json');
    writeFileSync(spec, JSON.stringify({ name: 'RO setup', recordType: 'customer', source: { connection: refs.connection }, destination: { connection: 'Salesforce Production' } }));
    const env = { CELIGO_MANAGE_HOME: home, CELIGO_BASE_URL: emu.baseUrl, CELIGO_API_TOKEN: DEMO_TOKEN, ...extraEnv };
    emu.clearRequestLog();
    for (const argv of [...lines(refs), ['integrations', 'setup', '--spec', spec]]) {
      const r = await run([...flags, '--yes', ...argv], { env, input: '' });
      // Either refused, saying why, or a no-op that says there was nothing to change.
      if (r.code === 0) expect(r.stdout, argv.join(' ')).toMatch(/already|nothing to (change|do)/i);
      else expect(r.stdout + r.stderr, argv.join(' ')).toMatch(/read-only/i);
    }
    expect(writes(emu.requestLog())).toEqual([]);
  }, 60_000);
});

describe('the request log itself', () => {
  it('flags a write as mutating, so the assertions above can fail', async () => {
    emu.clearRequestLog();
    const rw = new CeligoClient({ baseUrl: emu.baseUrl, token: DEMO_TOKEN });
    await rw.integrations.create({ name: 'log check' } as never);
    expect(writes(emu.requestLog())).toEqual(['POST /v1/integrations']);
  });
});
