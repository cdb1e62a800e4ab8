// Cloning flows and integrations: copies of the flow, its exports and imports (new ids), with connections
// swapped through a connectionMap (celigo-api.md §2.3, §3.5). Clones come back disabled so they do not run
// on their schedule before someone checks them.
import { flowSteps } from './flow-steps.js';
import type { Rec, Store } from './store.js';

const SERVER_FIELDS = ['_id', 'createdAt', 'lastModified', 'lastModifiedBy', 'lastExecutedAt', 'apiIdentifier', 'queues'];

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

export function cloneStep(store: Store, kind: 'exports' | 'imports', src: Rec, map: Record<string, string>, by: string, extra: Record<string, unknown> = {}): Rec {
  const body = copyFields(src);
  if (typeof body._connectionId === 'string' && map[body._connectionId]) body._connectionId = map[body._connectionId];
  if (kind === 'exports') body.asynchronous = true;
  const rec = store.create(kind, { ...body, ...extra }, by);
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

export function cloneFlow(store: Store, flow: Rec, opts: { integrationId?: string; name?: string; connectionMap: Record<string, string>; by: string; extra?: Record<string, unknown> }): Rec {
  const ids = new Map<string, string>();
  for (const s of flowSteps(flow)) {
    if (ids.has(s.stepId)) continue;
    const kind = s.kind === 'export' ? 'exports' : 'imports';
    const src = store.get(kind, s.stepId);
    if (src) ids.set(s.stepId, cloneStep(store, kind, src, opts.connectionMap, opts.by)._id);
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
  return rec;
}

export function cloneIntegration(store: Store, src: Rec, opts: { name?: string; connectionMap: Record<string, string>; by: string }): Rec {
  const body = copyFields(src);
  body.name = opts.name ?? `Clone - ${String(src.name)}`;
  if (Array.isArray(body._registeredConnectionIds)) {
    body._registeredConnectionIds = body._registeredConnectionIds.map((c) => (typeof c === 'string' && opts.connectionMap[c]) || c);
  }
  const integ = store.create('integrations', body, opts.by);
  for (const f of [...store.flows.values()]) {
    if (f._integrationId === src._id) cloneFlow(store, f, { integrationId: integ._id, name: String(f.name), connectionMap: opts.connectionMap, by: opts.by });
  }
  return integ;
}
