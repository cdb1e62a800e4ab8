// Issue 16: promote an integration from the demo company's sandbox account to its production (demo)
// account: the plan is exactly the difference, the apply writes only it (and what the promotion remembers),
// new flows arrive disabled, the result reads back as the source, one restore undoes it, a second run plans
// nothing, and every way it can go wrong stops before any write.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CeligoClient } from '../../src/core/client.js';
import { ConflictError, UsageError } from '../../src/core/errors.js';
import { DEMO_TOKEN, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { SANDBOX } from '../../src/emulator/seed/sandbox.js';
import { restoreBackup } from '../../src/ops/backups/restore.js';
import { stableJson } from '../../src/ops/util.js';
import { Cancelled } from '../../src/ops/context.js';
import { promoteIntegration, type PromoteInput } from '../../src/ops/promote/index.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';

let env: Env;
let sandboxEmu: RunningEmulator;
let sandbox: CeligoClient;
let production = false;

beforeEach(async () => {
  env = await demoEnv();
  sandboxEmu = await startEmulator({ port: 0, seed: 'sandbox', clock: env.clock, quiet: true, rateLimit: false });
  sandbox = new CeligoClient({ baseUrl: sandboxEmu.baseUrl, token: DEMO_TOKEN, backoffMs: 1, sleep: async () => {} });
  production = false;
  env.ctx.accounts = async (name: string) => (name === 'sandbox' ? { api: sandbox, label: 'sandbox', production: false } : { api: env.api, label: 'demo', production });
});
afterEach(async () => {
  await sandboxEmu.close();
  await env.close();
});

const input = (extra: Partial<PromoteInput> = {}): PromoteInput => ({ integration: SANDBOX.integration, from: 'sandbox', to: 'demo', ...extra });
const writes = (emu: RunningEmulator) => emu.requestLog().filter((l) => l.method !== 'GET').map((l) => `${l.method} ${l.path.split('?')[0]}`);

/** Every object of the target integration (and every export and import) without what the server sets on each write. */
async function targetContent(): Promise<string> {
  const integ = (await env.api.integrations.list()).find((i) => i.name === SANDBOX.integration)!;
  const strip = (o: Record<string, unknown>) => {
    const { lastModified: _lm, ...rest } = o;
    return rest;
  };
  const [flows, exps, imps] = await Promise.all([env.api.integrations.flows(integ._id), env.api.exports.list(), env.api.imports.list()]);
  // Key order is not content: the emulator's PUT writes an object's keys in another order.
  return stableJson({ flows: flows.map(strip), exports: exps.map(strip), imports: imps.map(strip) });
}

describe('promote_integration, sandbox to demo', () => {
  it('plans exactly the changed mapping field and the extra flow (with its export and import), writing nothing', async () => {
    env.emu.clearRequestLog();
    const r = await promoteIntegration(env.ctx, input());
    expect(r.applied).toBe(false);
    expect(r.plan.changes).toEqual([
      expect.objectContaining({ type: 'import', name: 'Upsert Salesforce leads', fields: [{ path: 'mapping.fields.3.extract', before: 'properties.company', after: SANDBOX.companyExtract }] }),
    ]);
    expect(r.plan.additions.map((a) => [a.type, a.name])).toEqual([
      ['export', SANDBOX.extraExport],
      ['import', SANDBOX.extraImport],
      ['flow', SANDBOX.extraFlow],
    ]);
    expect(r.plan.connections).toEqual(['connection "HubSpot" (http) -> "HubSpot" (same name)', 'connection "Salesforce Production" (salesforce) -> "Salesforce Production" (same name)']);
    expect(writes(env.emu)).toEqual([]);
  });

  it('applies only the plan, the new flow disabled; reads back as the source; one restore undoes it; a second run plans nothing', async () => {
    const before = await targetContent();
    env.emu.clearRequestLog();
    const r = await promoteIntegration(env.ctx, input({ apply: true }));
    const w = writes(env.emu);
    expect(w.filter((x) => x.startsWith('POST')).map((x) => x.replace(/[0-9a-f]{24}/g, 'ID'))).toEqual(['POST /v1/exports', 'POST /v1/imports', 'POST /v1/flows']);
    expect(w.filter((x) => x.startsWith('PUT')).map((x) => x.replace(/[0-9a-f]{24}/g, 'ID'))).toEqual([`PUT /v1/imports/ID`, 'PUT /v1/integrations/ID/state/celigo-manage.promote']);
    expect(w).toHaveLength(5);
    expect(r.result).toMatchObject({ verified: true, remaining: 0 });
    const flow = await env.api.flows.get(r.result!.created.find((c) => c.type === 'flow')!.id);
    expect(flow.disabled).toBe(true);
    const imp = await env.api.imports.get(r.result!.changed[0].id);
    expect(JSON.stringify(imp.mapping)).toContain(SANDBOX.companyExtract);

    const again = await promoteIntegration(env.ctx, input());
    expect(again.upToDate).toBe(true);

    const restored = await restoreBackup(env.ctx, { id: r.result!.backupId });
    expect(restored.verified).toBe(true);
    const after = await targetContent();
    expect(after).toBe(before);
  });

  it('finds the objects it created by what it remembered, after the target flow was renamed', async () => {
    const r = await promoteIntegration(env.ctx, input({ apply: true }));
    const id = r.result!.created.find((c) => c.type === 'flow')!.id;
    await env.api.flows.update(id, (f) => ({ ...f, name: 'Companies (production name)' }));
    const again = await promoteIntegration(env.ctx, input());
    expect(again.plan.additions).toEqual([]);
    expect(again.plan.changes.map((c) => c.fields.map((f) => f.path))).toEqual([['name']]);
  });

  it('stops before any write when a source connection has no match, and goes on with --map', async () => {
    const hub = (await env.api.connections.list()).find((c) => c.name === 'HubSpot')!;
    await env.api.connections.patch(hub._id, { name: 'HubSpot (production)' });
    env.emu.clearRequestLog();
    await expect(promoteIntegration(env.ctx, input({ apply: true }))).rejects.toThrow(/No connection of "demo" matches "HubSpot" \(http\).*Nothing was written/);
    expect(writes(env.emu)).toEqual([]);
    const r = await promoteIntegration(env.ctx, input({ map: ['HubSpot=HubSpot (production)'] }));
    expect(r.plan.connections[0]).toBe('connection "HubSpot" (http) -> "HubSpot (production)" (as mapped)');
  });

  it('stops before any write when the target changed since the plan was reviewed', async () => {
    const plan = await promoteIntegration(env.ctx, input());
    const imp = plan.plan.changes[0];
    await env.api.imports.update(imp.id, (d) => ({ ...d, name: 'Upsert Salesforce leads (edited)' }));
    env.emu.clearRequestLog();
    await expect(promoteIntegration(env.ctx, input({ apply: true, plan: plan.plan.digest }))).rejects.toThrow(UsageError);
    expect(writes(env.emu)).toEqual([]);
  });

  it('stops before any write when the target changes between the plan and the first write', async () => {
    production = true;
    const ctx = {
      ...env.ctx,
      confirm: async () => {
        const imp = (await env.api.imports.list()).find((i) => i.name === 'Upsert Salesforce leads')!;
        await env.api.imports.update(imp._id, (d) => ({ ...d, name: 'edited meanwhile' }));
        env.emu.clearRequestLog();
        return true;
      },
    };
    await expect(promoteIntegration(ctx, input({ apply: true }))).rejects.toBeInstanceOf(ConflictError);
    expect(writes(env.emu)).toEqual([]);
  });

  it('asks before writing to a production account, and without anyone to ask writes nothing', async () => {
    production = true;
    env.emu.clearRequestLog();
    await expect(promoteIntegration({ ...env.ctx, confirm: undefined }, input({ apply: true }))).rejects.toBeInstanceOf(Cancelled);
    expect(writes(env.emu)).toEqual([]);
    const r = await promoteIntegration(env.ctx, input({ apply: true }));
    expect(env.plans.at(-1)!.action).toMatch(/Promote "HubSpot - Salesforce Leads" from sandbox to demo/);
    expect(env.plans.at(-1)!.details).toContain('add flow "HubSpot Companies to Salesforce Accounts" (disabled)');
    expect(r.result?.verified).toBe(true);
  });

  it('leaves references to objects it does not carry (a hook\'s script) as the target has them', async () => {
    const hook = async (api: CeligoClient, scriptId: string) => {
      const imp = (await api.imports.list()).find((i) => i.name === 'Upsert Salesforce leads')!;
      await api.imports.update(imp._id, (d) => ({ ...d, hooks: { preMap: { _scriptId: scriptId, function: 'preMap' } } }));
    };
    await hook(sandbox, '665f0000aaaaaaaaaaaaaaaa');
    await hook(env.api, '665f0000bbbbbbbbbbbbbbbb');
    const r = await promoteIntegration(env.ctx, input());
    expect(r.plan.changes.flatMap((c) => c.fields.map((f) => f.path))).toEqual(['mapping.fields.3.extract']);
  });

  it('stops before any write when the source cannot be read', async () => {
    sandboxEmu.setFaults({ errorRate: 1, statuses: [403], match: '^GET /v1/integrations/[^/]+/imports' });
    env.emu.clearRequestLog();
    await expect(promoteIntegration(env.ctx, input({ apply: true }))).rejects.toThrow();
    expect(writes(env.emu)).toEqual([]);
  });

  it('refuses bad arguments with what to do', async () => {
    await expect(promoteIntegration(env.ctx, input({ from: ' ' }))).rejects.toThrow(/Name the from profile/);
    await expect(promoteIntegration(env.ctx, input({ from: 'demo' }))).rejects.toThrow(/same account/);
    await expect(promoteIntegration(env.ctx, input({ map: ['HubSpot'] }))).rejects.toThrow(/source=target/);
    await expect(promoteIntegration(env.ctx, input({ map: ['Nope=HubSpot'] }))).rejects.toThrow(/"Nope" is not a connection of "sandbox"/);
    await expect(promoteIntegration({ ...env.ctx, accounts: undefined }, input())).rejects.toThrow(/cannot open another account/);
    const other = (await sandbox.integrations.list()).find((i) => i.name === 'Amazon S3 Archive')!;
    await sandbox.integrations.update(other._id, (i) => ({ ...i, name: 'Only in the sandbox' }));
    await expect(promoteIntegration(env.ctx, input({ integration: 'Only in the sandbox' }))).rejects.toThrow(/has no integration named "Only in the sandbox"/);
  });
});
