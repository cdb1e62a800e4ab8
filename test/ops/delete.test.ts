// delete_resource and its undo (issue 17 item 3): the dependency pre-flight, the backup of everything
// removed, and restore_backup bringing it back: re-created from the backup (new ids, references rewired,
// secrets named) when the account has no recycle bin, from the recycle bin (same ids) when it answers.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flowSteps } from '../../src/core/flows.js';
import { Cancelled } from '../../src/ops/context.js';
import { deleteResource } from '../../src/ops/delete.js';
import { restoreBackup } from '../../src/ops/backups/restore.js';
import { loadBackup } from '../../src/ops/backups/store.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';

const FLOW = 'Shopify Customers to NetSuite';

async function setForms(env: Env, body: Record<string, string>): Promise<void> {
  const r = await fetch(`${env.emu.url}/__emulator/forms`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  expect(r.status).toBe(200);
}

describe('delete_resource', () => {
  let env: Env;
  beforeEach(async () => {
    env = await demoEnv();
  });
  afterEach(() => env.close());

  const flowNamed = async (name: string) => (await env.api.flows.list()).find((f) => f.name === name);

  it('a flow deleted with its export and import comes back from the backup, wired together again (no recycle bin)', async () => {
    await setForms(env, { 'recycle-bin': 'other' });
    const before = (await flowNamed(FLOW))!;
    const [exp, imp] = flowSteps(before).map((s) => s.id);
    const r = await deleteResource(env.ctx, { type: 'flow', id: FLOW, withSteps: true });
    expect(r.deleted.map((d) => d.type)).toEqual(['flow', 'export', 'import']);
    expect(env.plans.at(-1)!.action).toBe(`Delete flow "${FLOW}"`);
    expect(await flowNamed(FLOW)).toBeUndefined();
    await expect(env.api.exports.get(exp)).rejects.toThrow();
    const rec = await loadBackup(env.ctx, r.backupId);
    expect(rec.deleted!.map((d) => d.id)).toEqual([before._id, exp, imp]);

    const back = await restoreBackup(env.ctx, { id: r.backupId });
    expect(back.recreated.map((x) => [x.type, x.from])).toEqual([['export', 'backup'], ['import', 'backup'], ['flow', 'backup']]);
    expect(back.skipped).toEqual([]);
    expect(back.verified).toBe(true);
    const flow = (await flowNamed(FLOW))!;
    const ids = Object.fromEntries(back.recreated.map((x) => [x.oldId, x.newId]));
    expect(flow._id).toBe(ids[before._id]);
    expect(flowSteps(flow).map((s) => s.id)).toEqual([ids[exp], ids[imp]]);
    expect(flow._integrationId).toBe(before._integrationId);
    expect((await env.api.exports.get(ids[exp])).name).toBe('Get Shopify customers');
    expect(back.summary).toContain(`(${exp} -> ${ids[exp]})`);

    // Restoring the same backup again re-creates nothing twice; undoing the restore deletes the copies.
    const again = await restoreBackup(env.ctx, { id: r.backupId });
    expect(again.recreated).toEqual([]);
    expect(again.summary).toContain('Nothing to restore');
    const undo = await restoreBackup(env.ctx, { id: back.preRestoreBackupId! });
    expect(undo.deleted.map((d) => d.type).sort()).toEqual(['export', 'flow', 'import']);
    expect(await flowNamed(FLOW)).toBeUndefined();
  });

  it('restores from the recycle bin where it answers: the same ids', async () => {
    const before = (await flowNamed(FLOW))!;
    const r = await deleteResource(env.ctx, { type: 'flow', id: before._id, withSteps: true });
    const back = await restoreBackup(env.ctx, { id: r.backupId });
    expect(back.recreated.every((x) => x.from === 'recycle bin' && x.newId === x.oldId)).toBe(true);
    expect(back.verified).toBe(true);
    const flow = await env.api.flows.get(before._id);
    expect(flowSteps(flow).map((s) => s.id)).toEqual(flowSteps(before).map((s) => s.id));
  });

  it('refuses an export a flow uses unless forced, naming the flow; nothing is changed or backed up', async () => {
    const err = await deleteResource(env.ctx, { type: 'export', id: 'Get Shopify customers' }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/Refusing to delete export "Get Shopify customers": it is used by flow "Shopify Customers to NetSuite" \(source\)/);
    expect(env.plans).toEqual([]);
    const forced = await deleteResource(env.ctx, { type: 'export', id: 'Get Shopify customers', force: true });
    expect(forced.broken).toEqual(['flow "Shopify Customers to NetSuite" (source)']);
    expect(forced.summary).toContain('Forced');
  });

  it('a connection comes back without its secrets, which the report names; the restore is partial', async () => {
    await setForms(env, { 'recycle-bin': 'other' });
    await expect(deleteResource(env.ctx, { type: 'connection', id: 'NetSuite Production' })).rejects.toThrow(/used by export/);
    const r = await deleteResource(env.ctx, { type: 'connection', id: 'NetSuite Sandbox' });
    expect(r.secretsLeftOut.length).toBeGreaterThan(0);
    expect(r.summary).toContain('without its secrets');
    const back = await restoreBackup(env.ctx, { id: r.backupId });
    expect(back.recreated).toHaveLength(1);
    expect(back.recreated[0].secretsLeftOut).toEqual(r.secretsLeftOut);
    expect(back.outcome).toBe('partial');
    expect(back.summary).toContain('WITHOUT its secrets');
    expect((await env.api.connections.get(back.recreated[0].newId)).name).toBe('NetSuite Sandbox');
  });

  it('an integration: Celigo deletes its flows with it; the backup holds them all and the restore rewires them to the new integration', async () => {
    await setForms(env, { 'recycle-bin': 'other' });
    const integ = (await env.api.integrations.list()).find((i) => i.name === 'Stripe Payments to NetSuite')!;
    const r = await deleteResource(env.ctx, { type: 'integration', id: integ.name });
    expect(r.deleted.map((d) => d.type).sort()).toEqual(['export', 'export', 'flow', 'flow', 'import', 'import', 'integration']);
    const back = await restoreBackup(env.ctx, { id: r.backupId });
    expect(back.verified, back.problems.join('; ')).toBe(true);
    const newInteg = back.recreated.find((x) => x.type === 'integration')!.newId;
    const flows = await env.api.integrations.flows(newInteg);
    expect(flows.map((f) => f.name).sort()).toEqual(['Stripe Charges to NetSuite Customer Payments', 'Stripe Payouts to NetSuite Deposits']);
    for (const f of flows) for (const s of flowSteps(f)) await expect(s.kind === 'export' ? env.api.exports.get(s.id) : env.api.imports.get(s.id)).resolves.toBeTruthy();
  });

  it('declined: nothing deleted, no backup', async () => {
    const ctx = { ...env.ctx, confirm: async () => false };
    await expect(deleteResource(ctx, { type: 'flow', id: FLOW })).rejects.toBeInstanceOf(Cancelled);
    expect(await flowNamed(FLOW)).toBeTruthy();
  });
});
