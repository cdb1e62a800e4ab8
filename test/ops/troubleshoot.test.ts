import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/seed/demo.js';
import { updateMapping } from '../../src/ops/mapping/update.js';
import { retryFailedJobs } from '../../src/ops/retry.js';
import { troubleshoot } from '../../src/ops/troubleshoot.js';
import { UsageError } from '../../src/core/errors.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';

describe('troubleshoot on the demo account', () => {
  let env: Env;
  beforeEach(async () => {
    env = await demoEnv();
  });
  afterEach(() => env.close());

  it('finds the mapping edit made just before a flow began failing, and what it did', async () => {
    const r = await troubleshoot(env.ctx, { flow: DEMO.mappingEditedFlow });
    expect(r.errorGroups).toHaveLength(1);
    const g = r.errorGroups[0];
    expect(g.pattern).toBe('REQUIRED_FIELD_MISSING: Required fields are missing: [LastName]');
    expect(g.cause).toBe('mapping');
    expect(g.count).toBe(r.totalErrors);
    expect(r.likelyCause?.cause).toBe('mapping');
    expect(r.suspectChange).toMatchObject({ resourceType: 'import', source: 'audit', minutesBeforeFirstError: 7 });
    expect(r.suspectChange?.mappingEffect?.removed).toEqual([{ generate: 'LastName', was: 'last_name' }]);
    expect(r.suspectChange?.mappingEffect?.changed).toEqual([{ generate: 'FirstName', was: 'first_name', now: 'name' }]);
    expect(g.changedBefore?.resourceId).toBe(r.suspectChange?.resourceId);
    expect(r.summary).toContain('removed LastName');
    expect(r.next.find((s) => s.op === 'update_mapping')?.args?.changes).toContainEqual({ op: 'add', generate: 'LastName', extract: 'last_name' });
    expect(r.recentJobs?.length).toBeGreaterThan(0);
  });

  it('names who edited the mapping, from an audit entry that is only on the second page of the log', async () => {
    env.emu.clearRequestLog();
    const r = await troubleshoot(env.ctx, { flow: DEMO.mappingEditedFlow });
    // Audit entries carry event and byUser {name, email} (celigo-api.md W4).
    expect(r.suspectChange).toMatchObject({ action: 'update', by: 'Priya Natarajan <priya.natarajan@acme.example>' });
    expect(r.summary).toContain('by Priya Natarajan');
    const auditPages = env.emu.requestLog().filter((e) => e.path.startsWith('/v1/audit'));
    expect(auditPages.length).toBeGreaterThan(1);
    // The first page alone (what a reader of page 1 would see) does not hold the edit.
    const page1 = await env.api.audit({ from: new Date(env.clock.now() - 8 * 86_400_000).toISOString() }, { limit: 100 });
    expect(page1.some((e) => e.fieldChanges?.some((f) => f.fieldPath === 'mapping.fields'))).toBe(false);
  });

  it('blames the expired Salesforce credentials for the failing integration, with a failed connection test', async () => {
    const r = await troubleshoot(env.ctx, { integration: DEMO.failingIntegration });
    expect(r.likelyCause?.cause).toBe('auth');
    const causes = new Set(r.errorGroups.map((g) => g.cause));
    expect(causes).toEqual(new Set(['auth', 'validation']));
    expect(r.errorGroups.find((g) => g.cause === 'validation')?.pattern).toBe('INVALID_KEY_OR_REF: Invalid customer reference key <n>.');
    const bad = r.steps.filter((s) => s.connection && !s.connection.ok).map((s) => s.connection!.name);
    expect(new Set(bad)).toEqual(new Set(['Salesforce - Integration User']));
    expect(r.steps.find((s) => s.connection?.name === 'Salesforce - Integration User')?.connection?.code).toBe(401);
    expect(r.next[0]).toMatchObject({ op: 'test_connection', why: 'after fixing connection Salesforce - Integration User (credentials or online state; in integrator.io: Resources → Connections → "Salesforce - Integration User" → Edit)' });
    expect(r.likelyCause?.fix).toContain('Re-authorise or update the credentials of connection "Salesforce - Integration User" (in integrator.io: Resources → Connections → "Salesforce - Integration User" → Edit; an OAuth connection: Save & authorize)');
  });

  it('separates transient from other errors in the degraded integration', async () => {
    const r = await troubleshoot(env.ctx, { integration: DEMO.degradedIntegration });
    const byCode = Object.fromEntries(r.errorGroups.map((g) => [g.code, g]));
    expect(byCode['503'].cause).toBe('remote_server');
    expect(byCode['503'].retry).toBe('now');
    expect(byCode['429'].cause).toBe('rate_limit');
    expect(byCode.REQUIRED_FIELD_MISSING.cause).toBe('mapping');
    expect(r.steps.every((s) => s.connection?.ok !== false)).toBe(true);
  });

  it('troubleshoots one failed job', async () => {
    const failed = (await env.api.jobs.list({ type: 'flow', status: 'failed', createdAt_gte: new Date(env.clock.now() - 86_400_000).toISOString() }))[0];
    const r = await troubleshoot(env.ctx, { job: failed._id });
    expect(r.target.type).toBe('job');
    expect(r.job).toMatchObject({ jobId: failed._id, status: 'failed' });
    expect(r.errorGroups[0].jobIds).toEqual([failed._id]);
    expect(r.likelyCause?.cause).toBe('auth');
  });

  it('wants exactly one target', async () => {
    await expect(troubleshoot(env.ctx, {})).rejects.toBeInstanceOf(UsageError);
    await expect(troubleshoot(env.ctx, { flow: 'a', integration: 'b' })).rejects.toBeInstanceOf(UsageError);
    await expect(troubleshoot(env.ctx, { flow: 'a', target: 'b' })).rejects.toBeInstanceOf(UsageError);
  });

  it('looks a target up as a job, else a flow, else an integration', async () => {
    const failed = (await env.api.jobs.list({ type: 'flow', status: 'failed', createdAt_gte: new Date(env.clock.now() - 86_400_000).toISOString() }))[0];
    expect((await troubleshoot(env.ctx, { target: failed._id })).target).toMatchObject({ type: 'job', id: failed._id });
    expect((await troubleshoot(env.ctx, { target: DEMO.mappingEditedFlow })).target).toMatchObject({ type: 'flow', name: DEMO.mappingEditedFlow });
    expect((await troubleshoot(env.ctx, { target: DEMO.failingIntegration })).target).toMatchObject({ type: 'integration', name: DEMO.failingIntegration });
    await expect(troubleshoot(env.ctx, { target: 'no such thing anywhere' })).rejects.toThrow(/^No job, flow or integration "no such thing anywhere"/);
  });

  it('end to end: the suggested mapping fix, then a retry, clears every error of the flow', async () => {
    const r = await troubleshoot(env.ctx, { flow: DEMO.mappingEditedFlow });
    const args = r.next.find((s) => s.op === 'update_mapping')!.args as { flow: string; import: string; changes: Parameters<typeof updateMapping>[1]['changes'] };
    const sample = { email: 'ava@example.com', name: 'Ava', first_name: 'Ava', last_name: 'Garcia', phone: '+1-555-0100', organization: { name: 'Acme' } };
    const fixed = await updateMapping(env.ctx, { ...args, sample, dryRun: false });
    expect(fixed.verified).toBe(true);
    expect(fixed.warnings).toEqual([]);
    expect(fixed.preview?.output).toMatchObject({ LastName: 'Garcia', FirstName: 'Ava', Email: 'ava@example.com' });
    const retry = await retryFailedJobs(env.ctx, { flow: DEMO.mappingEditedFlow, wait: true });
    expect(retry.retried).toBe(r.totalErrors);
    expect(retry.errorsResolvedAfter).toBe(r.totalErrors);
    expect(retry.stillOpenAfter).toBe(0);
    const after = await troubleshoot(env.ctx, { flow: DEMO.mappingEditedFlow });
    expect(after.totalErrors).toBe(0);
  });
});
