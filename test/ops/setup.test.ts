import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CeligoApiError } from '../../src/core/errors.js';
import { restoreBackup } from '../../src/ops/backups/restore.js';
import { setupIntegration } from '../../src/ops/setup.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';

describe('setup integration', () => {
  let env: Env;
  beforeEach(async () => {
    env = await demoEnv();
  });
  afterEach(() => env.close());

  const exists = async (kind: 'integrations' | 'flows' | 'exports' | 'imports' | 'connections', id: string) => {
    try {
      await env.api.raw('GET', `/${kind}/${id}`);
      return true;
    } catch (err) {
      if (err instanceof CeligoApiError && err.status === 404) return false;
      throw err;
    }
  };

  it('reuses and tests connections, creates everything with the flow disabled, previews, and can be undone', async () => {
    const r = await setupIntegration(env.ctx, {
      name: 'Salesforce Contacts to HubSpot',
      recordType: 'Contact',
      source: { connection: 'Salesforce Production' },
      destination: { connection: 'HubSpot', recordType: 'contacts', relativeURI: '/crm/v3/objects/contacts' },
      mappings: [{ generate: 'email', extract: 'Email' }, { generate: 'firstname', extract: 'FirstName' }, { generate: 'lifecycle', hardCodedValue: 'lead' }, { generate: 'nickname', extract: 'Nickname' }],
    });
    expect(r.status).toBe('done');
    expect(r.connections.source).toMatchObject({ name: 'Salesforce Production', created: false, ok: true });
    expect(r.connections.destination).toMatchObject({ name: 'HubSpot', created: false, ok: true });
    const flow = await env.api.flows.get(r.flowId!);
    expect(flow).toMatchObject({ disabled: true, _integrationId: r.integrationId, pageGenerators: [{ _exportId: r.exportId }], pageProcessors: [{ type: 'import', _importId: r.importId }] });
    const imp = await env.api.imports.get(r.importId!);
    expect(imp.adaptorType).toBe('HTTPImport');
    expect(imp.http).toMatchObject({ method: ['POST'], relativeURI: ['/crm/v3/objects/contacts'] });
    expect((imp.mappings as unknown[]).length).toBe(4);
    expect(r.preview?.output).toMatchObject({ lifecycle: 'lead' });
    expect(typeof (r.preview?.output as Record<string, unknown>).email).toBe('string');
    expect(r.preview?.missingSources).toEqual(['$.Nickname']);
    expect(r.enabled).toBe(false);
    expect(r.next).toContainEqual({ op: 'update_flow', args: { flow: r.flowId, enabled: true }, why: 'enable the flow when ready' });
    expect(r.next).toContainEqual(expect.objectContaining({ op: 'update_mapping', args: { flow: r.flowId, dryRun: true } }));
    expect(r.outcome).toBeUndefined();

    const undo = await restoreBackup(env.ctx, { id: r.backupId! });
    expect(undo.deleted.map((d) => d.type).sort()).toEqual(['export', 'flow', 'import', 'integration']);
    for (const [kind, id] of [['integrations', r.integrationId], ['flows', r.flowId], ['exports', r.exportId], ['imports', r.importId]] as const) {
      expect(await exists(kind, id!), `${kind} ${id}`).toBe(false);
    }
    expect(await exists('connections', r.connections.source!.id)).toBe(true);
  });

  it('stops at a failed step, says what exists, and resumes from there', async () => {
    const spec = {
      name: 'Orders to SFTP',
      recordType: 'orders',
      source: { connection: 'Shopify - acme-store', relativeURI: '/admin/api/2024-01/orders.json', settings: { adaptorType: 'NoSuchExport' } },
      destination: { type: 'ftp', name: 'New Partner SFTP', config: { ftp: { type: 'sftp', hostURI: 'sftp.partner.example', username: 'u', password: 'p-secret' } } },
    };
    const failed = await setupIntegration(env.ctx, spec);
    expect(failed.status).toBe('failed');
    expect(failed.failedStep).toBe('export');
    expect(failed.resume.integrationId).toBeDefined();
    expect(failed.resume.destinationConnectionId).toBeDefined();
    expect(failed.exportId).toBeUndefined();
    expect(failed.summary).toMatch(/stopped at the export step/);
    expect(failed.outcome).toBe('failed');
    expect(failed.connections.destination).toMatchObject({ created: true, ok: true });

    const done = await setupIntegration(env.ctx, { ...spec, source: { connection: 'Shopify - acme-store', relativeURI: '/admin/api/2024-01/orders.json' }, resume: failed.resume, enable: true });
    expect(done.status).toBe('done');
    expect(done.integrationId).toBe(failed.integrationId);
    expect(done.steps.find((s) => s.step === 'integration')?.status).toBe('reused');
    expect(done.connections.destination).toMatchObject({ id: failed.resume.destinationConnectionId, created: false });
    expect((await env.api.integrations.list()).filter((i) => i.name === 'Orders to SFTP')).toHaveLength(1);
    expect(done.enabled).toBe(true);
    expect((await env.api.flows.get(done.flowId!)).disabled).toBe(false);

    // One backup holds every created resource, the connection too: undo removes them all.
    const undo = await restoreBackup(env.ctx, { id: done.backupId! });
    expect(undo.deleted.map((d) => d.type).sort()).toEqual(['connection', 'export', 'flow', 'import', 'integration']);
  });

  it('does not enable a flow whose connection test failed', async () => {
    const r = await setupIntegration(env.ctx, {
      name: 'Sandbox customers',
      recordType: 'customer',
      source: { connection: 'NetSuite Sandbox' },
      destination: { connection: 'Salesforce Production', recordType: 'Account' },
      enable: true,
    });
    expect(r.status).toBe('done');
    expect(r.connections.source?.ok).toBe(false);
    expect(r.enabled).toBe(false);
    expect(r.steps.find((s) => s.step === 'enable')).toMatchObject({
      status: 'skipped',
      message: 'connection "NetSuite Sandbox" failed its test; fix it (in integrator.io: Resources → Connections → "NetSuite Sandbox" → Edit), then enable the flow',
    });
    expect(r.next[0].why).toBe('after fixing the source connection "NetSuite Sandbox" (INVALID_LOGIN_ATTEMPT: Invalid login attempt.; in integrator.io: Resources → Connections → "NetSuite Sandbox" → Edit)');
  });

  it('refuses a name that is taken before creating anything', async () => {
    env.emu.clearRequestLog();
    await expect(setupIntegration(env.ctx, { name: 'Stripe Payments to NetSuite', recordType: 'x', source: { connection: 'Stripe' }, destination: { connection: 'NetSuite Production' } })).rejects.toThrow(/already exists/);
    expect(env.emu.requestLog().filter((l) => l.mutating)).toEqual([]);
  });
});
