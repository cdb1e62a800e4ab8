// "Resources using or used by" a resource (celigo-api.md §3.4; the response shape is a best guess, §11).
import { flowResourceIds } from './flow-steps.js';
import type { Kind, Rec, Store } from './store.js';

export interface Dependencies {
  integrations: { _id: string; name: unknown }[];
  flows: { _id: string; name: unknown }[];
  exports: { _id: string; name: unknown }[];
  imports: { _id: string; name: unknown }[];
  connections: { _id: string; name: unknown }[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function dependencies(store: Store, kind: Kind, rec: Rec): Dependencies {
  const sets = {
    integrations: new Set<string>(),
    flows: new Set<string>(),
    exports: new Set<string>(),
    imports: new Set<string>(),
    connections: new Set<string>(),
  };
  const addFlow = (f: Rec, withSteps: boolean): void => {
    sets.flows.add(f._id);
    const i = str(f._integrationId);
    if (i) sets.integrations.add(i);
    if (!withSteps) return;
    const ids = flowResourceIds(f);
    ids.exports.forEach((x) => sets.exports.add(x));
    ids.imports.forEach((x) => sets.imports.add(x));
  };
  const addConnectionsOfSteps = (): void => {
    for (const id of sets.exports) { const c = str(store.exports.get(id)?._connectionId); if (c) sets.connections.add(c); }
    for (const id of sets.imports) { const c = str(store.imports.get(id)?._connectionId); if (c) sets.connections.add(c); }
  };

  switch (kind) {
    case 'integrations': {
      for (const f of store.flows.values()) if (f._integrationId === rec._id) addFlow(f, true);
      sets.integrations.delete(rec._id);
      addConnectionsOfSteps();
      for (const c of Array.isArray(rec._registeredConnectionIds) ? rec._registeredConnectionIds : []) if (typeof c === 'string') sets.connections.add(c);
      break;
    }
    case 'flows': {
      addFlow(rec, true);
      sets.flows.delete(rec._id);
      addConnectionsOfSteps();
      for (const id of Array.isArray(rec._runNextFlowIds) ? rec._runNextFlowIds : []) if (typeof id === 'string') sets.flows.add(id);
      for (const f of store.flows.values()) {
        if (Array.isArray(f._runNextFlowIds) && f._runNextFlowIds.includes(rec._id)) sets.flows.add(f._id);
      }
      break;
    }
    case 'exports':
    case 'imports': {
      for (const f of store.flows.values()) {
        const ids = flowResourceIds(f);
        if ((kind === 'exports' ? ids.exports : ids.imports).includes(rec._id)) addFlow(f, false);
      }
      const c = str(rec._connectionId);
      if (c) sets.connections.add(c);
      break;
    }
    case 'connections': {
      for (const e of store.exports.values()) if (e._connectionId === rec._id) sets.exports.add(e._id);
      for (const i of store.imports.values()) if (i._connectionId === rec._id) sets.imports.add(i._id);
      for (const f of store.flows.values()) {
        const ids = flowResourceIds(f);
        if (ids.exports.some((x) => sets.exports.has(x)) || ids.imports.some((x) => sets.imports.has(x))) addFlow(f, false);
      }
      for (const i of store.integrations.values()) {
        if (Array.isArray(i._registeredConnectionIds) && i._registeredConnectionIds.includes(rec._id)) sets.integrations.add(i._id);
      }
      break;
    }
    case 'tags':
      break;
  }
  const named = (k: Kind, ids: Set<string>) =>
    [...ids].map((id) => store.get(k, id)).filter((r): r is Rec => !!r).map((r) => ({ _id: r._id, name: r.name }));
  return {
    integrations: named('integrations', sets.integrations),
    flows: named('flows', sets.flows),
    exports: named('exports', sets.exports),
    imports: named('imports', sets.imports),
    connections: named('connections', sets.connections),
  };
}

/** Entries carry `id` as Celigo's web app reads them (celigo-api.md W7); `legacy` keeps the older `_id`. */
export function renderDependencies(d: Dependencies, legacy = false): Record<string, { id?: string; _id?: string; name: unknown }[]> {
  const out: Record<string, { id?: string; _id?: string; name: unknown }[]> = {};
  for (const [k, list] of Object.entries(d)) out[k] = list.map((e: { _id: string; name: unknown }) => (legacy ? { _id: e._id, name: e.name } : { id: e._id, name: e.name }));
  return out;
}
