// Issue 17 item 2: update_export and update_import against the demo emulator. Editing an export's relative
// URI sends one write, a PUT in which every other field is as it was; it reads back verified; restore_backup
// puts the export back as it was. Every refusal is made before anything is sent.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CeligoClient } from '../../src/core/client.js';
import { ConflictError, UsageError } from '../../src/core/errors.js';
import { DEMO_TOKEN } from '../../src/emulator/index.js';
import { restoreBackup } from '../../src/ops/backups/restore.js';
import { listBackups } from '../../src/ops/backups/store.js';
import { updateExport, updateImport } from '../../src/ops/edit/update.js';
import { stableJson } from '../../src/ops/util.js';
import { demoEnv, snapshot, type Env } from '../helpers/demo-env.js';

const EXPORT = 'Get Shopify orders';
const IMPORT = 'Create NetSuite sales orders';
const URI = '/admin/api/2024-04/orders.json?status=any';

let env: Env;
let bodies: { method: string; path: string; body: unknown }[];
beforeEach(async () => {
  env = await demoEnv();
  bodies = [];
  // The same account through a client whose requests are seen: the request log has no bodies.
  env.ctx.api = new CeligoClient({
    baseUrl: env.emu.baseUrl,
    token: DEMO_TOKEN,
    backoffMs: 1,
    sleep: async () => {},
    fetch: async (url, init) => {
      if (init.method !== 'GET') bodies.push({ method: init.method, path: new URL(url).pathname, body: init.body ? JSON.parse(init.body) : undefined });
      const r = await fetch(url, init);
      return r;
    },
  });
});
afterEach(() => env.close());

const writes = () => env.emu.requestLog().filter((l) => l.method !== 'GET').map((l) => `${l.method} ${l.path.replace(/[0-9a-f]{24}/g, 'ID')}`);
const exportId = async () => (await env.api.exports.list()).find((e) => e.name === EXPORT)!._id;
const without = (o: Record<string, unknown>, ...keys: string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

describe('update_export', () => {
  it('changes the relative URI with one PUT in which every other field is as it was; restore_backup puts it back', async () => {
    const id = await exportId();
    const before = await snapshot(env.api, 'exports', id);
    env.emu.clearRequestLog();
    const r = await updateExport(env.ctx, { export: EXPORT, changes: [{ path: 'http.relativeURI', value: URI }] });
    expect(writes()).toEqual(['PUT /v1/exports/ID']);
    expect(r).toMatchObject({ method: 'PUT', written: true, verified: true, problems: [], changes: [{ path: 'http.relativeURI', after: URI }] });
    expect(r.next).toEqual([{ op: 'restore_backup', args: { id: r.backupId }, why: 'undo this change' }]);
    const sent = bodies.find((b) => b.method === 'PUT')!.body as Record<string, unknown>;
    const expected = structuredClone(before) as Record<string, any>;
    expected.http.relativeURI = URI;
    const readOnly = ['_id', 'createdAt', 'lastModified', 'lastModifiedBy', 'lastExecutedAt', 'apiIdentifier', 'queues'];
    expect(stableJson(sent)).toBe(stableJson(without(expected, ...readOnly)));
    expect((await env.api.exports.get(id)).http).toMatchObject({ relativeURI: URI });

    const restored = await restoreBackup(env.ctx, { id: r.backupId! });
    expect(restored.problems ?? []).toEqual([]);
    expect(stableJson(await snapshot(env.api, 'exports', id))).toBe(stableJson(before));
  });

  it('a dry run shows the diff and writes nothing; its next step is the same change', async () => {
    env.emu.clearRequestLog();
    const r = await updateExport(env.ctx, { export: EXPORT, changes: [{ path: 'http.relativeURI', value: URI }], dryRun: true });
    expect(writes()).toEqual([]);
    expect(r).toMatchObject({ dryRun: true, written: false });
    expect(r.summary).toContain(`-> "${URI}"`);
    expect(r.next[0]).toMatchObject({ op: 'update_export', args: { export: await exportId(), changes: [{ path: 'http.relativeURI', value: URI }] } });
    expect((await listBackups(env.ctx)).total).toBe(0);
  });

  it('a value it already has writes nothing', async () => {
    const current = (await env.api.exports.get(await exportId())).http as Record<string, unknown>;
    env.emu.clearRequestLog();
    const r = await updateExport(env.ctx, { export: EXPORT, changes: [{ path: 'http.relativeURI', value: current.relativeURI }] });
    expect(r.outcome).toBe('nothing');
    expect(writes()).toEqual([]);
  });

  it('adds a field to an existing object; sets an element of a list by index (an import netsuite_da and mapping)', async () => {
    const r = await updateExport(env.ctx, { export: EXPORT, changes: [{ path: 'http.paging.maxPagesPerRun', value: 5 }] });
    expect(r).toMatchObject({ verified: true, changes: [{ path: 'http.paging.maxPagesPerRun', after: 5 }] });
    expect(r.changes[0]!.before).toBeUndefined();
    const ri = await updateImport(env.ctx, {
      import: IMPORT,
      changes: [{ path: 'mapping.fields.4.extract', value: 'name' }, { path: 'netsuite_da.operation', value: 'add' }],
    });
    expect(ri).toMatchObject({ type: 'import', method: 'PUT', verified: true });
    const imp = (await env.api.imports.list()).find((i) => i.name === IMPORT)!;
    expect((imp.mapping as { fields: { extract?: string }[] }).fields[4]!.extract).toBe('name');
    await expect(updateImport(env.ctx, { import: IMPORT, changes: [{ path: 'mapping.fields.5.extract', value: 'x' }] })).rejects.toThrow(/list of 5; give an index from 0 to 4/);
  });

  it('refuses, before sending anything, what it must not change or cannot find', async () => {
    env.emu.clearRequestLog();
    const refuse = (path: string, value: unknown) => updateExport(env.ctx, { export: EXPORT, changes: [{ path, value }] });
    await expect(refuse('_id', 'x')).rejects.toThrow(/the server sets it/);
    await expect(refuse('lastModified', 'x')).rejects.toThrow(/the server sets it/);
    await expect(refuse('adaptorType', 'FTPExport')).rejects.toThrow(/create a new export instead/);
    await expect(refuse('http.nope.deeper', 1)).rejects.toThrow(/http\.nope does not exist/);
    await expect(refuse('http.relativeURI.x', 1)).rejects.toThrow(/is not an object/);
    await expect(refuse('http.headers.99', {})).rejects.toThrow(UsageError);
    await expect(refuse('http.relativeURI', '******')).rejects.toThrow(/masked secret/);
    await expect(refuse('http.auth', { token: 'abc' })).rejects.toThrow(/secret/);
    await expect(refuse('_connectionId', 'No Such Connection')).rejects.toThrow(/No connection/i);
    await expect(updateExport(env.ctx, { export: EXPORT, changes: [{ path: 'http', value: {} }, { path: 'http.method', value: 'GET' }] })).rejects.toThrow(/inside http/);
    await expect(updateExport(env.ctx, { export: EXPORT, changes: [] })).rejects.toThrow(/Nothing to change/);
    expect(writes()).toEqual([]);
  });

  it('moves an export to another connection given by name, written as its id', async () => {
    const conn = (await env.api.connections.list()).find((c) => c.name === 'Shopify - acme-store')!;
    const r = await updateExport(env.ctx, { export: EXPORT, changes: [{ path: '_connectionId', value: 'shopify - ACME-store' }] });
    expect(r.changes[0]).toMatchObject({ path: '_connectionId', after: conn._id });
  });

  it('stops with a conflict, sending nothing and keeping no backup, when the export changed since the diff', async () => {
    const id = await exportId();
    const ctx = {
      ...env.ctx,
      production: true,
      confirm: async () => {
        await env.api.exports.update(id, (e) => ({ ...e, description: 'someone else' }));
        return true;
      },
    };
    env.emu.clearRequestLog();
    await expect(updateExport(ctx, { export: EXPORT, changes: [{ path: 'http.relativeURI', value: URI }] })).rejects.toBeInstanceOf(ConflictError);
    expect(writes()).toEqual(['PUT /v1/exports/ID']); // only the other writer's
    expect((await listBackups(env.ctx)).total).toBe(0);
  });
});
