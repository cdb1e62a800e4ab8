// Two replicas of `celigo-manage mcp --http` behind one proxy (issue 18): replica A in this process, replica
// B in a process of its own, one account, one PostgreSQL. A backup taken through B is restored through A's
// plan and B's hands: the confirm token A minted is honoured by B, which never saw it minted.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_TOKEN, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { DEMO } from '../../src/emulator/seed/demo.js';
import { runMcp, type RunningMcp } from '../../src/mcp/main.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import { connectHttp, textOf } from '../helpers/mcp.js';
import { describeWithPostgres } from '../helpers/postgres.js';

const root = join(import.meta.dirname, '..', '..');
const viteNode = join(root, 'node_modules', 'vite-node', 'vite-node.mjs');

describeWithPostgres('two MCP replicas sharing one PostgreSQL', (cluster) => {
  let emu: RunningEmulator;
  let a: RunningMcp;
  let b: ChildProcess;
  let bUrl: string;
  let url: string;
  const logsA: string[] = [];
  let logsB = '';

  const envOf = (): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: tmpdir(),
    CELIGO_BASE_URL: emu.baseUrl,
    CELIGO_API_TOKEN: DEMO_TOKEN,
    CELIGO_MANAGE_HOME: mkdtempSync(join(tmpdir(), 'cm-replica-')),
    CELIGO_MANAGE_DATABASE_URL: url,
  });

  beforeAll(async () => {
    emu = await startEmulator({ port: 0, seed: 'demo', quiet: true, rateLimit: false });
    url = await cluster().createDatabase(`replicas_${process.pid}`);
    // Both start together: the migrations must not race.
    b = spawn(process.execPath, [viteNode, 'test/store/replica-launcher.ts'], { cwd: root, env: envOf(), stdio: ['pipe', 'ignore', 'pipe'] });
    b.stderr!.on('data', (d) => (logsB += d));
    const started = new Promise<string>((resolve, reject) => {
      b.once('exit', (code) => reject(new Error(`replica B exited ${code}: ${logsB}`)));
      b.stderr!.on('data', () => {
        const m = /serving .* on (http:\/\/\S+\/mcp)/.exec(logsB);
        if (m) resolve(m[1]);
      });
    });
    a = await runMcp({ http: true, port: 0, env: envOf(), log: (l) => logsA.push(l) });
    bUrl = await started;
  }, 120_000);
  afterAll(async () => {
    await a?.close();
    b?.stdin?.end();
    if (b && b.exitCode === null) await new Promise((r) => b.once('exit', r));
    await emu?.close();
  }, 60_000);

  it('a change through B is restored through A and B with one token, and the change log says who did what', async () => {
    expect(logsA.join('\n')).toContain(`PostgreSQL at 127.0.0.1:${cluster().port}/replicas_${process.pid}`);
    expect(logsA.join('\n') + logsB).not.toContain(cluster().password);
    const ca = await connectHttp(a.url!, { era: 'legacy' });
    const cb = await connectHttp(bUrl, { era: 'modern' });
    try {
      const tagged = await cb.client.callTool({ name: 'add_tag_to_integration', arguments: { integration: DEMO.integrations.shopify, tag: 'team-store' } });
      expect(tagged.isError, textOf(tagged)).toBeFalsy();
      const backupId = /bk-[0-9A-Za-z-]+/.exec(textOf(tagged))![0];

      // A plans the restore of B's backup (it reads it from the database) and asks for confirmation.
      const plan = await ca.client.callTool({ name: 'restore_backup', arguments: { id: backupId } });
      const token = (plan.structuredContent as { confirmation_required?: { token: string } }).confirmation_required?.token;
      expect(token, textOf(plan)).toMatch(/\./);
      // B, another process, honours A's token.
      const done = await cb.client.callTool({ name: 'restore_backup', arguments: { id: backupId, confirm: token } });
      expect(done.isError, textOf(done)).toBeFalsy();
      expect(textOf(done)).not.toMatch(/Confirmation required/);
      const integ = [...emu.store.map('integrations').values()].find((i) => i.name === DEMO.integrations.shopify);
      expect(integ?.tag).not.toBe('team-store');

      const store = await openPostgresStore({ url });
      try {
        const rows = await store.listChanges();
        expect(rows.map((r) => r.tool).sort()).toEqual(['add_tag_to_integration', 'restore_backup']);
        for (const r of rows) expect(r).toMatchObject({ subject: expect.stringMatching(/^local:/), via: 'local', applied: true, baseUrl: emu.baseUrl });
        expect(rows.find((r) => r.tool === 'add_tag_to_integration')!.after[0].digests.length).toBe(1);
      } finally {
        await store.close();
      }
    } finally {
      await ca.close();
      await cb.close();
    }
  }, 60_000);
});
