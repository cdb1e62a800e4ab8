// Troubleshoot a job, a flow or an integration (issue 4 item 2): errors grouped by pattern with a likely
// cause and fix, a test of each failing step's connection, and what changed just before the errors began
// (the audit log and our own backups), since "it broke right after someone changed the mapping" is the
// most common root cause.
import { CeligoApiError, UsageError } from '../core/errors.js';
import { flowSteps } from '../core/flows.js';
import { auditUserLabel, type AuditEntry } from '../core/audit.js';
import type { Flow, Job } from '../core/schemas.js';
import type { OpContext } from './context.js';
import { listBackupRecords } from './backups/store.js';
import { listMappings, type FlatMapping } from './mapping/formats.js';
import { causeInfo, groupErrors, type CauseKind, type ErrorGroup, type ScopedError } from './patterns.js';
import { mapPool } from './pool.js';
import { resolveFlow, resolveIntegration } from './resolve.js';
import { jobErrors } from './run.js';
import { scanErrors } from './scan.js';

/** Celigo data (names, messages) in our sentences goes in quotes: it is data, never instructions. */
const q = (v: unknown): string => JSON.stringify(String(v ?? ''));
import { ms, nowOf, num, plural, testConnection } from './util.js';

const DAY = 86_400_000;
/** A change this close before the first error is a suspect. */
const SUSPECT_WINDOW_MS = DAY;

export interface ChangeEvent {
  at: string;
  resourceType: 'flow' | 'export' | 'import' | 'connection' | 'integration';
  resourceId: string;
  resourceName?: string;
  action: string;
  /** Changed field paths (mapping changes show up as mapping.* or mappings.*). */
  fields: string[];
  by?: string;
  /** Where we learned of it: the audit log, a celigo-manage backup, or only the object's lastModified. */
  source: 'audit' | 'backup' | 'lastModified';
  backupId?: string;
  /** For a mapping change: what it did to the field mappings ("removed LastName (was last_name)"). */
  mappingEffect?: MappingEffect;
  /** Minutes between the change and the first error it may explain (positive = before). */
  minutesBeforeFirstError: number;
}

export interface MappingEffect {
  removed: { generate: string; was?: string }[];
  added: { generate: string; from?: string }[];
  changed: { generate: string; was?: string; now?: string }[];
}

/** What a mapping edit did, from the audit entry's old and new values of mapping / mapping.fields / mappings. */
export function mappingEffect(fieldChanges: { fieldPath: string; oldValue?: unknown; newValue?: unknown }[]): MappingEffect | undefined {
  const docOf = (path: string, v: unknown): Record<string, unknown> | undefined => {
    if (v === undefined) return {};
    if (path === 'mapping') return { mapping: v };
    if (path === 'mapping.fields') return { mapping: { fields: v, lists: [] } };
    if (path === 'mapping.lists') return { mapping: { fields: [], lists: v } };
    if (path === 'mappings') return { mappings: v };
    return undefined;
  };
  const src = (m: FlatMapping) => m.extract ?? (m.hardCodedValue !== undefined ? `"${m.hardCodedValue}"` : undefined);
  const eff: MappingEffect = { removed: [], added: [], changed: [] };
  let any = false;
  for (const fc of fieldChanges) {
    const before = docOf(fc.fieldPath, fc.oldValue);
    const after = docOf(fc.fieldPath, fc.newValue);
    if (!before || !after) continue;
    any = true;
    const a = new Map(listMappings(before).map((m) => [m.generate, m]));
    const b = new Map(listMappings(after).map((m) => [m.generate, m]));
    for (const [g, m] of a) {
      const n = b.get(g);
      if (!n) eff.removed.push({ generate: g, was: src(m) });
      else if (src(n) !== src(m)) eff.changed.push({ generate: g, was: src(m), now: src(n) });
    }
    for (const [g, m] of b) if (!a.has(g)) eff.added.push({ generate: g, from: src(m) });
  }
  return any ? eff : undefined;
}

export function describeEffect(e: MappingEffect): string {
  return [
    ...e.removed.map((r) => `removed ${r.generate}${r.was ? ` (was ${r.was})` : ''}`),
    ...e.changed.map((c) => `changed ${c.generate}: ${c.was ?? '?'} -> ${c.now ?? '?'}`),
    ...e.added.map((x) => `added ${x.generate}${x.from ? ` <- ${x.from}` : ''}`),
  ].join('; ');
}

export interface StepFinding {
  stepId: string;
  kind: 'export' | 'import';
  name?: string;
  connection?: { connectionId: string; name?: string; ok: boolean; code?: number; message?: string };
}

export type TroubleGroup = ErrorGroup & { stepName?: string; changedBefore?: ChangeEvent };

export interface TroubleshootReport {
  target: { type: 'job' | 'flow' | 'integration'; id: string; name?: string };
  job?: { jobId: string; flowId?: string; type: string; status: string; createdAt: string; startedAt?: string; endedAt?: string; counts: { exported: number; succeeded: number; failed: number; ignored: number } };
  recentJobs?: { jobId: string; status: string; createdAt: string; numError: number }[];
  flows: { flowId: string; name: string; openErrors: number }[];
  totalErrors: number;
  errorGroups: TroubleGroup[];
  likelyCause?: { cause: CauseKind; label: string; fix: string; pattern?: string; stepId?: string; evidence: string[] };
  steps: StepFinding[];
  changes: ChangeEvent[];
  suspectChange?: ChangeEvent;
  nextSteps: string[];
  summary: string;
}

function isMappingChange(c: ChangeEvent): boolean {
  return c.fields.some((f) => /^(mapping|mappings)(\.|$)/.test(f));
}

/** Changes to `ids` in [from, to], from the audit log, our backups and lastModified. */
async function changesBefore(
  ctx: OpContext,
  resources: Map<string, { type: ChangeEvent['resourceType']; name?: string; lastModified?: string }>,
  from: number,
  to: number,
): Promise<ChangeEvent[]> {
  const out: ChangeEvent[] = [];
  const ids = new Set(resources.keys());
  let entries: AuditEntry[] | undefined;
  try {
    entries = await ctx.api.audit({ from: new Date(from).toISOString(), to: new Date(to).toISOString() }, { signal: ctx.signal });
  } catch (err) {
    if (!(err instanceof CeligoApiError)) throw err;
    // No account-wide audit: ask each resource (few: the flow, its failing steps and their connections).
    const per = await mapPool([...resources.entries()], 4, async ([id, r]) => {
      const api = r.type === 'flow' ? ctx.api.flows : r.type === 'export' ? ctx.api.exports : r.type === 'import' ? ctx.api.imports : r.type === 'connection' ? ctx.api.connections : ctx.api.integrations;
      // A resource without an audit log (404) or out of the token's scope (403) has nothing to tell;
      // any other failure, an unknown answer shape included, is reported rather than read as "no changes".
      const rows = await api.audit(id, { signal: ctx.signal }).catch((e: unknown) => {
        if (e instanceof CeligoApiError && (e.status === 404 || e.status === 403)) return [] as AuditEntry[];
        throw e;
      });
      return rows.map((e) => ({ ...e, _resourceId: e._resourceId ?? id }));
    }, ctx.signal);
    entries = per.flat();
  }
  for (const e of entries) {
    const id = e._resourceId;
    const t = ms(e.time);
    if (!id || !ids.has(id) || t === undefined || t < from || t > to) continue;
    const r = resources.get(id)!;
    out.push({
      at: new Date(t).toISOString(),
      resourceType: r.type,
      resourceId: id,
      resourceName: r.name,
      action: e.event ?? 'change',
      fields: (e.fieldChanges ?? []).map((f) => f.fieldPath).slice(0, 20),
      by: auditUserLabel(e.byUser),
      source: 'audit',
      mappingEffect: r.type === 'import' ? mappingEffect(e.fieldChanges ?? []) : undefined,
      minutesBeforeFirstError: 0,
    });
  }
  for (const b of await listBackupRecords(ctx)) {
    const t = ms(b.createdAt);
    if (t === undefined || t < from || t > to) continue;
    for (const it of b.items) {
      if (!ids.has(it.id) || !it.after?.length) continue;
      const r = resources.get(it.id)!;
      out.push({ at: b.createdAt, resourceType: r.type, resourceId: it.id, resourceName: r.name, action: `update (${b.reason})`, fields: [], source: 'backup', backupId: b.id, minutesBeforeFirstError: 0 });
    }
  }
  // Without any record of a change, a lastModified inside the window is still worth showing.
  for (const [id, r] of resources) {
    const t = ms(r.lastModified);
    if (t === undefined || t < from || t > to || out.some((c) => c.resourceId === id)) continue;
    out.push({ at: new Date(t).toISOString(), resourceType: r.type, resourceId: id, resourceName: r.name, action: 'modified', fields: [], source: 'lastModified', minutesBeforeFirstError: 0 });
  }
  return out.sort((a, b) => b.at.localeCompare(a.at));
}

/** Finds why a job, a flow or an integration is failing, and what to do about it. */
export async function troubleshoot(ctx: OpContext, input: { job?: string; flow?: string; integration?: string; lookbackDays?: number }): Promise<TroubleshootReport> {
  const { api, signal } = ctx;
  const given = [input.job, input.flow, input.integration].filter((x) => x?.trim()).length;
  if (given !== 1) throw new UsageError('Troubleshoot one thing: pass exactly one of job, flow or integration.');
  const now = nowOf(ctx);
  let target: TroubleshootReport['target'];
  let errors: ScopedError[] = [];
  const flows = new Map<string, Flow>();
  let jobInfo: TroubleshootReport['job'];
  let recentJobs: TroubleshootReport['recentJobs'];
  let job: Job | undefined;

  if (input.job) {
    job = await api.jobs.get(input.job.trim(), { signal });
    if ((job.type === 'export' || job.type === 'import') && job._flowJobId) job = await api.jobs.get(job._flowJobId, { signal });
    if (!job._flowId) throw new UsageError(`Job ${job._id} belongs to no flow; troubleshoot its flow instead.`);
    const flow = await resolveFlow(api, job._flowId);
    flows.set(flow._id, flow);
    target = { type: 'job', id: job._id, name: flow.name };
    errors = await jobErrors(ctx, flow, job);
    jobInfo = {
      jobId: job._id,
      flowId: job._flowId,
      type: job.type,
      status: job.status,
      createdAt: job.createdAt,
      startedAt: typeof job.startedAt === 'string' ? job.startedAt : undefined,
      endedAt: typeof job.endedAt === 'string' ? job.endedAt : undefined,
      counts: { exported: num(job.numExport), succeeded: num(job.numSuccess), failed: num(job.numError), ignored: num(job.numIgnore) },
    };
  } else if (input.flow) {
    const scan = await scanErrors(ctx, { flow: input.flow, state: 'open' });
    const flow = [...scan.flows.values()][0];
    flows.set(flow._id, flow);
    target = { type: 'flow', id: flow._id, name: flow.name };
    errors = scan.errors;
    const recent = await api.jobs.list({ _flowId: flow._id, type: 'flow', createdAt_gte: new Date(now.getTime() - 7 * DAY).toISOString() }, { limit: 10, signal });
    recentJobs = recent.map((j) => ({ jobId: j._id, status: j.status, createdAt: j.createdAt, numError: num(j.numError) }));
  } else {
    const integ = await resolveIntegration(api, input.integration!);
    target = { type: 'integration', id: integ._id, name: integ.name };
    const scan = await scanErrors(ctx, { integration: integ._id, state: 'open' });
    for (const [id, f] of scan.flows) flows.set(id, f);
    errors = scan.errors;
  }

  const groups: TroubleGroup[] = groupErrors(errors);
  // Steps to look at: those with errors; for a failed job without errors, all of its flow's steps.
  const stepIds = new Map<string, { flowId: string; kind: 'export' | 'import' }>();
  for (const g of groups) {
    const f = g.flowId ? flows.get(g.flowId) : undefined;
    const st = f && flowSteps(f).find((s) => s.id === g.stepId);
    if (st && g.stepId) stepIds.set(g.stepId, { flowId: f._id, kind: st.kind });
  }
  if (!stepIds.size && job?.status === 'failed') for (const f of flows.values()) for (const st of flowSteps(f)) stepIds.set(st.id, { flowId: f._id, kind: st.kind });

  const stepDocs = await mapPool([...stepIds.entries()], 4, async ([id, s]) => {
    const doc = await (s.kind === 'export' ? api.exports.get(id, { signal }) : api.imports.get(id, { signal })).catch(() => undefined);
    return { id, kind: s.kind, doc };
  }, signal);
  const connIds = [...new Set(stepDocs.map((s) => s.doc?._connectionId).filter((c): c is string => typeof c === 'string'))];
  const conns = await mapPool(connIds, 4, async (cid) => {
    const [doc, ping] = await Promise.all([
      api.connections.get(cid, { signal }).catch(() => undefined),
      testConnection(ctx, cid).catch((err: Error) => ({ ok: false, code: err instanceof CeligoApiError ? err.status : 0, message: err.message })),
    ]);
    return { cid, doc, ping };
  }, signal);
  const connById = new Map(conns.map((c) => [c.cid, c]));
  const steps: StepFinding[] = stepDocs.map((s) => {
    const cid = typeof s.doc?._connectionId === 'string' ? s.doc._connectionId : undefined;
    const c = cid ? connById.get(cid) : undefined;
    return {
      stepId: s.id,
      kind: s.kind,
      name: s.doc?.name,
      connection: c ? { connectionId: c.cid, name: c.doc?.name, ok: c.ping.ok, code: c.ping.code, message: 'message' in c.ping ? c.ping.message : undefined } : undefined,
    };
  });
  for (const g of groups) g.stepName = steps.find((s) => s.stepId === g.stepId)?.name;

  // What changed shortly before the errors began.
  const firstErrorAt = groups.length ? Math.min(...groups.map((g) => ms(g.firstSeen) ?? Infinity)) : job ? (ms(job.createdAt) ?? now.getTime()) : now.getTime();
  const resources = new Map<string, { type: ChangeEvent['resourceType']; name?: string; lastModified?: string }>();
  for (const f of flows.values()) resources.set(f._id, { type: 'flow', name: f.name, lastModified: f.lastModified });
  for (const s of stepDocs) resources.set(s.id, { type: s.kind, name: s.doc?.name, lastModified: s.doc?.lastModified });
  for (const c of conns) resources.set(c.cid, { type: 'connection', name: c.doc?.name, lastModified: c.doc?.lastModified });
  const lookback = (input.lookbackDays ?? 7) * DAY;
  const changes = await changesBefore(ctx, resources, firstErrorAt - lookback, Math.max(...groups.map((g) => ms(g.lastSeen) ?? 0), firstErrorAt));
  for (const c of changes) c.minutesBeforeFirstError = Math.round((firstErrorAt - (ms(c.at) ?? 0)) / 60_000);

  // Per group: the latest change to its step, the step's connection or the flow, shortly before it began.
  const related = (g: TroubleGroup) => {
    const st = stepDocs.find((s) => s.id === g.stepId);
    return new Set([g.stepId, g.flowId, typeof st?.doc?._connectionId === 'string' ? st.doc._connectionId : undefined].filter(Boolean) as string[]);
  };
  for (const g of groups) {
    const first = ms(g.firstSeen) ?? firstErrorAt;
    const rel = related(g);
    const hit = changes
      .filter((c) => rel.has(c.resourceId) && (ms(c.at) ?? 0) <= first && first - (ms(c.at) ?? 0) <= SUSPECT_WINDOW_MS)
      .sort((a, b) => Number(isMappingChange(b) && g.cause === 'mapping') - Number(isMappingChange(a) && g.cause === 'mapping') || b.at.localeCompare(a.at))[0];
    if (hit) g.changedBefore = { ...hit, minutesBeforeFirstError: Math.round((first - (ms(hit.at) ?? 0)) / 60_000) };
  }
  const suspect = groups.find((g) => g.changedBefore)?.changedBefore;

  // Likely cause: a failed connection test on the top group's step outranks the message.
  const top = groups[0];
  let likely: TroubleshootReport['likelyCause'];
  if (top || job?.status === 'failed') {
    const st = top ? steps.find((s) => s.stepId === top.stepId) : steps.find((s) => s.connection && !s.connection.ok);
    const evidence: string[] = [];
    let cause: CauseKind = top?.cause ?? 'unknown';
    if (st?.connection && !st.connection.ok) {
      cause = st.connection.code === 401 || st.connection.code === 403 ? 'auth' : 'connection';
      evidence.push(`connection ${q(st.connection.name ?? st.connection.connectionId)} failed its test (${st.connection.code ?? '?'}${st.connection.message ? `: ${q(st.connection.message)}` : ''})`);
    }
    if (top) evidence.push(`${top.count}x ${q(top.pattern)} on ${q(top.stepName ?? top.stepId)} since ${top.firstSeen}`);
    if (top?.changedBefore) {
      const c = top.changedBefore;
      evidence.push(`${c.resourceType} ${q(c.resourceName ?? c.resourceId)} was changed${c.by ? ` by ${c.by}` : ''} ${c.minutesBeforeFirstError} min before the first error${c.mappingEffect ? ` (${describeEffect(c.mappingEffect)})` : c.fields.length ? ` (${c.fields.slice(0, 5).join(', ')})` : ''}`);
      if (isMappingChange(c) && (cause === 'validation' || cause === 'unknown')) cause = 'mapping';
    }
    const info = causeInfo(cause);
    likely = { cause, label: info.label, fix: info.fix, pattern: top?.pattern, stepId: top?.stepId, evidence };
  }

  const nextSteps: string[] = [];
  const flowIdForRetry = target.type === 'job' ? undefined : target.type === 'flow' ? target.id : undefined;
  if (suspect) {
    if (suspect.backupId) nextSteps.push(`diff_backup {"id":"${suspect.backupId}"} then restore_backup {"id":"${suspect.backupId}"} to undo the change made just before the errors`);
    else nextSteps.push(`Review the change to ${suspect.resourceType} ${suspect.resourceName ?? suspect.resourceId} at ${suspect.at}${suspect.mappingEffect ? ` (${describeEffect(suspect.mappingEffect)})` : suspect.fields.length ? ` (${suspect.fields.slice(0, 5).join(', ')})` : ''}; revert it if it caused the errors`);
    const eff = suspect.mappingEffect;
    const flowOfStep = [...flows.values()].find((f) => flowSteps(f).some((st) => st.id === suspect.resourceId));
    if (eff && flowOfStep && (eff.removed.length || eff.changed.length)) {
      const undo = [
        ...eff.removed.filter((r) => r.was).map((r) => ({ op: 'add', generate: r.generate, ...(r.was!.startsWith('"') ? { hardCodedValue: r.was!.slice(1, -1) } : { extract: r.was }) })),
        ...eff.changed.filter((c) => c.was).map((c) => ({ op: 'change', generate: c.generate, ...(c.was!.startsWith('"') ? { hardCodedValue: c.was!.slice(1, -1) } : { extract: c.was }) })),
      ];
      if (undo.length) nextSteps.push(`To put the mapping back: update_mapping ${JSON.stringify({ flow: flowOfStep._id, import: suspect.resourceId, changes: undo, dryRun: true })}, then again without dryRun`);
    }
  }
  if (likely?.cause === 'auth' || likely?.cause === 'connection') {
    const c = steps.find((s) => s.connection && !s.connection.ok)?.connection;
    if (c) nextSteps.push(`Fix connection ${c.name ?? c.connectionId} (credentials or online state), then test_connection {"connection":"${c.connectionId}"}`);
  }
  if (likely?.cause === 'mapping' && top && !nextSteps.some((n) => n.startsWith('To put the mapping back'))) nextSteps.push(`update_mapping {"flow":"${top.flowId}","changes":[…],"dryRun":true} to preview a fix on a sample record`);
  if (groups.length) {
    const retryTarget = target.type === 'job' ? `retry_job {"job":"${target.id}"}` : `retry_failed_jobs {${flowIdForRetry ? `"flow":"${flowIdForRetry}"` : `"integration":"${target.id}"`}}`;
    if (groups.some((g) => g.retry === 'now')) nextSteps.push(`${retryTarget} (the transient errors should succeed now)`);
    else nextSteps.push(`${retryTarget} after the fix`);
    if (groups.some((g) => g.retry === 'no')) nextSteps.push('Errors the target rejected as data need the source records corrected; clear_errors once handled');
  }

  const flowRows = [...flows.values()].map((f) => ({ flowId: f._id, name: f.name, openErrors: errors.filter((e) => e.flowId === f._id).length }));
  const summary = !groups.length
    ? job
      ? `Job ${job._id} (${JSON.stringify(target.name)}) is ${job.status} with no open errors${likely ? `; likely ${likely.label}` : ''}.`
      : `No open errors for ${target.type} ${target.name !== undefined ? JSON.stringify(target.name) : target.id}.`
    : `${plural(errors.length, 'open error')} in ${plural(groups.length, 'pattern')}; the largest (${top!.count}x on ${top!.stepName ?? top!.stepId}) looks like ${likely!.label}.` +
      (suspect ? ` ${suspect.resourceType} ${suspect.resourceName ?? suspect.resourceId} was changed${suspect.by ? ` by ${suspect.by}` : ''} ${suspect.minutesBeforeFirstError} min before the errors began${suspect.mappingEffect ? ` (mapping: ${describeEffect(suspect.mappingEffect)})` : isMappingChange(suspect) ? ' (its mapping)' : ''}.` : '') +
      ` Fix: ${likely!.fix}`;

  return {
    target,
    job: jobInfo,
    recentJobs,
    flows: flowRows,
    totalErrors: errors.length,
    errorGroups: groups.slice(0, 15),
    likelyCause: likely,
    steps,
    changes: changes.slice(0, 20),
    suspectChange: suspect,
    nextSteps,
    summary,
  };
}
