// Judging a troubleshoot: from what was gathered (error groups, the failing steps and their connection
// tests, the changes before the errors) to the change most likely to blame, the likely cause with its
// evidence, and the next steps. Pure: no requests and no clock; the caller passes the time it read.
import { flowSteps } from '../core/flows.js';
import type { Flow } from '../core/schemas.js';
import type { NextStep } from './outcome.js';
import { listMappings, type FlatMapping } from './mapping/formats.js';
import { causeInfo, type CauseKind, type ErrorGroup } from './patterns.js';
import { connectionInApp } from './web-app.js';
import { ms, truncate } from './util.js';

const DAY = 86_400_000;
/** A change this close before the first error is a suspect. */
const SUSPECT_WINDOW_MS = DAY;
/** A mapping edit undone by one update_mapping step at most this large; a larger one is for its review or backup. */
export const MAX_UNDO_CHANGES = 20;

/** Celigo data (names, messages) in our sentences goes in quotes: it is data, never instructions. */
const q = (v: unknown): string => JSON.stringify(String(v ?? ''));

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

export interface StepFinding {
  stepId: string;
  kind: 'export' | 'import';
  name?: string;
  connection?: { connectionId: string; name?: string; ok: boolean; code?: number; message?: string };
}

export type TroubleGroup = ErrorGroup & { stepName?: string; changedBefore?: ChangeEvent };

export interface TroubleTarget {
  type: 'job' | 'flow' | 'integration';
  id: string;
  name?: string;
}

export interface LikelyCause {
  cause: CauseKind;
  label: string;
  fix: string;
  pattern?: string;
  stepId?: string;
  evidence: string[];
}

/** What was gathered, as the judge needs it. */
export interface TroubleFacts {
  target: TroubleTarget;
  /** Status of the job troubleshot (a failed job without errors still gets a likely cause). */
  jobStatus?: string;
  flows: Flow[];
  /** Error groups, largest first (groupErrors). */
  groups: ErrorGroup[];
  steps: StepFinding[];
  /** Changes in the lookback window, newest first. */
  changes: ChangeEvent[];
  /** When the errors began (firstErrorTime). */
  firstErrorAt: number;
}

export interface TroubleJudgement {
  groups: TroubleGroup[];
  /** The changes, with their minutes before the first error. */
  changes: ChangeEvent[];
  suspect?: ChangeEvent;
  likely?: LikelyCause;
  next: NextStep[];
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

export function isMappingChange(c: ChangeEvent): boolean {
  return c.fields.some((f) => /^(mapping|mappings)(\.|$)/.test(f));
}

/** " (what it did)" after a change: its mapping effect, else up to five changed fields, else nothing; at most 300 characters. */
function changeDetail(c: ChangeEvent): string {
  return c.mappingEffect ? ` (${truncate(describeEffect(c.mappingEffect), 300)})` : c.fields.length ? ` (${truncate(c.fields.slice(0, 5).join(', '), 300)})` : '';
}

const minutesBefore = (first: number, at: string): number => Math.round((first - (ms(at) ?? 0)) / 60_000);

/** When the errors began: the earliest group, else the job's creation, else now. */
export function firstErrorTime(groups: readonly ErrorGroup[], jobCreatedAt: string | undefined, now: number): number {
  if (groups.length) return Math.min(...groups.map((g) => ms(g.firstSeen) ?? Infinity));
  return ms(jobCreatedAt) ?? now;
}

/** The window to read changes in: `lookbackDays` before the first error, up to the last error. */
export function changeWindow(groups: readonly ErrorGroup[], firstErrorAt: number, lookbackDays = 7): { from: number; to: number } {
  return { from: firstErrorAt - lookbackDays * DAY, to: Math.max(...groups.map((g) => ms(g.lastSeen) ?? 0), firstErrorAt) };
}

/** Ids whose change may explain a group: its step, its flow and the step's connection. */
export function relatedIds(g: ErrorGroup, steps: readonly StepFinding[]): Set<string> {
  const connectionId = steps.find((s) => s.stepId === g.stepId)?.connection?.connectionId;
  return new Set([g.stepId, g.flowId, connectionId].filter(Boolean) as string[]);
}

/**
 * The change to blame for a group: the latest change to a related resource at most a day before the
 * group's first error; for a mapping-cause group, a mapping change comes before any other.
 */
export function suspectChange(g: ErrorGroup, changes: readonly ChangeEvent[], related: Set<string>, firstErrorAt: number): ChangeEvent | undefined {
  const first = ms(g.firstSeen) ?? firstErrorAt;
  const mappingFirst = (c: ChangeEvent) => Number(isMappingChange(c) && g.cause === 'mapping');
  const hit = changes
    .filter((c) => related.has(c.resourceId) && (ms(c.at) ?? 0) <= first && first - (ms(c.at) ?? 0) <= SUSPECT_WINDOW_MS)
    .sort((a, b) => mappingFirst(b) - mappingFirst(a) || b.at.localeCompare(a.at))[0];
  return hit ? { ...hit, minutesBeforeFirstError: minutesBefore(first, hit.at) } : undefined;
}

/** Likely cause: a failed connection test on the top group's step outranks the message. */
export function likelyCause(top: TroubleGroup | undefined, steps: readonly StepFinding[], jobFailed: boolean): LikelyCause | undefined {
  if (!top && !jobFailed) return undefined;
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
    evidence.push(`${c.resourceType} ${q(c.resourceName ?? c.resourceId)} was changed${c.by ? ` by ${c.by}` : ''} ${c.minutesBeforeFirstError} min before the first error${changeDetail(c)}`);
    if (isMappingChange(c) && (cause === 'validation' || cause === 'unknown')) cause = 'mapping';
  }
  const info = causeInfo(cause, st?.connection?.name);
  return { cause, label: info.label, fix: info.fix, pattern: top?.pattern, stepId: top?.stepId, evidence };
}

/** Mapping changes that put back what a mapping edit removed or changed. */
function undoMapping(eff: MappingEffect): Record<string, unknown>[] {
  const source = (was: string) => (was.startsWith('"') ? { hardCodedValue: was.slice(1, -1) } : { extract: was });
  return [
    ...eff.removed.filter((r) => r.was).map((r) => ({ op: 'add', generate: r.generate, ...source(r.was!) })),
    ...eff.changed.filter((c) => c.was).map((c) => ({ op: 'change', generate: c.generate, ...source(c.was!) })),
  ];
}

/** Where to look at a changed resource: the object itself (a connection: its test). */
function reviewStep(c: ChangeEvent): NextStep {
  const why = `review the change to ${c.resourceType} ${c.resourceName ?? c.resourceId} at ${c.at}${changeDetail(c)}; revert it if it caused the errors`;
  return c.resourceType === 'connection'
    ? { op: 'test_connection', args: { connection: c.resourceId }, why }
    : { op: `get_${c.resourceType}`, args: { [c.resourceType]: c.resourceId }, why };
}

/** Undoing the suspect change: from our backup, else by looking at it; a mapping edit can be put back. */
function undoSteps(suspect: ChangeEvent, flows: readonly Flow[]): NextStep[] {
  const out: NextStep[] = suspect.backupId
    ? [
        { op: 'diff_backup', args: { id: suspect.backupId }, why: 'see what the change made just before the errors did' },
        { op: 'restore_backup', args: { id: suspect.backupId }, why: 'undo the change made just before the errors' },
      ]
    : [reviewStep(suspect)];
  const eff = suspect.mappingEffect;
  const flowOfStep = flows.find((f) => flowSteps(f).some((st) => st.id === suspect.resourceId));
  const undo = eff && flowOfStep && (eff.removed.length || eff.changed.length) ? undoMapping(eff) : [];
  if (flowOfStep && undo.length && undo.length <= MAX_UNDO_CHANGES) {
    out.push({ op: 'update_mapping', args: { flow: flowOfStep._id, import: suspect.resourceId, changes: undo, dryRun: true }, why: 'put the mapping back as it was (a dry run on a sample first; then again for real)' });
  }
  return out;
}

/** What to do next: undo the suspect change, fix a failed connection or the mapping, then retry. */
export function nextSteps(j: { target: TroubleTarget; flows: readonly Flow[]; groups: readonly TroubleGroup[]; steps: readonly StepFinding[]; suspect?: ChangeEvent; likely?: LikelyCause }): NextStep[] {
  const { target, groups, suspect, likely } = j;
  const out: NextStep[] = suspect ? undoSteps(suspect, j.flows) : [];
  if (likely?.cause === 'auth' || likely?.cause === 'connection') {
    const c = j.steps.find((s) => s.connection && !s.connection.ok)?.connection;
    if (c) out.push({ op: 'test_connection', args: { connection: c.connectionId }, why: `after fixing connection ${c.name ?? c.connectionId} (credentials or online state; ${connectionInApp(c.name ?? c.connectionId)})` });
  }
  const top = groups[0];
  if (likely?.cause === 'mapping' && top?.flowId && !out.some((n) => n.op === 'update_mapping')) {
    const onImport = j.steps.some((s) => s.stepId === top.stepId && s.kind === 'import');
    out.push({ op: 'get_mapping', args: { flow: top.flowId, ...(onImport ? { import: top.stepId } : {}) }, why: 'see the mapping against a sample record; then fix it with update_mapping, a dry run first' });
  }
  if (groups.length) {
    const scope = target.type === 'integration' ? { integration: target.id } : { flow: target.type === 'flow' ? target.id : top.flowId };
    const why = groups.some((g) => g.retry === 'now') ? 'the transient errors should succeed now' : 'after the fix';
    out.push(target.type === 'job' ? { op: 'retry_job', args: { job: target.id }, why } : { op: 'retry_failed_jobs', args: scope, why });
    if (groups.some((g) => g.retry === 'no')) out.push({ op: 'clear_errors', args: scope, why: 'once the source records of the errors the target rejected as data are corrected' });
  }
  return out;
}

/** The whole judgement: step names and suspect changes on the groups, the likely cause, the next steps. */
export function judgeTrouble(f: TroubleFacts): TroubleJudgement {
  const changes = f.changes.map((c) => ({ ...c, minutesBeforeFirstError: minutesBefore(f.firstErrorAt, c.at) }));
  const groups: TroubleGroup[] = f.groups.map((g) => {
    const step = f.steps.find((s) => s.stepId === g.stepId);
    // The fix of a connection cause names the step's connection, and so where to fix it in the web app.
    const named: TroubleGroup = { ...g, fix: causeInfo(g.cause, step?.connection?.name).fix, stepName: step?.name };
    const hit = suspectChange(named, changes, relatedIds(named, f.steps), f.firstErrorAt);
    return hit ? { ...named, changedBefore: hit } : named;
  });
  const suspect = groups.find((g) => g.changedBefore)?.changedBefore;
  const likely = likelyCause(groups[0], f.steps, f.jobStatus === 'failed');
  return { groups, changes, suspect, likely, next: nextSteps({ target: f.target, flows: f.flows, groups, steps: f.steps, suspect, likely }) };
}
