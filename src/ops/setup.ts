// New integration end to end (issue 4 item 7): connections (reused or created, both tested), the
// integration, an export, an import with the mapping, a disabled flow; a preview with sample data; enabled
// only on request. A failed step stops and the report says what exists and how to resume. Every created
// resource is recorded in a backup, so restore_backup of it removes them all.
// setup-plan.ts plans the steps without I/O; this file runs them (create-once POSTs, the backup, the
// read-back) and writes the report.
import { CeligoApiError, UsageError, describeError } from '../core/errors.js';
import type { Connection } from '../core/schemas.js';
import type { OpContext } from './context.js';
import { backup, forgetUnapplied, recordChanged, recordCreated } from './backups/take.js';
import { normaliseSchedule } from './schedule.js';
import { makePlan, mustConfirm } from './confirm.js';
import { connectionInApp } from './web-app.js';
import { invalidateNames, matchByName, resolveConnection, resolveIntegration } from './resolve.js';
import {
  checkEndpoints,
  checkSpec,
  confirmationLines,
  exportBody,
  flowBody,
  importBody,
  mayEnable,
  planSetup,
  previewOutcome,
  sameNamedConnection,
  setupLabel,
  specWithoutSecrets,
  type EndpointSpec,
  type PlannedStep,
  type SetupPreview,
  type SetupResume,
  type SetupSpec,
  type SetupStep,
} from './setup-plan.js';
import { nowOf, report, sampleRecords, testConnection } from './util.js';
import { createOnce } from './at-most-once.js';
import type { NextStep } from './outcome.js';

export type { EndpointSpec, SetupResume, SetupSpec, SetupStep } from './setup-plan.js';

export interface SetupReport {
  /** pending: stopped between two steps to answer by the front end's deadline; resume finishes it. */
  status: 'done' | 'failed' | 'pending';
  integrationId?: string;
  connections: {
    source?: { id: string; name: string; created: boolean; ok?: boolean; message?: string };
    destination?: { id: string; name: string; created: boolean; ok?: boolean; message?: string };
  };
  exportId?: string;
  importId?: string;
  flowId?: string;
  enabled: boolean;
  steps: SetupStep[];
  preview?: SetupPreview;
  /** Absent when the setup failed before changing anything (its backup was then removed). */
  backupId?: string;
  failedStep?: string;
  error?: string;
  /** Pass this back as `resume` (with the same spec) to continue after fixing the failure. */
  resume: SetupResume;
  /** Set when a step failed (status "failed"), or the setup stopped before its end (status "pending"). */
  outcome?: 'failed' | 'pending';
  next: NextStep[];
  summary: string;
}

/** One setup as it runs: the ids made so far (in `resume`), the steps done and the step under way. */
interface SetupRun {
  ctx: OpContext;
  spec: SetupSpec;
  schedule?: string;
  resume: SetupResume;
  backupId: string;
  existingConns: Connection[];
  steps: SetupStep[];
  connections: SetupReport['connections'];
  current: string;
  src?: Connection;
  dst?: Connection;
  importDoc?: Record<string, unknown>;
  preview?: SetupPreview;
  enabled: boolean;
}

/** The connection an end names (its id or name) among the account's connections; undefined for a new one. */
function namedConnection(e: EndpointSpec, resumedId: string | undefined, conns: readonly Connection[]): Connection | undefined {
  if (resumedId) return conns.find((c) => c._id === resumedId);
  if (!e.connection) return undefined;
  return conns.find((c) => c._id === e.connection!.trim()) ?? matchByName([...conns], e.connection, 'connection', 'the list of connections');
}

/**
 * Checks that need no writes: the integration named exists or the new one's name is free, the connections
 * named exist, and each end's endpoint suits its connection. Returns the account's connections.
 */
async function preflight(ctx: OpContext, spec: SetupSpec, resume: SetupResume): Promise<Connection[]> {
  const { api, signal } = ctx;
  if (spec.integration && !resume.integrationId) await resolveIntegration(api, spec.integration);
  if (!spec.integration && !resume.integrationId) {
    const clash = (await api.integrations.list({}, { signal })).find((i) => i.name.toLowerCase() === spec.name.trim().toLowerCase());
    if (clash) throw new UsageError(`An integration named "${clash.name}" already exists (${clash._id}). Pass integration: "${clash.name}" to add the flow to it, or choose another name.`);
  }
  const conns = await api.connections.list({}, { signal });
  const typeOf = (e: EndpointSpec, resumedId: string | undefined) => namedConnection(e, resumedId, conns)?.type ?? (e.connection ? undefined : e.type);
  checkEndpoints(spec, {
    source: resume.exportId ? undefined : typeOf(spec.source, resume.sourceConnectionId),
    destination: resume.importId ? undefined : typeOf(spec.destination, resume.destinationConnectionId),
  });
  return conns;
}

async function createConnection(run: SetupRun, e: EndpointSpec): Promise<Connection> {
  const { ctx } = run;
  const { api, signal } = ctx;
  const same = (c: Connection) => c.name.toLowerCase() === e.name!.toLowerCase();
  const conn = await createOnce(ctx, `connection "${e.name}"`, () => api.connections.create({ ...(e.config ?? {}), name: e.name, type: e.type }, { signal }),
    async () => (await api.connections.list({}, { signal })).filter(same), []);
  await recordCreated(ctx, run.backupId, { type: 'connection', id: conn._id, name: conn.name });
  invalidateNames(api);
  return conn;
}

/** The source or destination connection (resumed, reused or created), then its test. */
async function useConnection(run: SetupRun, p: PlannedStep): Promise<void> {
  const { api, signal } = run.ctx;
  const label = p.step === 'source connection' ? 'source' : 'destination';
  const e = run.spec[label];
  let conn: Connection | undefined;
  let created = false;
  if (p.action === 'resume') conn = await api.connections.get(p.id!, { signal });
  else if (p.action === 'reuse') conn = await resolveConnection(api, p.ref!);
  else conn = sameNamedConnection(e, run.existingConns);
  if (!conn) {
    conn = await createConnection(run, e);
    created = true;
  }
  run.resume[label === 'source' ? 'sourceConnectionId' : 'destinationConnectionId'] = conn._id;
  run.steps.push({ step: run.current, status: created ? 'created' : 'reused', id: conn._id, message: conn.name });
  run.current = `${label} connection test`;
  const test = await testConnection(run.ctx, conn._id);
  const message = test.ok ? undefined : `${test.errorCode ? test.errorCode + ': ' : ''}${test.message ?? 'failed'}`;
  run.steps.push({ step: run.current, status: test.ok ? 'passed' : 'failed', id: conn._id, message });
  run.connections[label] = { id: conn._id, name: conn.name, created, ok: test.ok, message };
  if (label === 'source') run.src = conn;
  else run.dst = conn;
}

async function useIntegration(run: SetupRun, p: PlannedStep): Promise<void> {
  const { ctx, steps } = run;
  const { api, signal } = ctx;
  let integrationId: string;
  if (p.action === 'resume') {
    integrationId = p.id!;
    steps.push({ step: run.current, status: 'reused', id: integrationId });
  } else if (p.action === 'reuse') {
    integrationId = (await resolveIntegration(api, p.ref!))._id;
    steps.push({ step: run.current, status: 'reused', id: integrationId });
  } else {
    const name = p.name!;
    const description = run.spec.description;
    const integ = await createOnce(ctx, `integration "${name}"`, () => api.integrations.create({ name, ...(description ? { description } : {}) }, { signal }),
      async () => (await api.integrations.list({}, { signal })).filter((i) => i.name.toLowerCase() === name.toLowerCase()), []);
    integrationId = integ._id;
    await recordCreated(ctx, run.backupId, { type: 'integration', id: integ._id, name: integ.name });
    invalidateNames(api);
    steps.push({ step: run.current, status: 'created', id: integ._id, message: integ.name });
  }
  run.resume.integrationId = integrationId;
}

async function makeExport(run: SetupRun, p: PlannedStep): Promise<void> {
  const { ctx, resume } = run;
  if (p.action === 'resume') {
    run.steps.push({ step: run.current, status: 'reused', id: p.id });
    return;
  }
  const src = run.src!;
  const body = exportBody(run.spec, src);
  const exp = await createOnce(ctx, `export "${String(body.name)}"`, () => ctx.api.exports.create(body, { signal: ctx.signal }),
    async () => (await ctx.api.exports.list({}, { signal: ctx.signal })).filter((x) => x.name === body.name && x._connectionId === src._id));
  resume.exportId = exp._id;
  await recordCreated(ctx, run.backupId, { type: 'export', id: exp._id, name: exp.name });
  run.steps.push({ step: run.current, status: 'created', id: exp._id, message: exp.name });
}

/** The import with its mappings; a resumed one is read back for the preview. */
async function makeImport(run: SetupRun, p: PlannedStep): Promise<void> {
  const { ctx, resume } = run;
  if (p.action === 'resume') {
    run.importDoc = await ctx.api.imports.get(p.id!, { signal: ctx.signal });
    run.steps.push({ step: run.current, status: 'reused', id: p.id });
    return;
  }
  const dst = run.dst!;
  const body = importBody(run.spec, dst);
  const imp = await createOnce(ctx, `import "${String(body.name)}"`, () => ctx.api.imports.create(body, { signal: ctx.signal }),
    async () => (await ctx.api.imports.list({}, { signal: ctx.signal })).filter((x) => x.name === body.name && x._connectionId === dst._id));
  resume.importId = imp._id;
  run.importDoc = imp;
  await recordCreated(ctx, run.backupId, { type: 'import', id: imp._id, name: imp.name });
  run.steps.push({ step: run.current, status: 'created', id: imp._id, message: `${imp.name} (${run.spec.mappings?.length ?? 0} field mappings)` });
}

async function makeFlow(run: SetupRun, p: PlannedStep): Promise<void> {
  const { ctx, resume } = run;
  if (p.action === 'resume') {
    run.steps.push({ step: run.current, status: 'reused', id: p.id });
    return;
  }
  const integrationId = resume.integrationId;
  const body = flowBody(run.spec, { source: run.src!.name, destination: run.dst!.name }, { integrationId, exportId: resume.exportId, importId: resume.importId }, run.schedule);
  const flow = await createOnce(ctx, `flow "${String(body.name)}"`, () => ctx.api.flows.create(body, { signal: ctx.signal }),
    async () => (await ctx.api.flows.list({}, { signal: ctx.signal })).filter((f) => f.name === body.name && f._integrationId === integrationId));
  resume.flowId = flow._id;
  await recordCreated(ctx, run.backupId, { type: 'flow', id: flow._id, name: flow.name });
  invalidateNames(ctx.api);
  run.steps.push({ step: run.current, status: 'created', id: flow._id, message: `${flow.name} (disabled)` });
}

/** The mapping applied to a sample record of the export; a failure to sample only skips the preview. */
async function preview(run: SetupRun): Promise<void> {
  try {
    const outcome = previewOutcome(await sampleRecords(run.ctx, run.resume.exportId!), run.importDoc!);
    run.preview = outcome.preview;
    run.steps.push(outcome.step);
  } catch (err) {
    run.preview = { note: `could not fetch sample data: ${describeError(err)}` };
    run.steps.push({ step: run.current, status: 'skipped', message: run.preview.note });
  }
}

/** Enables the flow when both connection tests passed, and reads it back to be sure. */
async function enable(run: SetupRun): Promise<void> {
  const { ctx, resume } = run;
  if (!mayEnable(run.connections)) {
    const failed = (['source', 'destination'] as const).map((l) => run.connections[l]).filter((c) => c && !c.ok).map((c) => c!.name);
    const where = failed.map((n) => connectionInApp(n)).join('; ');
    run.steps.push({ step: run.current, status: 'skipped', message: `connection ${failed.map((n) => JSON.stringify(n)).join(' and ')} failed its test; fix it (${where}), then enable the flow` });
    return;
  }
  const after = await ctx.api.flows.update(resume.flowId!, (f) => {
    f.disabled = false;
  }, { signal: ctx.signal });
  await recordChanged(ctx, run.backupId, { type: 'flow', id: resume.flowId! }, after);
  const check = await ctx.api.flows.get(resume.flowId!, { signal: ctx.signal });
  run.enabled = !check.disabled;
  run.steps.push({ step: run.current, status: run.enabled ? 'done' : 'failed', id: resume.flowId, message: run.enabled ? 'flow enabled' : 'the flow still reads as disabled' });
}

function runStep(run: SetupRun, p: PlannedStep): Promise<void> {
  switch (p.step) {
    case 'source connection':
    case 'destination connection':
      return useConnection(run, p);
    case 'integration':
      return useIntegration(run, p);
    case 'export':
      return makeExport(run, p);
    case 'import':
      return makeImport(run, p);
    case 'flow':
      return makeFlow(run, p);
    case 'preview':
      return preview(run);
    case 'enable':
      return enable(run);
  }
}

/** What a setup stopped part-way has: the ids made so far, its steps and preview, and their list. */
function soFar(run: SetupRun, backupId: string | undefined) {
  const { resume } = run;
  const made = run.steps.filter((s) => s.status === 'created').map((s) => `${s.step} ${s.id}`);
  const fields = {
    integrationId: resume.integrationId,
    connections: run.connections,
    exportId: resume.exportId,
    importId: resume.importId,
    flowId: resume.flowId,
    enabled: false,
    steps: run.steps,
    preview: run.preview,
    backupId,
  };
  return { made, fields };
}

/** The report of a setup stopped by a failed step: what exists, and how to resume or undo. */
function failedReport(run: SetupRun, err: unknown, kept: boolean): SetupReport {
  const { resume, current } = run;
  const backupId = kept ? run.backupId : undefined;
  const { made, fields } = soFar(run, backupId);
  return {
    status: 'failed',
    ...fields,
    failedStep: current,
    error: describeError(err),
    resume,
    outcome: 'failed',
    next: [
      { op: 'setup_integration', args: { resume }, why: `after fixing the ${current} problem, with the same spec plus this resume` },
      ...(backupId ? [{ op: 'restore_backup', args: { id: backupId }, why: 'or remove what was created' }] : []),
    ],
    summary:
      `Setup stopped at the ${current} step: ${err instanceof CeligoApiError ? err.message : (err as Error).message}. ` +
      (made.length ? `Created so far: ${made.join(', ')}. ` : 'Nothing was created. ') +
      (backupId ? `Resume with the ids in resume, or undo by restoring backup ${backupId}.` : 'Nothing was changed, so no backup was kept.'),
  };
}

/**
 * The report of a setup stopped between two steps at the front end's deadline (MCP answers before a
 * client's timeout): what exists, and the same call with `resume` to finish it.
 */
function pendingReport(run: SetupRun, nextStep: string): SetupReport {
  const { resume } = run;
  const { made, fields } = soFar(run, run.backupId);
  return {
    status: 'pending',
    ...fields,
    resume,
    outcome: 'pending',
    next: [{ op: 'setup_integration', args: { resume }, why: 'finish it: the same spec plus this resume' }],
    summary:
      `Setup of "${run.spec.name}" is not finished: it stopped before the ${nextStep} step to answer in time. ` +
      (made.length ? `Created so far: ${made.join(', ')}. ` : 'Nothing was created yet. ') +
      `Call it again with the same spec plus resume to finish; nothing is created twice.`,
  };
}

/** The report of a finished setup: failed connection tests, mapping gaps, enabling and a first run. */
function doneReport(run: SetupRun): SetupReport {
  const { resume, connections, enabled, backupId } = run;
  const flow = resume.flowId;
  const next: NextStep[] = [];
  const failedTests = (['source', 'destination'] as const).filter((l) => connections[l] && !connections[l]!.ok);
  for (const l of failedTests) {
    const c = connections[l]!;
    next.push({ op: 'test_connection', args: { connection: c.id }, why: `after fixing the ${l} connection "${c.name}" (${c.message}; ${connectionInApp(c.name)})` });
  }
  const missing = run.preview?.missingSources ?? [];
  if (missing.length) {
    const why = `fix the mapping: the sample has no ${missing.join(', ')}; add changes [{"op":"change","generate":"<target>","extract":"<a source field the sample has>"}]`;
    next.push({ op: 'update_mapping', args: { flow, dryRun: true }, why });
  }
  if (!enabled) next.push({ op: 'update_flow', args: { flow, enabled: true }, why: 'enable the flow when ready' });
  next.push({ op: 'run_and_monitor', args: { flow }, why: 'try it' });
  return {
    status: 'done',
    integrationId: resume.integrationId,
    connections,
    exportId: resume.exportId,
    importId: resume.importId,
    flowId: resume.flowId,
    enabled,
    steps: run.steps,
    preview: run.preview,
    backupId,
    resume,
    next,
    summary:
      `Set up ${setupLabel(run.spec)}: integration ${resume.integrationId}, export ${resume.exportId}, import ${resume.importId}, flow ${resume.flowId} (${enabled ? 'enabled' : 'disabled'}). ` +
      (failedTests.length ? `Connection test failed: ${failedTests.join(', ')}. ` : 'Both connections passed their tests. ') +
      `Undo everything by restoring backup ${backupId}.`,
  };
}

export async function setupIntegration(ctx: OpContext, spec: SetupSpec): Promise<SetupReport> {
  checkSpec(spec);
  const schedule = spec.schedule ? normaliseSchedule(spec.schedule) : undefined;
  const resume: SetupResume = { ...(spec.resume ?? {}) };
  const existingConns = await preflight(ctx, spec, resume);
  await mustConfirm(ctx, makePlan(`Set up ${setupLabel(spec)}`, confirmationLines(spec), { spec: specWithoutSecrets(spec) }), 'change');

  const backupId = resume.backupId ?? (await backup(ctx, [], `set up ${setupLabel(spec)}`)).id;
  resume.backupId = backupId;
  const run: SetupRun = { ctx, spec, schedule, resume, backupId, existingConns, steps: [], connections: {}, current: '', enabled: false };
  const planned = planSetup(spec, resume);
  try {
    for (const [i, p] of planned.entries()) {
      if (ctx.followUntil !== undefined && nowOf(ctx).getTime() >= ctx.followUntil) return pendingReport(run, p.step);
      run.current = p.step;
      await report(ctx, i, planned.length, p.step);
      await runStep(run, p);
    }
  } catch (err) {
    run.steps.push({ step: run.current, status: 'failed', message: describeError(err) });
    const forgotten = await forgetUnapplied(ctx, backupId, err);
    if (forgotten) delete resume.backupId;
    return failedReport(run, err, !forgotten);
  }
  await report(ctx, planned.length, planned.length, 'done');
  return doneReport(run);
}
