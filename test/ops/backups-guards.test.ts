// Backups that survive bad files, undo that never reverts someone else, restores that say what they could
// not do, no backup for a change that was never sent, and two separate restore guards (issue 13).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CeligoClient } from '../../src/core/client.js';
import { UsageError } from '../../src/core/errors.js';
import { DEMO_TOKEN } from '../../src/emulator/index.js';
import { DEMO } from '../../src/emulator/seed/demo.js';
import { catalogue } from '../../src/operations/catalogue.js';
import { backupDir, listBackups, loadBackup } from '../../src/ops/backups/store.js';
import { diffBackup } from '../../src/ops/backups/diff.js';
import { restoreBackup } from '../../src/ops/backups/restore.js';
import { cloneIntegration } from '../../src/ops/clone.js';
import { updateMapping } from '../../src/ops/mapping/update.js';
import { demoEnv, snapshot, type Env } from '../helpers/demo-env.js';

const FLOW = 'Shopify Orders to NetSuite Sales Orders';
const tool = (name: string) => catalogue().find((t) => t.name === name)!;

/** A request the client holds until released: `arrived` resolves when it is held. */
interface Gate {
  method: string;
  path: string;
  arrived: Promise<void>;
  release(): void;
}

/** A client whose requests matching the gates (in order, each once) wait until their gate is released. */
function gatedClient(env: Env, specs: { method: string; path: string }[]): { api: CeligoClient; gates: Gate[] } {
  const gates: Gate[] = specs.map((s) => {
    let arrive!: () => void;
    let release!: () => void;
    const arrived = new Promise<void>((r) => (arrive = r));
    const released = new Promise<void>((r) => (release = r));
    return { ...s, arrived, release, hold: async () => (arrive(), released) } as Gate & { hold(): Promise<void> };
  });
  let next = 0;
  const f: typeof fetch = async (input, init) => {
    const g = gates[next] as (Gate & { hold(): Promise<void> }) | undefined;
    if (g && (init?.method ?? 'GET') === g.method && new URL(String(input)).pathname.endsWith(g.path)) {
      next++;
      await g.hold();
    }
    return fetch(input, init);
  };
  return { api: new CeligoClient({ baseUrl: env.emu.baseUrl, token: DEMO_TOKEN, backoffMs: 1, sleep: async () => {}, fetch: f }), gates };
}

describe('backups and undo hardening (issue 13)', () => {
  let env: Env;
  beforeEach(async () => {
    env = await demoEnv();
  });
  afterEach(() => env.close());

  const importOf = async () => (await env.api.flows.list()).find((f) => f.name === FLOW)!.pageProcessors![0]._importId!;

  it('files in the backups folder that are not backups are skipped with a warning naming them; intact backups still list, diff and restore', async () => {
    const r = await updateMapping(env.ctx, { flow: FLOW, changes: [{ op: 'add', generate: 'memo', hardCodedValue: 'web' }] });
    const dir = backupDir(env.ctx);
    const good = await readFile(join(dir, `${r.backupId}.json`), 'utf8');
    await writeFile(join(dir, 'bk-array.json'), '[]');
    await writeFile(join(dir, 'bk-items.json'), '{"id":"x","items":"nope"}');
    await writeFile(join(dir, 'bk-truncated.json'), good.slice(0, good.length / 2));

    const listed = await listBackups(env.ctx);
    expect(listed.backups.map((b) => b.id)).toEqual([r.backupId]);
    expect(listed.skipped.map((s) => s.path).sort()).toEqual(['bk-array.json', 'bk-items.json', 'bk-truncated.json'].map((f) => join(dir, f)));
    expect(listed.skipped.every((s) => s.reason.length > 0)).toBe(true);

    expect((await diffBackup(env.ctx, r.backupId!)).items[0].status).toBe('changed');
    expect((await restoreBackup(env.ctx, { id: r.backupId! })).verified).toBe(true);
    const bad = await loadBackup(env.ctx, 'bk-items').catch((e) => e);
    expect(bad).toBeInstanceOf(UsageError);
    expect(bad.message).toContain(join(dir, 'bk-items.json'));

    // The model sees the warning too.
    const t = await tool('list_backups').handler({}, env.ctx);
    expect(t.text).toContain(join(dir, 'bk-items.json'));
    expect(t.structured).toMatchObject({ skipped: expect.arrayContaining([expect.objectContaining({ path: join(dir, 'bk-array.json') })]) });
  });

  it('two writers that both passed the lastModified check: the undo of the overwritten one does not revert the other without force', async () => {
    const importId = await importOf();
    const a = gatedClient(env, [{ method: 'PUT', path: `/imports/${importId}` }]);
    const b = gatedClient(env, [{ method: 'PUT', path: `/imports/${importId}` }]);
    const runA = updateMapping({ ...env.ctx, api: a.api }, { flow: FLOW, changes: [{ op: 'add', generate: 'memo', hardCodedValue: 'from A' }] });
    await a.gates[0].arrived;
    const runB = updateMapping({ ...env.ctx, api: b.api }, { flow: FLOW, changes: [{ op: 'add', generate: 'custbody_note', hardCodedValue: 'from B' }] });
    await b.gates[0].arrived;
    a.gates[0].release();
    const ra = await runA;
    b.gates[0].release();
    const rb = await runB;
    expect(ra.written && rb.written).toBe(true);
    const winner = await snapshot(env.api, 'imports', importId);

    expect(ra.next.map((n) => n.op)).toEqual(['restore_backup']);
    await expect(restoreBackup(env.ctx, { id: ra.backupId! })).rejects.toThrow(/changed after/);
    expect(await snapshot(env.api, 'imports', importId)).toEqual(winner);
    expect((await diffBackup(env.ctx, ra.backupId!)).items[0].changedByOthers).toBe(true);
    // The winner's own undo is its own after-state: no force needed.
    expect((await restoreBackup(env.ctx, { id: rb.backupId! })).verified).toBe(true);
  });

  it('a read-back that shows someone else\'s newer write does not suggest restoring over it', async () => {
    const importId = await importOf();
    const a = gatedClient(env, [{ method: 'PUT', path: `/imports/${importId}` }, { method: 'GET', path: `/imports/${importId}` }]);
    const b = gatedClient(env, [{ method: 'PUT', path: `/imports/${importId}` }]);
    const runA = updateMapping({ ...env.ctx, api: a.api }, { flow: FLOW, changes: [{ op: 'add', generate: 'memo', hardCodedValue: 'from A' }] });
    await a.gates[0].arrived;
    const runB = updateMapping({ ...env.ctx, api: b.api }, { flow: FLOW, changes: [{ op: 'add', generate: 'custbody_note', hardCodedValue: 'from B' }] });
    await b.gates[0].arrived;
    a.gates[0].release();
    await a.gates[1].arrived; // A has written and is about to read back
    b.gates[0].release();
    await runB;
    a.gates[1].release();
    const ra = await runA;
    expect(ra.outcome).toBe('partial');
    expect(ra.problems.join(' ')).toMatch(/someone else/);
    expect(ra.next.map((n) => n.op)).not.toContain('restore_backup');
    expect(ra.next.map((n) => n.op)).toContain('diff_backup');
  });

  it('undoing a restore that deleted a clone says it cannot recreate them, never "Nothing to restore"', async () => {
    const clone = await cloneIntegration(env.ctx, { integration: DEMO.integrations.stripe, name: 'Stripe (copy)' });
    const rec = await loadBackup(env.ctx, clone.backupId);
    const components = Object.values(clone.created).reduce((a, b) => a + b, 0);
    expect(rec.created).toHaveLength(components);
    expect((await listBackups(env.ctx)).backups[0]).toMatchObject({ id: clone.backupId, created: components });

    const undo = await restoreBackup(env.ctx, { id: clone.backupId });
    expect(undo.deleted).toHaveLength(components);
    const again = await restoreBackup(env.ctx, { id: undo.preRestoreBackupId! });
    expect(again.summary).not.toMatch(/Nothing to restore/);
    expect(again.outcome).toBe('failed');
    expect(again.verified).toBe(false);
    expect(again.skipped).toHaveLength(components);
    expect(again.summary).toMatch(new RegExp(`cannot recreate ${components} objects`));
  });

  it('no backup for a change that was never sent (read-only, a conflict before the write); a sent one records whether it was applied', async () => {
    const readOnly = new CeligoClient({ baseUrl: env.emu.baseUrl, token: DEMO_TOKEN, readOnly: true, backoffMs: 1, sleep: async () => {} });
    await expect(updateMapping({ ...env.ctx, api: readOnly }, { flow: FLOW, changes: [{ op: 'add', generate: 'memo', hardCodedValue: 'x' }] })).rejects.toThrow(/read-only/i);
    expect((await listBackups(env.ctx)).total).toBe(0);

    // Someone else edits the import between the plan and the write: nothing is sent, nothing is kept.
    const importId = await importOf();
    const editing = {
      ...env.ctx,
      production: true, // a production profile asks before a mapping change: the edit happens while it asks
      confirm: async () => {
        env.clock.advance(1000);
        await env.api.imports.update(importId, (d) => void (d.name = 'edited meanwhile'));
        return true;
      },
    };
    await expect(updateMapping(editing, { flow: FLOW, changes: [{ op: 'add', generate: 'memo', hardCodedValue: 'x' }] })).rejects.toThrow(/changed by someone else/);
    expect((await listBackups(env.ctx)).total).toBe(0);

    // The write fails with 5xx every time: it may or may not have landed, so the backup stays, marked not applied.
    const failing: typeof fetch = async (input, init) => ((init?.method ?? 'GET') === 'PUT' ? new Response('{"errors":[{"code":"x","message":"down"}]}', { status: 503 }) : fetch(input, init));
    const down = new CeligoClient({ baseUrl: env.emu.baseUrl, token: DEMO_TOKEN, backoffMs: 1, sleep: async () => {}, fetch: failing });
    await expect(updateMapping({ ...env.ctx, api: down }, { flow: FLOW, changes: [{ op: 'add', generate: 'memo', hardCodedValue: 'x' }] })).rejects.toThrow();
    const ok = await updateMapping(env.ctx, { flow: FLOW, changes: [{ op: 'add', generate: 'memo', hardCodedValue: 'y' }] });
    const listed = await listBackups(env.ctx);
    // Both were taken at the same instant of the manual clock: their order is not the point.
    expect(listed.backups.map((b) => [b.id === ok.backupId, b.applied]).sort()).toEqual([[false, false], [true, true]]);
    const rows = (await tool('list_backups').handler({}, env.ctx)).text.split('\n');
    expect(rows[1].split('\t')).toContain('applied');
  });

  it('--force passes newer edits only: a backup from another account needs its own override', async () => {
    const r = await updateMapping(env.ctx, { flow: FLOW, changes: [{ op: 'add', generate: 'memo', hardCodedValue: 'web' }] });
    const file = join(backupDir(env.ctx), `${r.backupId}.json`);
    const rec = JSON.parse(await readFile(file, 'utf8'));
    await writeFile(file, JSON.stringify({ ...rec, baseUrl: 'https://api.eu.integrator.io/v1' }));
    await expect(restoreBackup(env.ctx, { id: r.backupId!, force: true })).rejects.toThrow(/--other-account/);
    expect((await restoreBackup(env.ctx, { id: r.backupId!, otherAccount: true })).verified).toBe(true);
    // The tool has no way past the account guard: force means newer edits only.
    const viaTool = await tool('restore_backup').handler({ id: r.backupId!, force: true }, env.ctx).catch((e) => e);
    expect(String(viaTool.message ?? viaTool.text)).toMatch(/taken from https:\/\/api\.eu\.integrator\.io/);
    expect(Object.keys(tool('restore_backup').input)).not.toContain('otherAccount');
  });

  it('list_backups reads its target as list_changes does: an id, or a name in any ASCII case; blank is an error', async () => {
    const ok = await updateMapping(env.ctx, { flow: FLOW, changes: [{ op: 'add', generate: 'memo', hardCodedValue: 'z' }] });
    const ids = async (target: string) => (await listBackups(env.ctx, { target })).backups.map((b) => b.id);
    // What the change backed up (the flow's import), by id and by name in another case.
    const item = (await loadBackup(env.ctx, ok.backupId!)).items[0]!;
    expect(item.name).toBeTruthy();
    expect(await ids(item.id)).toEqual([ok.backupId]);
    expect(await ids(item.name!.toUpperCase())).toEqual([ok.backupId]);
    expect(await ids(item.name!.toLowerCase())).toEqual([ok.backupId]);
    expect(await ids('No Such Flow')).toEqual([]);
    await expect(listBackups(env.ctx, { target: '' })).rejects.toThrow(/^target is empty: give a resource id or name/);
    await expect(listBackups(env.ctx, { target: '  ' })).rejects.toBeInstanceOf(UsageError);
  });
});
