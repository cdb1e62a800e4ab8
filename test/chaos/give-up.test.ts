// Chaos, part 3: when faults persist, an operation gives up after a bounded number of attempts and says
// what was and was not done (counts, ids to follow up); it never repeats work it cannot prove undone.
import { describe, expect, it } from 'vitest';
import { CeligoClient } from '../../src/core/client.js';
import { describeError } from '../../src/core/errors.js';
import { DEMO_TOKEN } from '../../src/emulator/index.js';
import { DEMO } from '../../src/emulator/seed/demo.js';
import { backup } from '../../src/ops/backups/take.js';
import { restoreBackup } from '../../src/ops/backups/restore.js';
import { createConnection, createIntegration, updateFlow } from '../../src/ops/changes.js';
import { clearErrors } from '../../src/ops/clear.js';
import { updateMapping } from '../../src/ops/mapping/update.js';
import { retryErrors, retryFailedJobs, type RetryReport } from '../../src/ops/retry.js';
import { runFlow } from '../../src/ops/run.js';
import { setupIntegration, type SetupSpec } from '../../src/ops/setup.js';
import { troubleshoot } from '../../src/ops/troubleshoot.js';
import { catalogue } from '../../src/operations/catalogue.js';
import { chaosEnv, errorsNow, expectNoDoubleRetry, expectNoErrorLost, snapshot, START, type ChaosEnv, type EnvOptions } from '../helpers/chaos.js';

const COMMENTS = 'Salesforce Case Comments to Zendesk';
const TICKETS = 'Zendesk Tickets to Salesforce Cases';

/** A fresh demo emulator, closed when the (concurrent) test ends. */
async function env(onTestFinished: (fn: () => Promise<void>) => void, opts?: EnvOptions): Promise<ChaosEnv> {
  const e = await chaosEnv(opts);
  onTestFinished(() => e.close());
  return e;
}
const flowId = async (e: ChaosEnv, name: string) => (await e.admin.flows.list()).find((f) => f.name === name)!._id;
const newJobs = (e: ChaosEnv, type: string, flow?: string) => e.emu.store.jobs.all.filter((j) => j.createdAt >= START && j.type === type && (!flow || j._flowId === flow));
const realSleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The outcome checks of the harness, for a single environment. */
function invariants(e: ChaosEnv, before: ReturnType<typeof errorsNow>, after: Awaited<ReturnType<typeof snapshot>>) {
  const o = { env: e, before, after, faulted: 1, requests: 1 };
  expectNoDoubleRetry(o);
  expectNoErrorLost(o);
}

describe.concurrent('chaos: giving up says what was and was not done', () => {
  it('bulk retry: a step whose retry POST always fails is posted a bounded number of times, reported with its error ids, and left open', async ({ onTestFinished }) => {
    const e = await env(onTestFinished);
    const comments = await flowId(e, COMMENTS);
    const before = errorsNow(e);
    const stuck = before.open.filter((x) => x.flowId === comments);
    e.emu.setFaults({ match: `^POST /v1/flows/${comments}/[^/]+/retry$`, errorRate: 1, statuses: [503], seed: 3 });
    const tool = catalogue().find((t) => t.name === 'retry_failed_jobs')!;
    const r = await tool.handler({ integration: DEMO.degradedIntegration, wait: true }, e.ctx);
    const s = r.structured as unknown as RetryReport;

    expect(s.failed).toBe(stuck.length);
    expect(s.retried).toBeGreaterThan(0);
    expect(s.retried + s.failed + s.skipped).toBe(s.matched);
    expect(s.notRetried).toEqual([
      expect.objectContaining({ flowId: comments, flowName: COMMENTS, stepId: stuck[0].stepId, errorIds: expect.arrayContaining(stuck.map((x) => x.errorId)), reason: expect.stringMatching(/failed 12 times without taking effect/) }),
    ]);
    expect(s.notRetried![0].errorIds).toHaveLength(stuck.length);
    expect(r.text.split('\n')[0]).toBe(
      `Retried ${s.retried} of ${s.matched} errors in ${s.jobs.length} retry jobs (integration ${DEMO.degradedIntegration}); ` +
        `${stuck.length} NOT retried (still open) in 1 step: ${COMMENTS} step ${stuck[0].stepId}; their errorIds are in notRetried; ` +
        `${s.errorsResolvedAfter} resolved, ${s.stillOpenAfter} failed again.`,
    );
    expect(r.text).toContain(`Failures:\n- ${COMMENTS} step ${stuck[0].stepId}: ${stuck.length} errors NOT retried and still open`);
    // Some errors were not retried: partial, an error result, with the retry of those errors as the next step.
    expect(r.isError).toBe(true);
    expect(s.outcome).toBe('partial');
    expect(r.text).toContain(`Next:\n- retry_errors {"flow":"${comments}","step":"${stuck[0].stepId}","errorIds":[`);

    // Bounded: 6 attempts, then 6 more in the final sweep; no retry job for that flow; its errors all open.
    expect(e.retryPosts.filter((p) => p.flowId === comments).map((p) => p.status)).toEqual(Array(12).fill(503));
    expect(newJobs(e, 'retry', comments)).toEqual([]);
    const after = await snapshot(e);
    const openAfter = new Set(after.open.map((x) => x.errorId));
    expect(stuck.every((x) => openAfter.has(x.errorId))).toBe(true);
    invariants(e, before, after);
  });

  it('run: a run POST that always fails is never posted more than 8 times, and the error says nothing started', async ({ onTestFinished }) => {
    const e = await env(onTestFinished);
    const tickets = await flowId(e, TICKETS);
    e.emu.setFaults({ match: '^POST /v1/flows/[^/]+/run$', errorRate: 1, statuses: [502], seed: 4 });
    const err = await runFlow(e.ctx, { flow: TICKETS, wait: true }).then(() => undefined, (x: unknown) => x);
    expect(describeError(err)).toMatch(
      new RegExp(`^Flow "${TICKETS}" was NOT started: the run request failed 8 times and no job was created .*Nothing was started or changed\\. Try the run again in a few minutes`),
    );
    expect(e.emu.requestLog().filter((l) => l.method === 'POST' && l.path.endsWith('/run'))).toHaveLength(8);
    expect(newJobs(e, 'flow', tickets)).toEqual([]);
  });

  it('run: a run POST that times out (it may still land) is not posted again; the late run is the only one', async ({ onTestFinished }) => {
    const e = await env(onTestFinished, { client: { writeTimeoutMs: 300 } });
    const tickets = await flowId(e, TICKETS);
    e.emu.setFaults({ match: '^POST /v1/flows/[^/]+/run$', latencyMs: 1200 });
    const err = await runFlow(e.ctx, { flow: TICKETS, wait: true }).then(() => undefined, (x: unknown) => x);
    expect(describeError(err)).toContain(`The request to run flow "${TICKETS}" timed out and no new job has appeared yet`);
    expect(describeError(err)).toContain('it was not posted again, so it cannot run twice');
    expect(e.emu.requestLog().filter((l) => l.method === 'POST' && l.path.endsWith('/run'))).toHaveLength(1);
    await realSleep(1300);
    expect(newJobs(e, 'flow', tickets)).toHaveLength(1);
  });

  it('retry: a retry POST that times out is reported unconfirmed, not posted again; the late retry is the only one', async ({ onTestFinished }) => {
    const e = await env(onTestFinished, { client: { writeTimeoutMs: 300 } });
    const comments = await flowId(e, COMMENTS);
    const before = errorsNow(e);
    const n = before.open.filter((x) => x.flowId === comments).length;
    e.emu.setFaults({ match: '^POST /v1/flows/[^/]+/[^/]+/retry$', latencyMs: 1200 });
    const r = await retryErrors(e.ctx, { flow: COMMENTS, all: true });
    expect(r).toMatchObject({ matched: n, retried: 0, failed: 0, unconfirmed: n });
    expect(r.summary).toContain(`${n} unconfirmed (the request may or may not have started a retry; see failures)`);
    expect(r.failures[0]).toContain('Not posted again, so nothing is retried twice; check the flow\'s retry jobs before retrying them.');
    expect(r.outcome).toBe('failed');
    expect(r.next).toEqual([{ op: 'list_jobs', args: { flow: comments, type: 'retry' }, why: 'see whether the unconfirmed retries started before retrying them' }]);
    expect(e.retryPosts).toHaveLength(1);
    await realSleep(1300);
    expect(newJobs(e, 'retry', comments)).toHaveLength(1);
    invariants(e, before, await snapshot(e));
  });

  it('setup: a step that keeps failing stops the setup, which says what exists and resumes to the same end as a clean setup', async ({ onTestFinished }) => {
    const spec: SetupSpec = {
      name: 'Resumable Setup',
      recordType: 'customer',
      source: { type: 'http', name: 'Resumable API', config: { http: { baseURI: 'https://r.example.com' } }, relativeURI: '/customers' },
      destination: { connection: 'NetSuite Production' },
      mappings: [{ generate: 'companyName', extract: 'name' }],
    };
    const clean = await env(onTestFinished);
    expect((await setupIntegration(clean.ctx, spec)).status).toBe('done');

    const e = await env(onTestFinished);
    e.emu.setFaults({ match: '^POST /v1/imports$', errorRate: 1, statuses: [500], seed: 5 });
    const failed = await setupIntegration(e.ctx, spec);
    expect(failed.status).toBe('failed');
    expect(failed.failedStep).toBe('import');
    expect(failed.summary).toMatch(/^Setup stopped at the import step: import "Put customer into NetSuite Production" was NOT created: the request failed 8 times without taking effect/);
    expect(failed.summary).toContain(`Created so far: source connection ${failed.resume.sourceConnectionId}, integration ${failed.resume.integrationId}, export ${failed.resume.exportId}.`);
    expect(failed.resume).toMatchObject({ backupId: failed.backupId, sourceConnectionId: expect.any(String), integrationId: expect.any(String), exportId: expect.any(String) });
    expect(failed.resume.importId).toBeUndefined();
    expect(failed.next[0]).toEqual({ op: 'setup_integration', args: { resume: failed.resume }, why: 'after fixing the import problem, with the same spec plus this resume' });
    expect(failed.next[1]).toEqual({ op: 'restore_backup', args: { id: failed.backupId }, why: 'or remove what was created' });

    e.emu.setFaults({});
    const resumed = await setupIntegration(e.ctx, { ...spec, resume: failed.resume });
    expect(resumed.status).toBe('done');
    expect((await snapshot(e)).state).toEqual((await snapshot(clean)).state);
  });

  it('clear: a step whose resolve keeps failing is counted, named and left open; the rest are resolved', async ({ onTestFinished }) => {
    const e = await env(onTestFinished);
    const tickets = await flowId(e, TICKETS);
    const before = errorsNow(e);
    const stuck = before.open.filter((x) => x.flowId === tickets);
    e.emu.setFaults({ match: `^PUT /v1/flows/${tickets}/[^/]+/resolved$`, errorRate: 1, statuses: [503], seed: 6 });
    const r = await clearErrors(e.ctx, { integration: DEMO.degradedIntegration });
    expect(r.failed).toBe(stuck.length);
    expect(r.cleared).toBe(r.matched - stuck.length);
    expect(r.summary).toBe(
      `Resolved ${r.cleared} of ${r.matched} errors in 3 flows (integration ${DEMO.degradedIntegration}); ${stuck.length} NOT resolved (still open) in 1 step: ` +
        `${TICKETS} step ${stuck[0].stepId}. Clearing the same scope again finishes (it only touches what is left); notCleared has their errorIds.`,
    );
    expect(r.outcome).toBe('partial');
    expect(r.next).toEqual([{ op: 'clear_errors', args: { integration: DEMO.degradedIntegration }, why: 'finish: it only touches what is left' }]);
    expect(r.notCleared).toEqual([expect.objectContaining({ flowId: tickets, stepId: stuck[0].stepId, errorIds: expect.arrayContaining(stuck.map((x) => x.errorId)) })]);
    const after = await snapshot(e);
    expect(after.open.filter((x) => x.flowId === tickets)).toHaveLength(stuck.length);
    invariants(e, before, after);
  });

  it('restore: an object that cannot be written is named, the others are restored, and running it again finishes', async ({ onTestFinished }) => {
    const e = await env(onTestFinished);
    const integ = (await e.admin.integrations.list()).find((i) => i.name === DEMO.integrations.stripe)!;
    const before = await snapshot(e);
    const bk = await backup(e.ctx, [{ type: 'integration', id: integ._id }], 'before two edits');
    await updateFlow(e.ctx, { flow: 'Stripe Payouts to NetSuite Deposits', name: 'Payouts (edited)' });
    await updateFlow(e.ctx, { flow: 'Stripe Charges to NetSuite Customer Payments', enabled: false });
    const charges = await flowId(e, 'Stripe Charges to NetSuite Customer Payments');
    e.emu.setFaults({ match: `^PUT /v1/flows/${charges}$`, errorRate: 1, statuses: [502], seed: 7 });
    // The two edits came after the backup, each with its own: restoring the older backup over them takes force.
    const r = await restoreBackup(e.ctx, { id: bk.id, force: true });
    expect(r.restored.map((x) => x.name)).toEqual(['Stripe Payouts to NetSuite Deposits']);
    expect(r.summary).toMatch(new RegExp(`^Restored 1 of 2 objects from backup ${bk.id} \\(NOT restored: flow Stripe Charges to NetSuite Customer Payments; restore backup ${bk.id} again to finish`));
    expect(r.outcome).toBe('partial');
    expect(r.next[0]).toEqual({ op: 'restore_backup', args: { id: bk.id }, why: 'finish: it only writes what still differs' });
    expect(r.problems[0]).toMatch(/^flow Stripe Charges to NetSuite Customer Payments \(\w+\) was NOT restored: /);
    e.emu.setFaults({});
    const again = await restoreBackup(e.ctx, { id: bk.id, force: true });
    expect(again.restored.map((x) => x.name)).toEqual(['Stripe Charges to NetSuite Customer Payments']);
    expect(again.problems).toEqual([]);
    expect((await snapshot(e)).state.flows).toEqual(before.state.flows);
  });

  it('update_mapping and create_integration: a write that keeps failing changes nothing and says so', async ({ onTestFinished }) => {
    const e = await env(onTestFinished);
    const importBefore = (await e.admin.imports.list()).find((i) => i.name === 'Upsert Salesforce contacts from Zendesk users')!;
    e.emu.setFaults({ match: '^(PUT /v1/imports/|POST /v1/integrations$)', errorRate: 1, statuses: [503], seed: 8 });
    const m = await updateMapping(e.ctx, { flow: DEMO.mappingEditedFlow, changes: [{ op: 'add', generate: 'LastName', extract: 'last_name' }] }).then(() => undefined, (x: unknown) => x);
    expect(describeError(m)).toMatch(/^The mapping of import Upsert Salesforce contacts from Zendesk users was NOT changed: writing it failed .*Nothing was written; backup bk-[\w-]+ holds the import as it is\. Try again in a few minutes\.$/);
    const c = await createIntegration(e.ctx, { name: 'Never Made' }).then(() => undefined, (x: unknown) => x);
    expect(describeError(c)).toMatch(/^integration "Never Made" was NOT created: the request failed 8 times without taking effect .*Nothing was created\./);
    e.emu.setFaults({});
    expect(await e.admin.imports.get(importBefore._id)).toEqual(importBefore);
    expect((await e.admin.integrations.list()).some((i) => i.name === 'Never Made')).toBe(false);
    expect(e.emu.requestLog().filter((l) => l.method === 'POST' && l.path === '/v1/integrations')).toHaveLength(8);
  });
});

describe.concurrent('chaos: a write refused as it is', () => {
  it('update_flow and update_mapping: a 4xx says to change the request, not to wait; a blank name is refused before any request', async ({ onTestFinished }) => {
    const e = await env(onTestFinished);
    const flow = 'Stripe Payouts to NetSuite Deposits';
    e.emu.clearRequestLog();
    for (const name of ['', '   ', '\t']) {
      await expect(updateFlow(e.ctx, { flow, name })).rejects.toThrow(/^`name` is empty: give the flow's new name, or leave name out to keep it\.$/);
    }
    await expect(createConnection(e.ctx, { name: '  ', type: 'http' })).rejects.toThrow(/^Give the new connection a name\.$/);
    expect(e.emu.requestLog()).toEqual([]);
    e.emu.setFaults({ next: [{ status: 422, when: 'before', match: 'PUT /v1/flows/' }] });
    const f = await updateFlow(e.ctx, { flow, name: 'Payouts' }).then(() => undefined, (x: unknown) => x);
    expect(describeError(f)).toMatch(/^Flow "Stripe Payouts to NetSuite Deposits" was NOT changed: .*integrator\.io refused the request as it is: change what it names, then try again\.$/);
    e.emu.setFaults({ next: [{ status: 403, when: 'before', match: 'PUT /v1/imports/' }] });
    const m = await updateMapping(e.ctx, { flow: DEMO.mappingEditedFlow, changes: [{ op: 'add', generate: 'LastName', extract: 'last_name' }] }).then(() => undefined, (x: unknown) => x);
    expect(describeError(m)).toMatch(/refused the request as it is: change what it names, then try again\.$/);
    // Trimmed, as a new integration's name is.
    expect((await updateFlow(e.ctx, { flow, name: '  Payouts  ' })).flow).toBe('Payouts');
  });
});

describe.concurrent('chaos: retries survive what used to make them give up', () => {
  it('a retry POST answered 5xx before processing three times in a row is checked each time and then posted again (once accepted)', async ({ onTestFinished }) => {
    const e = await env(onTestFinished);
    const comments = await flowId(e, COMMENTS);
    const before = errorsNow(e);
    const n = before.open.filter((x) => x.flowId === comments).length;
    const fail = { status: 503, match: '^POST /v1/flows/[^/]+/[^/]+/retry$' };
    e.emu.setFaults({ next: [fail, { ...fail, status: 500 }, { ...fail, reset: true }] });
    const r = await retryErrors(e.ctx, { flow: COMMENTS, all: true, wait: true });
    expect(r).toMatchObject({ matched: n, retried: n, failed: 0, unconfirmed: 0, errorsResolvedAfter: n });
    expect(e.retryPosts.map((p) => p.status)).toEqual([503, 500, 0, 200]);
    expect(newJobs(e, 'retry', comments)).toHaveLength(1);
    invariants(e, before, await snapshot(e));
  });

  it('a 429 that outlasts the client\'s own rate-limit retries is not a failure: the run and the retry are posted again, once each', async ({ onTestFinished }) => {
    const e = await env(onTestFinished, { client: { maxRateLimitRetries: 0 } });
    const tickets = await flowId(e, TICKETS);
    const before = errorsNow(e);
    const n = before.open.filter((x) => x.flowId === tickets).length;
    const limited = (match: string) => ({ status: 429, retryAfter: 1, match });
    e.emu.setFaults({ next: [limited('^POST /v1/flows/[^/]+/run$'), limited('^POST /v1/flows/[^/]+/[^/]+/retry$')] });
    const run = await runFlow(e.ctx, { flow: TICKETS });
    expect(run.recoveredAfterAmbiguousFailure).toBeUndefined();
    const r = await retryErrors(e.ctx, { flow: TICKETS, all: true });
    expect(r).toMatchObject({ retried: n, failed: 0 });
    expect(e.emu.requestLog().filter((l) => l.method === 'POST').map((l) => l.status)).toEqual([429, 201, 429, 200]);
    expect(newJobs(e, 'flow', tickets)).toHaveLength(1);
    expect(newJobs(e, 'retry', tickets)).toHaveLength(1);
  });

  it('the whole account under a 100 req/s limit (burst 5) with 10% random 5xx: nothing failed, every key accepted once, every error accounted for', async ({ onTestFinished }) => {
    const e = await env(onTestFinished, { rateLimit: { capacity: 5, refillPerSec: 100 }, client: { sleep: async (ms) => void (await realSleep(Math.min(ms, 200))) } });
    const before = errorsNow(e);
    e.emu.setFaults({ errorRate: 0.1, statuses: [500, 502, 503], seed: 9 });
    const r = await retryFailedJobs(e.ctx, { scope: 'account', concurrency: 8, wait: true });
    expect(r.matched).toBe(before.open.length);
    expect(r).toMatchObject({ failed: 0, unconfirmed: 0, notRetried: [] });
    expect(r.retried + r.skipped).toBe(r.matched);
    expect(r.errorsResolvedAfter! + r.stillOpenAfter!).toBe(r.retried);
    expect(new Set(newJobs(e, 'retry').map((j) => j._id))).toEqual(new Set(r.jobs.map((j) => j.jobId)));
    const log = e.emu.requestLog();
    if (process.env.CHAOS_DEBUG) console.log(`${log.length} requests, ${log.filter((l) => l.status === 429).length} x 429, ${log.filter((l) => l.status >= 500).length} x 5xx, ${e.retryPosts.length} retry POSTs`);
    expect(log.some((l) => l.status >= 500)).toBe(true);
    expect(log.some((l) => l.status === 429)).toBe(true);
    invariants(e, before, await snapshot(e));
  });
});

describe('chaos: read-only POSTs are tried again', () => {
  it('troubleshoot: a connection test the API itself failed (503, reset) is sent again, not reported as a connection down', async ({ onTestFinished }) => {
    const e = await env(onTestFinished);
    const ping = '^POST /v1/connections/[^/]+/ping$';
    e.emu.setFaults({ next: [{ status: 503, match: ping }, { reset: true, match: ping }, { status: 502, match: ping }] });
    const r = await troubleshoot(e.ctx, { flow: TICKETS });
    const tested = r.steps.filter((s) => s.connection);
    expect(tested.length).toBeGreaterThan(0);
    expect(tested.map((s) => [s.connection!.name, s.connection!.ok])).toEqual(tested.map((s) => [s.connection!.name, true]));
    expect(e.emu.requestLog().filter((l) => /\/ping$/.test(l.path)).map((l) => l.status).slice(0, 3)).toEqual([503, 0, 502]);
  });
});

describe('chaos: the harness catches what it looks for', () => {
  it('a second run of the same flow, a retry posted twice, and a vanished error all fail the checks', async ({ onTestFinished }) => {
    const e = await env(onTestFinished);
    const tickets = await flowId(e, TICKETS);
    const before = errorsNow(e);
    const step = before.open.find((x) => x.flowId === tickets)!;
    // Twice the same retry (the second takes nothing: the emulator skips errors already being retried).
    const raw = new CeligoClient({ baseUrl: e.emu.baseUrl, token: DEMO_TOKEN });
    for (let i = 0; i < 2; i++) {
      const res = await raw.errors.retry(tickets, step.stepId, [step.retryDataKey!]);
      e.retryPosts.push({ flowId: tickets, stepId: step.stepId, keys: [step.retryDataKey!], status: 200, jobId: res._id });
    }
    const after = await snapshot(e);
    const o = { env: e, before, after, faulted: 1, requests: 1 };
    expect(() => expectNoDoubleRetry(o)).toThrow(/retry keys accepted twice/);
    // An error that leaves the open list without a retry or a clear.
    const vanished = { ...o, after: { ...after, open: after.open.filter((x) => x.errorId !== before.open[0].errorId) } };
    expect(() => expectNoErrorLost(vanished)).toThrow();
  });
});
