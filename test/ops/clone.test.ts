// clone_integration by Celigo's protocol (celigo-api.md W6): preview, a connectionMap covering every
// previewed connection, and a backup that lists every created component so restore_backup removes the copy.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CeligoClient } from '../../src/core/client.js';
import { UsageError } from '../../src/core/errors.js';
import { DEMO_TOKEN } from '../../src/emulator/index.js';
import { DEMO } from '../../src/emulator/seed/demo.js';
import { loadBackup } from '../../src/ops/backups/store.js';
import { restoreBackup } from '../../src/ops/backups/restore.js';
import { cloneIntegration } from '../../src/ops/changes.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';

const KINDS = ['integrations', 'flows', 'exports', 'imports', 'connections'] as const;
const TYPE = { integrations: 'integration', flows: 'flow', exports: 'export', imports: 'import', connections: 'connection' } as const;

/** Every object id in the emulator's store, as "type id". */
function storeIds(env: Env): Set<string> {
  const out = new Set<string>();
  for (const k of KINDS) for (const id of env.emu.store.map(k).keys()) out.add(`${TYPE[k]} ${id}`);
  return out;
}

/** A client whose POST …/clone answers are rewritten, to play the older or an unknown answer shape. */
function clientRewritingClone(env: Env, rewrite: (components: { model: string; _id: string; name?: string }[]) => unknown): CeligoClient {
  const f: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    if ((init?.method ?? 'GET') !== 'POST' || !String(input).endsWith('/clone') || !res.ok) return res;
    const body = rewrite(await res.json());
    return new Response(JSON.stringify(body), { status: res.status, headers: { 'content-type': 'application/json' } });
  };
  return new CeligoClient({ baseUrl: env.emu.baseUrl, token: DEMO_TOKEN, backoffMs: 1, sleep: async () => {}, fetch: f });
}

describe('clone_integration', () => {
  let env: Env;
  beforeEach(async () => {
    env = await demoEnv();
  });
  afterEach(() => env.close());

  it('maps every previewed connection to itself, records every created component, and restore removes them all', async () => {
    const before = storeIds(env);
    const src = (await env.api.integrations.list()).find((i) => i.name === DEMO.integrations.stripe)!;
    const r = await cloneIntegration({ ...env.ctx, production: true }, { integration: DEMO.integrations.stripe, name: 'Stripe (copy)' });

    const created = [...storeIds(env)].filter((x) => !before.has(x));
    expect(created.filter((x) => x.startsWith('integration '))).toEqual([`integration ${r.id}`]);
    expect(r.flows).toBe(2);
    expect(r.created).toEqual({
      Integration: 1,
      Flow: 2,
      Export: created.filter((x) => x.startsWith('export ')).length,
      Import: created.filter((x) => x.startsWith('import ')).length,
    });
    expect(r.created.Export).toBeGreaterThan(0);
    expect(r.created.Import).toBeGreaterThan(0);
    expect(Object.keys(r.connectionMap).sort()).toEqual([...(src._registeredConnectionIds as string[])].sort());
    for (const [from, to] of Object.entries(r.connectionMap)) expect(to).toBe(from);
    expect(r).not.toHaveProperty('notInBackup');

    const rec = await loadBackup(env.ctx, r.backupId);
    expect(rec.created.map((c) => `${c.type} ${c.id}`).sort()).toEqual(created.sort());
    expect(env.plans[0].details).toEqual(expect.arrayContaining([expect.stringMatching(/^copies 1 integration, 2 flows/)]));

    const undo = await restoreBackup(env.ctx, { id: r.backupId });
    expect(undo.verified).toBe(true);
    expect(undo.deleted.map((d) => `${d.type} ${d.id}`).sort()).toEqual(created.sort());
    // Flows go before their exports and imports, the integration last.
    const order = undo.deleted.map((d) => d.type);
    expect(order.lastIndexOf('flow')).toBeLessThan(order.indexOf('export'));
    expect(order.lastIndexOf('import')).toBeLessThan(order.indexOf('integration'));
    expect(storeIds(env)).toEqual(before);
  });

  it('sends the source integration\'s tag with the clone', async () => {
    const src = env.emu.store.integrations.get((await env.api.integrations.list()).find((i) => i.name === DEMO.integrations.s3)!._id)!;
    src.tag = 'archive';
    const r = await cloneIntegration(env.ctx, { integration: src._id, name: 'S3 (copy)' });
    expect((await env.api.integrations.get(r.id)).tag).toBe('archive');
  });

  it('an explicit connectionMap (names) points the copy at another connection; the rest map to themselves', async () => {
    const r = await cloneIntegration({ ...env.ctx, production: true }, { integration: DEMO.integrations.hubspot, name: 'HubSpot (copy)', connectionMap: { 'salesforce production': 'Salesforce - Integration User' } });
    const conns = await env.api.connections.list();
    const id = (n: string) => conns.find((c) => c.name === n)!._id;
    expect(r.connectionMap).toEqual({ [id('HubSpot')]: id('HubSpot'), [id('Salesforce Production')]: id('Salesforce - Integration User') });
    const flows = await env.api.integrations.flows(r.id);
    const used = new Set<string>();
    for (const f of flows) for (const st of [...(f.pageGenerators ?? []), ...(f.pageProcessors ?? [])]) {
      const step = st._exportId ? await env.api.exports.get(st._exportId) : await env.api.imports.get(st._importId!);
      used.add(String(step._connectionId));
    }
    expect([...used].sort()).toEqual([id('HubSpot'), id('Salesforce - Integration User')].sort());
    expect(env.plans[0].details).toContain(`connection "Salesforce Production" -> "Salesforce - Integration User" (${id('Salesforce - Integration User')})`);
  });

  it('refuses a map naming a connection the clone does not use, or a target of another type, before creating anything', async () => {
    const before = storeIds(env);
    const notUsed = await cloneIntegration({ ...env.ctx, production: true }, { integration: DEMO.integrations.hubspot, name: 'X', connectionMap: { Stripe: 'HubSpot' } }).catch((e) => e);
    expect(notUsed).toBeInstanceOf(UsageError);
    expect(notUsed.message).toMatch(/"Stripe" is not a connection the clone uses; it uses: .*"HubSpot"/);
    const wrongType = await cloneIntegration(env.ctx, { integration: DEMO.integrations.hubspot, name: 'X', connectionMap: { HubSpot: 'NetSuite Production' } }).catch((e) => e);
    expect(wrongType).toBeInstanceOf(UsageError);
    expect(wrongType.message).toContain('map it to a http connection');
    expect(storeIds(env)).toEqual(before);
    expect(env.plans).toEqual([]);
  });

  it('the older answer (the new integration object) still puts every created component in the backup', async () => {
    const before = storeIds(env);
    const ctx = { ...env.ctx, api: clientRewritingClone(env, (made) => ({ _id: made[0]._id, name: made[0].name })) };
    const r = await cloneIntegration(ctx, { integration: DEMO.integrations.stripe, name: 'Stripe (old answer)' });
    const created = [...storeIds(env)].filter((x) => !before.has(x));
    expect(created.length).toBeGreaterThan(3);
    expect((await loadBackup(env.ctx, r.backupId)).created.map((c) => `${c.type} ${c.id}`).sort()).toEqual(created.sort());
    await restoreBackup(env.ctx, { id: r.backupId });
    expect(storeIds(env)).toEqual(before);
  });

  it('an answer of unknown shape is an error naming the endpoint, and the copy it made is still in the backup', async () => {
    const before = storeIds(env);
    const ctx = { ...env.ctx, api: clientRewritingClone(env, () => ({ status: 'done' })) };
    const err = await cloneIntegration(ctx, { integration: DEMO.integrations.stripe, name: 'Stripe (odd answer)' }).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/POST \/integrations\/[0-9a-f]{24}\/clone with a shape .* got an object with keys status/);
    const id = /in backup ([^\s,]+), so restoring that backup removes it/.exec(err.message)?.[1];
    expect(id).toBeTruthy();
    await restoreBackup(env.ctx, { id: id! });
    expect(storeIds(env)).toEqual(before);
  });
});
