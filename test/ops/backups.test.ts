import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { DEMO } from '../../src/emulator/seed/demo.js';
import { backupDir, listBackups } from '../../src/ops/backups/store.js';
import { backup, recordCreated } from '../../src/ops/backups/take.js';
import { diffBackup } from '../../src/ops/backups/diff.js';
import { restoreBackup } from '../../src/ops/backups/restore.js';
import { Cancelled } from '../../src/ops/context.js';
import { updateMapping } from '../../src/ops/mapping/update.js';
import { demoEnv, snapshot, type Env } from '../helpers/demo-env.js';

const FLOW = 'Shopify Orders to NetSuite Sales Orders';

describe('backups and restore', () => {
  let env: Env;
  beforeEach(async () => {
    env = await demoEnv();
  });
  afterEach(() => env.close());

  async function integrationState(integrationId: string) {
    const flows = await env.api.integrations.flows(integrationId);
    const out: Record<string, unknown> = { integration: await snapshot(env.api, 'integrations', integrationId) };
    for (const f of flows) {
      out[`flow ${f._id}`] = await snapshot(env.api, 'flows', f._id);
      for (const st of [...(f.pageGenerators ?? []), ...(f.pageProcessors ?? [])]) {
        if (st._exportId) out[`export ${st._exportId}`] = await snapshot(env.api, 'exports', st._exportId);
        if (st._importId) out[`import ${st._importId}`] = await snapshot(env.api, 'imports', st._importId);
      }
    }
    return out;
  }

  it('a mapping update backs up first, and restoring its backup brings back the exact prior state', async () => {
    const flow = (await env.api.flows.list()).find((f) => f.name === FLOW)!;
    const importId = flow.pageProcessors![0]._importId!;
    const before = await snapshot(env.api, 'imports', importId);
    const r = await updateMapping(env.ctx, { flow: FLOW, changes: [{ op: 'remove', generate: 'otherrefnum' }, { op: 'change', generate: 'trandate', extract: 'processed_at' }, { op: 'add', generate: 'memo', hardCodedValue: 'web' }] });
    expect(r.written).toBe(true);
    expect(r.verified).toBe(true);
    expect(r.format).toBe('1.0');
    expect(r.sample).toBe('export');
    expect(r.warnings.some((w) => w.includes('processed_at'))).toBe(true);
    expect(await snapshot(env.api, 'imports', importId)).not.toEqual(before);

    const diff = await diffBackup(env.ctx, r.backupId!);
    expect(diff.items[0]).toMatchObject({ type: 'import', status: 'changed', changedByOthers: false });
    expect(diff.items[0].changes.map((c) => c.path)).toEqual(expect.arrayContaining([expect.stringMatching(/^mapping\.fields/)]));

    const restored = await restoreBackup(env.ctx, { id: r.backupId! });
    expect(restored.verified).toBe(true);
    expect(restored.restored).toEqual([{ type: 'import', id: importId, name: r.importName }]);
    expect(await snapshot(env.api, 'imports', importId)).toEqual(before);
    expect(env.plans.map((p) => p.action)).toEqual([expect.stringMatching(/^Restore backup/)]);
    // Restoring again is a no-op, not a conflict.
    const again = await restoreBackup(env.ctx, { id: r.backupId! });
    expect(again.restored).toEqual([]);
  });

  it('restoring an integration backup after a bad mapping update returns every object exactly', async () => {
    const integ = (await env.api.integrations.list()).find((i) => i.name === DEMO.integrations.shopify)!;
    const before = await integrationState(integ._id);
    const bk = await backup(env.ctx, [{ type: 'integration', id: integ._id }], 'before a risky change');
    expect(bk.items.filter((i) => i.type === 'flow')).toHaveLength(5);
    expect(bk.items.some((i) => i.type === 'connectionRef' && i.name === 'Shopify - acme-store')).toBe(true);
    await updateMapping(env.ctx, { flow: FLOW, changes: [{ op: 'remove', generate: 'entity' }] });
    await updateMapping(env.ctx, { flow: 'NetSuite Inventory to Shopify', changes: [{ op: 'change', generate: 'available', extract: 'quantityonhand' }] });
    // Those were later changes, each with its own backup: restoring the older one over them takes force.
    await expect(restoreBackup(env.ctx, { id: bk.id })).rejects.toThrow(/by someone else or by a later change/);
    const r = await restoreBackup(env.ctx, { id: bk.id, force: true });
    expect(r.restored.map((x) => x.type)).toEqual(['import', 'import']);
    expect(r.verified).toBe(true);
    expect(await integrationState(integ._id)).toEqual(before);
  });

  it('refuses to restore over someone else\'s later change, unless forced', async () => {
    const r = await updateMapping(env.ctx, { flow: FLOW, changes: [{ op: 'remove', generate: 'otherrefnum' }] });
    // Someone else edits the same import afterwards (not through celigo-manage's backups).
    await env.api.imports.update(r.importId, (d) => {
      d.name = 'Create NetSuite sales orders (edited)';
    });
    const edited = await snapshot(env.api, 'imports', r.importId);
    await expect(restoreBackup(env.ctx, { id: r.backupId! })).rejects.toThrow(/changed after the backup by someone else/);
    expect(await snapshot(env.api, 'imports', r.importId)).toEqual(edited);
    const diff = await diffBackup(env.ctx, r.backupId!);
    expect(diff.items[0].changedByOthers).toBe(true);
    const forced = await restoreBackup(env.ctx, { id: r.backupId!, force: true });
    expect(forced.verified).toBe(true);
    expect((await env.api.imports.get(r.importId)).name).toBe('Create NetSuite sales orders');
  });

  it('never writes secrets to backup files', async () => {
    const conns = await env.api.connections.list();
    await backup(env.ctx, conns.map((c) => ({ type: 'connection' as const, id: c._id })), 'all connections');
    for (const i of await env.api.integrations.list()) await backup(env.ctx, [{ type: 'integration', id: i._id }], 'integration');
    const files = await readdir(backupDir(env.ctx));
    expect(files.length).toBeGreaterThan(5);
    const secrets = ['******', 'shpat_', 'ns-prod-token-secret', 'Winter2025!', 'zd-api-token', 'wh-sftp-pass', 's3-secret-key', 'sk_live_', 'pat-na1', '5Aep861', '"password"', '"tokenSecret"', '"secretAccessKey"'];
    for (const f of files) {
      const text = await readFile(join(backupDir(env.ctx), f), 'utf8');
      for (const s of secrets) expect(text.includes(s), `${s} in ${f}`).toBe(false);
    }
    const listed = await listBackups(env.ctx);
    expect(listed.total).toBe(files.length);
  });

  it('undoing a create deletes what was created', async () => {
    const bk = await backup(env.ctx, [], 'create a tag');
    const tag = await env.api.tags.create({ tag: 'temporary' });
    await recordCreated(env.ctx, bk.id, { type: 'tag', id: tag._id, name: 'temporary' });
    const diff = await diffBackup(env.ctx, bk.id);
    expect(diff.created).toEqual([{ type: 'tag', id: tag._id, name: 'temporary', exists: true }]);
    const r = await restoreBackup(env.ctx, { id: bk.id });
    expect(r.deleted.map((d) => d.id)).toEqual([tag._id]);
    expect((await env.api.tags.list()).some((t) => t._id === tag._id)).toBe(false);
  });

  it('asks before restoring, and changes nothing when declined or when no one can answer', async () => {
    const r = await updateMapping(env.ctx, { flow: FLOW, changes: [{ op: 'remove', generate: 'otherrefnum' }] });
    const now = await snapshot(env.api, 'imports', r.importId);
    await expect(restoreBackup({ ...env.ctx, confirm: async () => false }, { id: r.backupId! })).rejects.toBeInstanceOf(Cancelled);
    await expect(restoreBackup({ ...env.ctx, confirm: undefined }, { id: r.backupId! })).rejects.toThrow(/--yes/);
    expect(await snapshot(env.api, 'imports', r.importId)).toEqual(now);
    await restoreBackup({ ...env.ctx, confirm: undefined, yes: true }, { id: r.backupId! });
    expect(await snapshot(env.api, 'imports', r.importId)).not.toEqual(now);
  });

  it('rejects unknown and malformed backup ids', async () => {
    await expect(diffBackup(env.ctx, 'bk-nope')).rejects.toBeInstanceOf(UsageError);
    await expect(restoreBackup(env.ctx, { id: '../etc/passwd' })).rejects.toThrow(/Invalid backup id/);
  });

  it('a mapping dry run writes nothing and takes no backup', async () => {
    env.emu.clearRequestLog();
    const r = await updateMapping(env.ctx, { flow: FLOW, changes: [{ op: 'add', generate: 'memo', extract: 'note' }], dryRun: true });
    expect(r.written).toBe(false);
    expect(r.preview?.missingSources).toContain('note');
    expect(env.emu.requestLog().filter((l) => l.mutating && !l.path.endsWith('/invoke'))).toEqual([]);
    expect((await listBackups(env.ctx)).total).toBe(0);
  });
  it('a connection that was offline in the backup is not put offline by the API: the remedy says where in the web app', async () => {
    const conn = (await env.api.connections.list()).find((c) => c.name === DEMO.offlineConnection)!;
    const bk = await backup(env.ctx, [{ type: 'connection', id: conn._id }], 'the offline connection');
    // Someone brought it back online in the web app (with its credentials, which celigo-manage never holds).
    env.emu.store.connections.get(conn._id)!.offline = false;
    const r = await restoreBackup(env.ctx, { id: bk.id, force: true });
    expect(r.problems).toEqual([expect.stringContaining(`Set it in Celigo's web app, in integrator.io: Resources → Connections → "${DEMO.offlineConnection}" → Edit: take it offline.`)]);
  });
});
