// The plan of a promotion (issue 16 item 3): field by field, what the target would become, in the form of
// `backups diff` (path, before = the target's value, after = the source's). Fields that must differ
// between accounts are left out by rule (RULES below, docs/decisions.md "Promotion"); ids that point at
// other objects (a flow's steps, a step's connection) are compared through the matches.
import { flowSteps } from '../../core/flows.js';
import { diffValues, type FieldDiff } from '../backups/diff.js';
import { digestOf } from '../util.js';
import type { Matches } from './match.js';
import type { Doc, Side, StepKind } from './read.js';

/** Left out of every comparison: set by the server, or the account's own. */
const SERVER_FIELDS = ['_id', 'lastModified', 'lastModifiedBy', 'createdAt', 'lastExecutedAt', 'apiIdentifier', 'sandbox', 'queues', '_integrationId', '_flowGroupingId'];
/** Left out of a flow's comparison: whether it runs is each account's choice; with --keep-schedules, when. */
const FLOW_FIELDS = ['disabled', 'free', '_templateId'];
const SCHEDULE_FIELDS = ['schedule', 'timezone'];

export interface PlanOptions {
  keepSchedules?: boolean;
}

export interface Change {
  type: 'flow' | StepKind;
  /** The target object. */
  id: string;
  name?: string;
  /** The target's lastModified when planned: a write checks it has not moved. */
  lastModified?: string;
  fields: FieldDiff[];
}

export interface Addition {
  type: 'flow' | StepKind;
  /** The source object it copies. */
  sourceId: string;
  name?: string;
}

export interface PromotionPlan {
  from: { account: string; integrationId: string; name: string };
  to: { account: string; integrationId: string; name: string };
  connections: string[];
  changes: Change[];
  additions: Addition[];
  /** Flows of the target integration that no source flow matches: left as they are. */
  onlyOnTarget: { id: string; name?: string }[];
  /** Digest of everything the plan would write and of the target state it was planned on. */
  digest: string;
}

function without(doc: Doc, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...doc };
  for (const f of fields) delete out[f];
  return out;
}

/** A source id as the target knows it: the matched or created id, or a stand-in for an object not there yet. */
export function targetIdOf(m: Pick<Matches, 'flows' | 'steps'>, id: string, created?: ReadonlyMap<string, string>): string {
  return m.steps.get(id) ?? m.flows.get(id) ?? created?.get(id) ?? `(new: ${id})`;
}

/** A flow's step references through `idOf` (pageGenerators, pageProcessors, routers' branches). */
function mapFlowRefs(flow: Record<string, unknown>, idOf: (id: string) => string): Record<string, unknown> {
  const refs = (list: unknown) =>
    Array.isArray(list)
      ? list.map((p: Record<string, unknown>) => ({
          ...p,
          ...(typeof p._exportId === 'string' ? { _exportId: idOf(p._exportId) } : {}),
          ...(typeof p._importId === 'string' ? { _importId: idOf(p._importId) } : {}),
        }))
      : list;
  const out: Record<string, unknown> = { ...flow, pageGenerators: refs(flow.pageGenerators), pageProcessors: refs(flow.pageProcessors) };
  if (Array.isArray(flow.routers)) {
    out.routers = (flow.routers as Record<string, unknown>[]).map((r) => ({
      ...r,
      branches: Array.isArray(r.branches) ? (r.branches as Record<string, unknown>[]).map((b) => ({ ...b, pageProcessors: refs(b.pageProcessors) })) : r.branches,
    }));
  }
  if (flow.pageGenerators === undefined) delete out.pageGenerators;
  if (flow.pageProcessors === undefined) delete out.pageProcessors;
  return out;
}

/** References the promotion maps (a flow's steps, a step's connection); any other `_…Id` names an object of one account. */
const MAPPED_REFS = new Set(['_exportId', '_importId', '_connectionId']);
const REF = /^_[A-Za-z]+Id$/;

/**
 * Leaves out references to objects the promotion does not carry (a hook's `_scriptId`, a `_stackId`, a lookup
 * cache's id…): their ids differ between accounts, so they would always differ, and writing the source's id into
 * the target would point at nothing there. They are left as the target has them.
 */
function withoutForeignRefs(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutForeignRefs);
  if (!v || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (!REF.test(k) || MAPPED_REFS.has(k)) out[k] = withoutForeignRefs(x);
  return out;
}

/** A source object as the target should hold it: rule fields out, references through the matches. */
export function comparable(type: 'flow' | StepKind, doc: Doc, o: PlanOptions, idOf?: (id: string) => string, connectionOf?: (id: string) => string): Record<string, unknown> {
  const rule = type === 'flow' ? [...SERVER_FIELDS, ...FLOW_FIELDS, ...(o.keepSchedules ? SCHEDULE_FIELDS : [])] : SERVER_FIELDS;
  let out = withoutForeignRefs(without(doc, rule)) as Record<string, unknown>;
  if (type === 'flow' && idOf) out = mapFlowRefs(out, idOf);
  if (type !== 'flow' && connectionOf && typeof out._connectionId === 'string') out._connectionId = connectionOf(out._connectionId);
  return out;
}

/** The plan: every matched object compared, every unmatched source flow and step added. */
export function planPromotion(src: Side, tgt: Side, m: Matches, o: PlanOptions): PromotionPlan {
  const changes: Change[] = [];
  const additions: Addition[] = [];
  const idOf = (id: string) => targetIdOf(m, id);
  const connectionOf = (id: string) => m.connections.get(id) ?? id;
  const tgtFlows = new Map(tgt.flows.map((f) => [f._id, f as Doc]));
  // The steps the source flows use (an integration may list exports no flow uses: those are not promoted).
  const used = new Set(src.flows.flatMap((f) => flowSteps(f).map((st) => st.id)));
  for (const [id, { kind, doc }] of src.steps) {
    if (!used.has(id)) continue;
    const tid = m.steps.get(id);
    const there = tid ? tgt.steps.get(tid) : undefined;
    if (!tid || !there) {
      additions.push({ type: kind, sourceId: id, name: doc.name });
      continue;
    }
    const fields = diffValues(comparable(kind, there.doc, o), comparable(kind, doc, o, undefined, connectionOf));
    if (fields.length) changes.push({ type: kind, id: tid, name: there.doc.name, lastModified: there.doc.lastModified, fields });
  }
  for (const f of src.flows) {
    const tid = m.flows.get(f._id);
    const there = tid ? tgtFlows.get(tid) : undefined;
    if (!tid || !there) {
      additions.push({ type: 'flow', sourceId: f._id, name: f.name });
      continue;
    }
    const fields = diffValues(comparable('flow', there, o), comparable('flow', f as Doc, o, idOf));
    if (fields.length) changes.push({ type: 'flow', id: tid, name: f.name, lastModified: there.lastModified, fields });
  }
  const matched = new Set(m.flows.values());
  const onlyOnTarget = tgt.flows.filter((f) => !matched.has(f._id)).map((f) => ({ id: f._id, name: f.name }));
  const from = { account: src.label, integrationId: src.integration._id, name: src.integration.name };
  const to = { account: tgt.label, integrationId: tgt.integration._id, name: tgt.integration.name };
  const digest = digestOf({ from, to, changes, additions, connections: [...m.connections] });
  return { from, to, connections: m.connectionLines, changes, additions, onlyOnTarget, digest };
}
