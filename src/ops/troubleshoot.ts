// Troubleshoot a job, a flow or an integration (issue 4 item 2): errors grouped by pattern with a likely
// cause and fix, a test of each failing step's connection, and what changed just before the errors began
// (the audit log and our own backups), since "it broke right after someone changed the mapping" is the
// most common root cause.
// This file gathers (the target, its jobs and errors, the failing steps, their connection tests, the audit
// log and backups); troubleshoot-judge.ts judges what was gathered without I/O; troubleshoot-report.ts
// writes the report.
import { CeligoApiError, UsageError } from '../core/errors.js';
import { flowSteps } from '../core/flows.js';
import { auditUserLabel, type AuditEntry } from '../core/audit.js';
import type { Flow, Job } from '../core/schemas.js';
import type { OpContext } from './context.js';
import { listBackupRecords, type BackupRecord } from './backups/store.js';
import { groupErrors, type ErrorGroup, type ScopedError } from './patterns.js';
import { mapPool, readWidth } from './pool.js';
import { resolveFlow, resolveIntegration } from './resolve.js';
import { jobErrors } from './run.js';
import { scanErrors } from './scan.js';
import { changeWindow, firstErrorTime, judgeTrouble, mappingEffect, type ChangeEvent, type StepFinding, type TroubleTarget } from './troubleshoot-judge.js';
import { troubleshootReport, type TroubleshootReport } from './troubleshoot-report.js';
import { emptyArgument, jobIdOf, ms, nowOf, num, testConnection } from './util.js';

export { describeEffect, mappingEffect, type ChangeEvent, type MappingEffect, type StepFinding, type TroubleGroup } from './troubleshoot-judge.js';
export type { TroubleshootReport } from './troubleshoot-report.js';

const DAY = 86_400_000;

/** Resources whose changes may explain the errors: the flows, the examined steps and their connections. */
type Resources = Map<string, { type: ChangeEvent['resourceType']; name?: string; lastModified?: string }>;

/** What the target itself yields: its flows and open errors, and the job or recent jobs. */
interface TargetFindings {
  target: TroubleTarget;
  errors: ScopedError[];
  flows: Map<string, Flow>;
  job?: Job;
  jobInfo?: TroubleshootReport['job'];
  recentJobs?: TroubleshootReport['recentJobs'];
}

function jobInfo(job: Job): TroubleshootReport['job'] {
  return {
    jobId: job._id,
    flowId: job._flowId,
    type: job.type,
    status: job.status,
    createdAt: job.createdAt,
    startedAt: typeof job.startedAt === 'string' ? job.startedAt : undefined,
    endedAt: typeof job.endedAt === 'string' ? job.endedAt : undefined,
    counts: { exported: num(job.numExport), succeeded: num(job.numSuccess), failed: num(job.numError), ignored: num(job.numIgnore) },
  };
}

/** A job (a step job leads to its flow job), its flow and the job's errors. */
async function gatherJob(ctx: OpContext, ref: string): Promise<TargetFindings> {
  const { api, signal } = ctx;
  let job = await api.jobs.get(jobIdOf(ref), { signal });
  if ((job.type === 'export' || job.type === 'import') && job._flowJobId) job = await api.jobs.get(job._flowJobId, { signal });
  if (!job._flowId) throw new UsageError(`Job ${job._id} belongs to no flow; troubleshoot its flow instead.`);
  const flow = await resolveFlow(api, job._flowId);
  const errors = await jobErrors(ctx, flow, job);
  return { target: { type: 'job', id: job._id, name: flow.name }, errors, flows: new Map([[flow._id, flow]]), job, jobInfo: jobInfo(job) };
}

/** A flow's open errors and its flow jobs of the last week. */
async function gatherFlow(ctx: OpContext, ref: string, now: Date): Promise<TargetFindings> {
  const scan = await scanErrors(ctx, { flow: ref, state: 'open' });
  const flow = [...scan.flows.values()][0];
  const recent = await ctx.api.jobs.list({ _flowId: flow._id, type: 'flow', createdAt_gte: new Date(now.getTime() - 7 * DAY).toISOString() }, { limit: 10, signal: ctx.signal });
  return {
    target: { type: 'flow', id: flow._id, name: flow.name },
    errors: scan.errors,
    flows: new Map([[flow._id, flow]]),
    recentJobs: recent.map((j) => ({ jobId: j._id, status: j.status, createdAt: j.createdAt, numError: num(j.numError) })),
  };
}

/** An integration's flows and their open errors. */
async function gatherIntegration(ctx: OpContext, ref: string): Promise<TargetFindings> {
  const integ = await resolveIntegration(ctx.api, ref);
  const scan = await scanErrors(ctx, { integration: integ._id, state: 'open' });
  return { target: { type: 'integration', id: integ._id, name: integ.name }, errors: scan.errors, flows: new Map(scan.flows) };
}

/** Steps to look at: those with errors; for a failed job without errors, all of its flow's steps. */
function stepsToExamine(groups: readonly ErrorGroup[], flows: Map<string, Flow>, jobFailed: boolean): Map<string, { flowId: string; kind: 'export' | 'import' }> {
  const stepIds = new Map<string, { flowId: string; kind: 'export' | 'import' }>();
  for (const g of groups) {
    const f = g.flowId ? flows.get(g.flowId) : undefined;
    const st = f && flowSteps(f).find((s) => s.id === g.stepId);
    if (st && g.stepId) stepIds.set(g.stepId, { flowId: f._id, kind: st.kind });
  }
  if (!stepIds.size && jobFailed) for (const f of flows.values()) for (const st of flowSteps(f)) stepIds.set(st.id, { flowId: f._id, kind: st.kind });
  return stepIds;
}

/** Each step's export or import, then a test of each connection they use (as many at a time as the budget lets run). */
async function gatherSteps(ctx: OpContext, stepIds: Map<string, { kind: 'export' | 'import' }>) {
  const { api, signal } = ctx;
  const stepDocs = await mapPool([...stepIds.entries()], readWidth(ctx), async ([id, s]) => {
    const doc = await (s.kind === 'export' ? api.exports.get(id, { signal }) : api.imports.get(id, { signal })).catch(() => undefined);
    return { id, kind: s.kind, doc };
  }, signal);
  const connIds = [...new Set(stepDocs.map((s) => s.doc?._connectionId).filter((c): c is string => typeof c === 'string'))];
  const conns = await mapPool(connIds, readWidth(ctx), async (cid) => {
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
      connection: c ? { connectionId: c.cid, name: c.doc?.name, ok: c.ping.ok, code: c.ping.code, message: c.ping.message } : undefined,
    };
  });
  const resources: Resources = new Map();
  for (const s of stepDocs) resources.set(s.id, { type: s.kind, name: s.doc?.name, lastModified: s.doc?.lastModified });
  for (const c of conns) resources.set(c.cid, { type: 'connection', name: c.doc?.name, lastModified: c.doc?.lastModified });
  return { steps, resources };
}

/** The audit log of [from, to]; without an account-wide log, each resource's own log. */
async function readAudit(ctx: OpContext, resources: Resources, from: number, to: number): Promise<AuditEntry[]> {
  try {
    return await ctx.api.audit({ from: new Date(from).toISOString(), to: new Date(to).toISOString() }, { signal: ctx.signal });
  } catch (err) {
    if (!(err instanceof CeligoApiError)) throw err;
    // No account-wide audit: ask each resource (few: the flow, its failing steps and their connections).
    const per = await mapPool([...resources.entries()], readWidth(ctx), async ([id, r]) => {
      const api = r.type === 'flow' ? ctx.api.flows : r.type === 'export' ? ctx.api.exports : r.type === 'import' ? ctx.api.imports : r.type === 'connection' ? ctx.api.connections : ctx.api.integrations;
      // A resource without an audit log (404) or out of the token's scope (403) has nothing to tell;
      // any other failure, an unknown answer shape included, is reported rather than read as "no changes".
      const rows = await api.audit(id, { signal: ctx.signal }).catch((e: unknown) => {
        if (e instanceof CeligoApiError && (e.status === 404 || e.status === 403)) return [] as AuditEntry[];
        throw e;
      });
      return rows.map((e) => ({ ...e, _resourceId: e._resourceId ?? id }));
    }, ctx.signal);
    return per.flat();
  }
}

/** Changes to the resources in [from, to], newest first, from audit entries, our backups and lastModified. */
function changesFrom(resources: Resources, entries: readonly AuditEntry[], backups: readonly BackupRecord[], from: number, to: number): ChangeEvent[] {
  const out: ChangeEvent[] = [];
  for (const e of entries) {
    const id = e._resourceId;
    const t = ms(e.time);
    if (!id || !resources.has(id) || t === undefined || t < from || t > to) continue;
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
  for (const b of backups) {
    const t = ms(b.createdAt);
    if (t === undefined || t < from || t > to) continue;
    for (const it of b.items) {
      if (!resources.has(it.id) || !it.after?.length) continue;
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

/** What to troubleshoot: exactly one of a job, a flow or an integration, or a target that is any of them. */
export interface TroubleshootInput {
  job?: string;
  flow?: string;
  integration?: string;
  /** A job id, else a flow, else an integration (id or name). */
  target?: string;
  lookbackDays?: number;
}

/** A target that may be a job id, a flow or an integration: looked up in that order. */
async function resolveTarget(ctx: OpContext, ref: string): Promise<{ job?: string; flow?: string; integration?: string }> {
  const { api, signal } = ctx;
  if (/^[0-9a-f]{24}$/i.test(ref) && (await api.jobs.get(ref, { signal }).then(() => true, () => false))) return { job: ref };
  const asFlow = await resolveFlow(api, ref).then((f) => f._id, (e: unknown) => e);
  if (typeof asFlow === 'string') return { flow: asFlow };
  const asIntegration = await resolveIntegration(api, ref).then((i) => i._id, () => undefined);
  if (asIntegration) return { integration: asIntegration };
  throw asFlow instanceof UsageError ? new UsageError(`No job, flow or integration "${ref}". ${asFlow.message}`, asFlow.candidates) : asFlow;
}

/** Finds why a job, a flow or an integration is failing, and what to do about it. */
export async function troubleshoot(ctx: OpContext, given: TroubleshootInput): Promise<TroubleshootReport> {
  const blank = (['job', 'flow', 'integration', 'target'] as const).find((k) => given[k] !== undefined && (typeof given[k] !== 'string' || !given[k].trim()));
  if (blank) throw emptyArgument(blank);
  const [job, flow, integration, target] = [given.job, given.flow, given.integration, given.target].map((x) => x?.trim() || undefined);
  if ([job, flow, integration, target].filter(Boolean).length !== 1) {
    throw new UsageError(
      'Troubleshoot one thing: a job, a flow or an integration. For the whole account, start with the health check (daily_health_check; at a terminal: health): it names the integrations to troubleshoot.',
    );
  }
  const input = { ...(target ? await resolveTarget(ctx, target) : { job, flow, integration }), lookbackDays: given.lookbackDays };
  const now = nowOf(ctx);
  const found = input.job ? await gatherJob(ctx, input.job) : input.flow ? await gatherFlow(ctx, input.flow, now) : await gatherIntegration(ctx, input.integration!);
  const groups = groupErrors(found.errors);
  const { steps, resources: stepResources } = await gatherSteps(ctx, stepsToExamine(groups, found.flows, found.job?.status === 'failed'));

  // What changed shortly before the errors began.
  const firstErrorAt = firstErrorTime(groups, found.job?.createdAt, now.getTime());
  const resources: Resources = new Map();
  for (const f of found.flows.values()) resources.set(f._id, { type: 'flow', name: f.name, lastModified: f.lastModified });
  for (const [id, r] of stepResources) resources.set(id, r);
  const { from, to } = changeWindow(groups, firstErrorAt, input.lookbackDays);
  const entries = await readAudit(ctx, resources, from, to);
  const changes = changesFrom(resources, entries, await listBackupRecords(ctx), from, to);

  const flows = [...found.flows.values()];
  const judged = judgeTrouble({ target: found.target, jobStatus: found.job?.status, flows, groups, steps, changes, firstErrorAt });
  return troubleshootReport({ target: found.target, job: found.jobInfo, recentJobs: found.recentJobs, flows, errors: found.errors, steps }, judged);
}
