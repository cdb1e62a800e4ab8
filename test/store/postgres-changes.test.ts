// Reading the change log from the team store (issue 18) against a real PostgreSQL: a change made as one
// person through replica A is listed through replica B's list_changes with that person's subject and
// display name, and every filter runs in SQL with the file store's meaning. Migration 2 gives rows
// written before it their actor's display name.
import { afterEach, beforeEach, expect, it } from 'vitest';
import pg from 'pg';
import { runAs, type Actor } from '../../src/app/actor.js';
import { changeOf } from '../../src/ops/backups/change-log.js';
import { backup } from '../../src/ops/backups/take.js';
import { updateMapping } from '../../src/ops/mapping/update.js';
import { catalogue } from '../../src/operations/catalogue.js';
import { newestChanges } from '../../src/store/changes.js';
import { migrate, MIGRATIONS } from '../../src/store/migrations.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import type { ChangeFilter } from '../../src/store/types.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';
import { connectInMemory, textOf } from '../helpers/mcp.js';
import { describeWithPostgres, twoReplicaStores } from '../helpers/postgres.js';

const FLOW = 'Shopify Orders to NetSuite Sales Orders';
const ALICE: Actor = { subject: 'oauth|alice-42', issuer: 'https://id.example.com', name: 'Alice', scopes: ['celigo'], via: 'oauth' };
const BOB: Actor = { subject: 'oauth|bob-7', scopes: ['celigo'], via: 'oauth' };

describeWithPostgres('PostgreSQL store: reading the change log', (cluster) => {
  let env: Env;
  /** A fresh database per test, and two store instances on it: replica A and replica B. */
  const database = twoReplicaStores(cluster, 'c');

  beforeEach(async () => {
    env = await demoEnv();
  });
  afterEach(async () => {
    await env.close();
  });

  it('a change made as Alice through replica A is listed through replica B with her subject and name, filterable by by', async () => {
    const { a, b } = await database();
    const made = await runAs(ALICE, () => updateMapping({ ...env.ctx, store: a, operation: 'update_mapping' }, { flow: FLOW, changes: [{ op: 'add', generate: 'memo', hardCodedValue: 'web' }] }));
    env.clock.advance(60_000);
    const flow = (await env.api.flows.list()).find((f) => f.name === FLOW)!;
    await runAs(BOB, () => backup({ ...env.ctx, store: a, operation: 'flows update' }, [{ type: 'flow', id: flow._id }], 'by bob'));

    const conn = await connectInMemory({ era: 'modern', server: { api: env.api, tools: catalogue(), home: env.home, store: b, now: () => new Date(env.clock.now()) } });
    try {
      const list = async (args: Record<string, unknown>) => {
        const r = await conn.client.callTool({ name: 'list_changes', arguments: args });
        expect(r.isError, textOf(r)).toBeFalsy();
        return r.structuredContent as { total: number; rows: { by: string; byName?: string; operation?: string; backupId: string; targets: string[] }[] };
      };
      const all = await list({});
      expect(all.total).toBe(2);
      expect(all.rows[1]).toMatchObject({ by: 'oauth|alice-42', byName: 'Alice', operation: 'update_mapping', backupId: made.backupId });
      expect(all.rows[1].targets).toEqual([expect.stringMatching(/^import ".+" \([0-9a-f]{24}\) [0-9a-f]{8}→[0-9a-f]{8}$/)]);
      expect(all.rows[0]).toMatchObject({ by: 'oauth|bob-7', operation: 'flows update' });
      expect(all.rows[0].byName).toBeUndefined();

      const alice = await list({ by: 'oauth|alice-42' });
      expect(alice.rows.map((r) => r.backupId)).toEqual([made.backupId]);
      expect((await list({ by: 'oauth|alice' })).total).toBe(0);
      expect((await list({ operation: 'update_flow' })).rows.map((r) => r.by)).toEqual(['oauth|bob-7']);
      expect((await list({ target: FLOW.toUpperCase() })).rows.map((r) => r.by)).toEqual(['oauth|bob-7']);
      const blank = await conn.client.callTool({ name: 'list_changes', arguments: { by: ' ' } });
      expect(blank.isError).toBe(true);
      expect(textOf(blank)).toContain('by needs the subject');
    } finally {
      await conn.close();
    }
  });

  it('every filter means in SQL what it means for the file store', async () => {
    const { a } = await database();
    const flows = (await env.api.flows.list()).slice(0, 3);
    const ids: string[] = [];
    for (const [i, f] of flows.entries()) {
      const actor = i === 1 ? ALICE : BOB;
      const rec = await runAs(actor, () => backup({ ...env.ctx, store: a, operation: i === 2 ? 'update_flow' : 'flows update' }, [{ type: 'flow', id: f._id }], `change ${i}`));
      ids.push(rec.id);
      env.clock.advance(3_600_000);
    }
    const rows = await a.listChanges({ limit: 100 });
    expect(rows.map((r) => r.backupId)).toEqual([...ids].reverse());
    const at = (i: number) => rows.find((r) => r.backupId === ids[i])!.at;
    const name = flows[0].name!;
    const filters: ChangeFilter[] = [
      { subject: ALICE.subject },
      { tools: ['update_flow'] },
      { tools: ['flows update', 'update_flow'] },
      { tools: [] },
      { target: flows[2]._id },
      { target: name.toLowerCase() },
      { target: name.replace(/[a-z]/, (c) => c.toUpperCase()) },
      { target: 'nothing called this' },
      { since: at(1) },
      { until: at(1) },
      { since: at(0), until: at(2) },
      { subject: BOB.subject, tools: ['flows update'], limit: 1 },
    ];
    for (const f of filters) {
      const got = (await a.listChanges(f)).map((r) => r.backupId);
      expect(got, JSON.stringify(f)).toEqual(newestChanges(rows, f).map((r) => r.backupId));
    }
    expect((await a.listChanges({ subject: BOB.subject, tools: ['flows update'] })).map((r) => r.backupId)).toEqual([ids[0]]);
    expect((await a.listChanges({ since: at(0), until: at(2) })).map((r) => r.backupId)).toEqual([ids[1], ids[0]]);
    expect((await a.listChanges({ target: name.toUpperCase() })).map((r) => r.backupId)).toEqual([ids[0]]);
  });

  it('migration 2 gives rows written before it the display name their backup holds', async () => {
    const { url } = await database();
    const direct = new pg.Client({ connectionString: url });
    await direct.connect();
    try {
      const client = direct as unknown as Parameters<typeof migrate>[0];
      expect(await migrate(client, MIGRATIONS.slice(0, 1))).toEqual([1]);
      const flow = (await env.api.flows.list())[0];
      // A backup as version 1 wrote it: the record names Alice, the change row has no name column yet.
      const tmp = await openPostgresStore({ url });
      database.track(tmp);
      const rec = await runAs(ALICE, () => backup({ ...env.ctx, home: env.home }, [{ type: 'flow', id: flow._id }], 'old change'));
      const row = changeOf(rec);
      await direct.query('INSERT INTO celigo_manage_backups (id, created_at, base_url, applied, record) VALUES ($1, $2, $3, $4, $5::json)', [rec.id, rec.createdAt, rec.baseUrl, false, JSON.stringify(rec)]);
      await direct.query(
        'INSERT INTO celigo_manage_changes (backup_id, at, subject, via, operation, base_url, applied, before, after, created, deleted) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10::jsonb, $11::jsonb)',
        [row.backupId, row.at, row.subject, row.via, row.operation, row.baseUrl, row.applied, JSON.stringify(row.before), JSON.stringify(row.after), JSON.stringify(row.created), JSON.stringify(row.deleted)],
      );
      expect(await tmp.migrate()).toEqual(MIGRATIONS.slice(1).map((m) => m.version));
      expect((await tmp.listChanges())[0]).toMatchObject({ backupId: rec.id, subject: ALICE.subject, name: 'Alice' });
    } finally {
      await direct.end();
    }
  });
});
