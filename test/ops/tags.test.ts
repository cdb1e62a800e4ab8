// Integration tags: Celigo keeps ONE tag per integration in its `tag` field (celigo-api.md W5); /tags holds
// the error tags. Tagging, its backup and restore, and the tags report, against the demo account.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CeligoClient } from '../../src/core/client.js';
import { UsageError } from '../../src/core/errors.js';
import { DEMO_TOKEN } from '../../src/emulator/index.js';
import { DEMO } from '../../src/emulator/seed/demo.js';
import { loadBackup } from '../../src/ops/backups/store.js';
import { diffBackup } from '../../src/ops/backups/diff.js';
import { restoreBackup } from '../../src/ops/backups/restore.js';
import { addTagToIntegration } from '../../src/ops/changes.js';
import { listIntegrations, getIntegration } from '../../src/ops/read/integrations.js';
import { listTags } from '../../src/ops/tags.js';
import { demoEnv, snapshot, type Env } from '../helpers/demo-env.js';

describe('integration tags', () => {
  let env: Env;
  beforeEach(async () => {
    env = await demoEnv();
  });
  afterEach(() => env.close());

  const integrationId = async (name: string) => (await env.api.integrations.list()).find((i) => i.name === name)!._id;
  const patches = () => env.emu.requestLog().filter((l) => l.method === 'PATCH' || l.method === 'PUT' || l.method === 'POST');

  it('tagging replaces the one tag an integration has, says what it replaced, and reads back', async () => {
    const id = await integrationId(DEMO.integrations.stripe);
    env.emu.clearRequestLog();
    const r = await addTagToIntegration(env.ctx, { integration: DEMO.integrations.stripe, tag: '  payments ' });
    expect(r).toMatchObject({ integration: DEMO.integrations.stripe, integrationId: id, tag: 'payments', previousTag: 'finance', changed: true });
    expect(r.summary).toBe(`Tagged "${DEMO.integrations.stripe}" with "payments" (replaced "finance": Celigo keeps one tag per integration).`);
    expect((await env.api.integrations.get(id)).tag).toBe('payments');
    // One JSON-Patch PATCH of the integration; nothing written to /tags or to state.
    expect(patches().map((l) => `${l.method} ${l.path}`)).toEqual([`PATCH /v1/integrations/${id}`]);
    expect((await env.api.tags.list()).map((t) => t.tag).sort()).toEqual([...DEMO.errorTags].sort());
    expect(await env.api.state.keys()).toEqual([]);
    expect(env.plans).toEqual([]); // an ordinary change asks only on a production profile
  });

  it('tagging an untagged integration says it had none; the same tag again changes nothing', async () => {
    const first = await addTagToIntegration(env.ctx, { integration: DEMO.integrations.hubspot, tag: 'marketing' });
    expect(first).toMatchObject({ tag: 'marketing', previousTag: null, changed: true });
    expect(first.summary).toContain('(it had no tag)');
    env.emu.clearRequestLog();
    const again = await addTagToIntegration(env.ctx, { integration: DEMO.integrations.hubspot, tag: 'marketing' });
    expect(again).toMatchObject({ tag: 'marketing', previousTag: 'marketing', changed: false });
    expect(again.backupId).toBeUndefined();
    expect(patches()).toEqual([]);
  });

  it('a blank tag is an error, not a removal; removal must be asked for', async () => {
    for (const tag of ['', '   ', undefined]) {
      await expect(addTagToIntegration(env.ctx, { integration: DEMO.integrations.shopify, tag })).rejects.toThrow(UsageError);
    }
    await expect(addTagToIntegration(env.ctx, { integration: DEMO.integrations.shopify, tag: 'x', remove: true })).rejects.toThrow(/either/);
    expect((await env.api.integrations.get(await integrationId(DEMO.integrations.shopify))).tag).toBe('critical');

    const r = await addTagToIntegration(env.ctx, { integration: DEMO.integrations.shopify, remove: true });
    expect(r).toMatchObject({ tag: null, previousTag: 'critical', changed: true });
    expect(r.summary).toBe(`Removed tag "critical" from "${DEMO.integrations.shopify}".`);
    expect(await env.api.integrations.get(r.integrationId)).not.toHaveProperty('tag');
    const none = await addTagToIntegration(env.ctx, { integration: DEMO.integrations.shopify, remove: true });
    expect(none).toMatchObject({ changed: false, previousTag: null });
  });

  it('backs up the integration object alone, and restore_backup brings the old tag back', async () => {
    const id = await integrationId(DEMO.integrations.salesforce);
    const before = await snapshot(env.api, 'integrations', id);
    const r = await addTagToIntegration(env.ctx, { integration: id, tag: 'crm' });
    const rec = await loadBackup(env.ctx, r.backupId!);
    expect(rec.items.map((i) => [i.type, i.id])).toEqual([['integration', id]]);
    expect((rec.items[0].data as { tag?: string }).tag).toBe('critical');

    const diff = await diffBackup(env.ctx, r.backupId!);
    expect(diff.items[0]).toMatchObject({ status: 'changed', changedByOthers: false, changes: [{ path: 'tag', before: 'critical', after: 'crm' }] });
    const restored = await restoreBackup(env.ctx, { id: r.backupId! });
    expect(restored.verified).toBe(true);
    expect(restored.restored).toEqual([{ type: 'integration', id, name: DEMO.integrations.salesforce }]);
    expect((await env.api.integrations.get(id)).tag).toBe('critical');
    expect(await snapshot(env.api, 'integrations', id)).toEqual(before);
    // The restore's own backup is the integration alone too: undoing the restore touches nothing else.
    expect((await loadBackup(env.ctx, restored.preRestoreBackupId!)).items.map((i) => i.type)).toEqual(['integration']);
  });

  it('restoring the backup of a first tag removes the tag the integration did not have', async () => {
    const id = await integrationId(DEMO.integrations.zendesk);
    const r = await addTagToIntegration(env.ctx, { integration: id, tag: 'support' });
    expect(r.previousTag).toBeNull();
    const restored = await restoreBackup(env.ctx, { id: r.backupId! });
    expect(restored.verified).toBe(true);
    expect(await env.api.integrations.get(id)).not.toHaveProperty('tag');
  });

  it('restore puts the tag back with a JSON Patch when a full PUT does not carry it', async () => {
    const id = await integrationId(DEMO.integrations.s3);
    const r = await addTagToIntegration(env.ctx, { integration: id, tag: 'archive' });
    // As if the PUT did not carry `tag` (Celigo's web app only ever PATCHes it): the PUT body loses it on the way.
    const api = new CeligoClient({
      baseUrl: env.emu.baseUrl, token: DEMO_TOKEN, backoffMs: 1, sleep: async () => {},
      fetch: (url, init) => {
        const body = init.method === 'PUT' && init.body ? JSON.stringify({ ...JSON.parse(init.body), tag: undefined }) : init.body;
        return globalThis.fetch(url, { ...init, body });
      },
    });
    env.emu.clearRequestLog();
    const restored = await restoreBackup({ ...env.ctx, api }, { id: r.backupId! });
    expect(restored.verified).toBe(true);
    expect((await env.api.integrations.get(id)).tag).toBe('nightly');
    expect(patches().map((l) => l.method)).toEqual(['PUT', 'PATCH']);
  });

  it('lists, filters and shows integrations by their one tag', async () => {
    const rows = await listIntegrations(env.ctx, { errors: false });
    expect(Object.fromEntries(rows.map((r) => [r.name, r.tag]))).toEqual({
      [DEMO.integrations.shopify]: 'critical',
      [DEMO.integrations.salesforce]: 'critical',
      [DEMO.integrations.ftp]: 'nightly',
      [DEMO.integrations.zendesk]: undefined,
      [DEMO.integrations.s3]: 'nightly',
      [DEMO.integrations.stripe]: 'finance',
      [DEMO.integrations.hubspot]: undefined,
    });
    expect((await listIntegrations(env.ctx, { tag: 'CRITICAL', errors: false })).map((r) => r.name).sort()).toEqual([DEMO.integrations.salesforce, DEMO.integrations.shopify].sort());
    // An error tag is not an integration tag.
    await expect(listIntegrations(env.ctx, { tag: 'investigating', errors: false })).rejects.toThrow('No integration has tag "investigating". Integration tags in use: critical, finance, nightly.');
    expect((await getIntegration(env.ctx, DEMO.integrations.ftp)).integration.tag).toBe('nightly');
  });

  it('the tags report: integration tags in use with counts, and the error tags of /tags apart', async () => {
    expect(await listTags(env.ctx)).toEqual({
      integrationTags: [{ tag: 'critical', integrations: 2 }, { tag: 'nightly', integrations: 2 }, { tag: 'finance', integrations: 1 }],
      totalIntegrations: 7,
      untaggedIntegrations: 2,
      errorTags: DEMO.errorTags.map((tag) => ({ id: expect.stringMatching(/^[0-9a-f]{24}$/), tag, tagId: expect.any(String) })),
    });
    await addTagToIntegration(env.ctx, { integration: DEMO.integrations.stripe, tag: 'nightly' });
    const after = await listTags(env.ctx);
    expect(after.integrationTags).toEqual([{ tag: 'nightly', integrations: 3 }, { tag: 'critical', integrations: 2 }]);
  });
});
