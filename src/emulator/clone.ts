// Cloning flows and integrations the way Celigo's web app does it (celigo-api.md W6): GET …/clone/preview
// lists what a clone copies, the POST must map every previewed connection (connectionMap) and answers the
// list of created components [{model, _id, name}]. Copies of the flows, exports and imports get new ids;
// connections are never copied, only swapped through the map. Clones come back disabled so they do not
// run on their schedule before someone checks them.
import { flowSteps } from './flow-steps.js';
import { ApiError } from './respond.js';
import type { Rec, Store } from './store.js';

const SERVER_FIELDS = ['_id', 'createdAt', 'lastModified', 'lastModifiedBy', 'lastExecutedAt', 'apiIdentifier', 'queues'];

export type CloneModel = 'Integration' | 'Flow' | 'Export' | 'Import' | 'Connection';
export interface CloneComponent {
  model: CloneModel;
  _id: string;
  name?: string;
}

/** What a clone of one integration or flow copies (and which connections it needs mapped). */
export interface ClonePlan {
  integration?: Rec;
  flows: Rec[];
  exports: Rec[];
  imports: Rec[];
  connections: Rec[];
}

function copyFields(rec: Rec): Record<string, unknown> {
  const out = structuredClone(rec) as Record<string, unknown>;
  for (const k of SERVER_FIELDS) delete out[k];
  return out;
}

/** Connections the flow's steps use. */
export function flowConnectionIds(store: Store, flow: Rec): string[] {
  const ids = new Set<string>();
  for (const s of flowSteps(flow)) {
    const r = s.kind === 'export' ? store.exports.get(s.stepId) : store.imports.get(s.stepId);
    if (typeof r?._connectionId === 'string') ids.add(r._connectionId);
  }
  return [...ids];
}

function planOf(store: Store, flows: Rec[], integration?: Rec): ClonePlan {
  const exports = new Map<string, Rec>();
  const imports = new Map<string, Rec>();
  const connIds = new Set<string>();
  const registered = integration && Array.isArray(integration._registeredConnectionIds) ? integration._registeredConnectionIds : [];
  for (const c of registered) if (typeof c === 'string') connIds.add(c);
  for (const f of flows) {
    for (const s of flowSteps(f)) {
      const rec = s.kind === 'export' ? store.exports.get(s.stepId) : store.imports.get(s.stepId);
      if (!rec) continue;
      (s.kind === 'export' ? exports : imports).set(rec._id, rec);
      if (typeof rec._connectionId === 'string') connIds.add(rec._connectionId);
    }
  }
  const connections = [...connIds].map((id) => store.connections.get(id)).filter((c): c is Rec => !!c);
  return { integration, flows, exports: [...exports.values()], imports: [...imports.values()], connections };
}

export function integrationClonePlan(store: Store, integ: Rec): ClonePlan {
  return planOf(store, [...store.flows.values()].filter((f) => f._integrationId === integ._id), integ);
}

export function flowClonePlan(store: Store, flow: Rec): ClonePlan {
  return planOf(store, [flow]);
}

/**
 * The preview answer: `{objects:[{model, doc}]}`, the shape Celigo's web app reads (src/utils/template.js
 * groups `objects` by `obj.model` and keeps `obj.doc`; its tests use `{objects:[{model, doc:{_id, name}}]}`).
 * The docs are whole objects; secrets are masked on the way out like every other answer.
 */
export function clonePreview(plan: ClonePlan): { objects: { model: CloneModel; doc: Rec }[] } {
  const objects: { model: CloneModel; doc: Rec }[] = [];
  if (plan.integration) objects.push({ model: 'Integration', doc: plan.integration });
  for (const doc of plan.flows) objects.push({ model: 'Flow', doc });
  for (const doc of plan.exports) objects.push({ model: 'Export', doc });
  for (const doc of plan.imports) objects.push({ model: 'Import', doc });
  for (const doc of plan.connections) objects.push({ model: 'Connection', doc });
  return { objects };
}

/** 400 invalid_connectionMap unless the map sends every previewed connection to a connection that exists. */
export function checkConnectionMap(store: Store, plan: ClonePlan, map: Record<string, string> | undefined, what: string): Record<string, string> {
  const m = map ?? {};
  const missing = plan.connections.filter((c) => !m[c._id]).map((c) => c._id);
  if (missing.length) {
    throw new ApiError(400, 'invalid_connectionMap', `connectionMap must map every connection the ${what} uses (missing: ${missing.join(', ')}). Map an id to itself to reuse it.`, 'connectionMap');
  }
  const unknown = Object.entries(m).filter(([from, to]) => plan.connections.some((c) => c._id === from) && !store.connections.has(to));
  if (unknown.length) {
    throw new ApiError(400, unknown.map(([from, to]) => ({ code: 'invalid_connectionMap', message: `connectionMap maps ${from} to ${to}, which is not a connection of this account.`, field: `connectionMap.${from}` })));
  }
  return m;
}

export function cloneStep(store: Store, kind: 'exports' | 'imports', src: Rec, map: Record<string, string>, by: string, extra: Record<string, unknown> = {}): Rec {
  const body = copyFields(src);
  if (typeof body._connectionId === 'string' && map[body._connectionId]) body._connectionId = map[body._connectionId];
  if (kind === 'exports') body.asynchronous = true;
  const merged: Record<string, unknown> = { ...body, ...extra };
  for (const [k, v] of Object.entries(extra)) if (v === undefined) delete merged[k];
  const rec = store.create(kind, merged, by);
  rec.apiIdentifier = (kind === 'exports' ? 'e' : 'i') + rec._id.slice(-9);
  if (kind === 'imports' && store.hidden.brokenMappings.has(src._id)) store.hidden.brokenMappings.set(rec._id, store.hidden.brokenMappings.get(src._id)!);
  return rec;
}

function remapRefs(v: unknown, ids: Map<string, string>): unknown {
  if (Array.isArray(v)) return v.map((x) => remapRefs(x, ids));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      out[k] = (k === '_exportId' || k === '_importId') && typeof x === 'string' && ids.has(x) ? ids.get(x) : remapRefs(x, ids);
    }
    return out;
  }
  return v;
}

const component = (model: CloneModel, rec: Rec): CloneComponent => ({ model, _id: rec._id, ...(typeof rec.name === 'string' ? { name: rec.name } : {}) });

/** Copies a flow and its steps; every created object is appended to `made`. */
export function cloneFlow(
  store: Store,
  flow: Rec,
  opts: { integrationId?: string; name?: string; connectionMap: Record<string, string>; by: string; extra?: Record<string, unknown>; made?: CloneComponent[] },
): Rec {
  const made = opts.made ?? [];
  const steps: CloneComponent[] = [];
  const ids = new Map<string, string>();
  for (const s of flowSteps(flow)) {
    if (ids.has(s.stepId)) continue;
    const kind = s.kind === 'export' ? 'exports' : 'imports';
    const src = store.get(kind, s.stepId);
    if (!src) continue;
    // A step that belonged to the source flow's integration belongs to the copy's.
    const extra = typeof src._integrationId === 'string' ? { _integrationId: opts.integrationId } : {};
    const rec = cloneStep(store, kind, src, opts.connectionMap, opts.by, extra);
    ids.set(s.stepId, rec._id);
    steps.push(component(kind === 'exports' ? 'Export' : 'Import', rec));
  }
  const body = remapRefs(copyFields(flow), ids) as Record<string, unknown>;
  if (opts.integrationId) body._integrationId = opts.integrationId;
  else delete body._integrationId;
  body.name = opts.name ?? `Clone - ${String(flow.name)}`;
  body.disabled = true;
  delete body._runNextFlowIds;
  const rec = store.create('flows', { ...body, ...opts.extra }, opts.by);
  const profile = store.hidden.flowProfiles.get(flow._id);
  if (profile) store.hidden.flowProfiles.set(rec._id, { ...profile, targets: profile.targets.map((t) => ({ ...t, stepId: ids.get(t.stepId) ?? t.stepId })) });
  made.push(component('Flow', rec), ...steps);
  return rec;
}

/** Copies an integration with its flows and their steps; answers every created component, the integration first. */
export function cloneIntegration(store: Store, src: Rec, opts: { name?: string; tag?: string; sandbox?: boolean; connectionMap: Record<string, string>; by: string }): CloneComponent[] {
  const body = copyFields(src);
  body.name = opts.name ?? `Clone - ${String(src.name)}`;
  if (opts.tag !== undefined) body.tag = opts.tag;
  if (opts.sandbox !== undefined) body.sandbox = opts.sandbox;
  if (Array.isArray(body._registeredConnectionIds)) {
    body._registeredConnectionIds = body._registeredConnectionIds.map((c) => (typeof c === 'string' && opts.connectionMap[c]) || c);
  }
  const integ = store.create('integrations', body, opts.by);
  const made: CloneComponent[] = [component('Integration', integ)];
  for (const f of integrationClonePlan(store, src).flows) {
    cloneFlow(store, f, { integrationId: integ._id, name: String(f.name), connectionMap: opts.connectionMap, by: opts.by, made });
  }
  return made;
}
