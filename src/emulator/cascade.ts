// Deleting a flow with what hangs off it.
import { flowResourceIds } from './flow-steps.js';
import type { Rec, Store } from './store.js';

/** Deletes a flow, its errors, and (withSteps) the exports and imports no other flow uses. */
export function deleteFlowCascade(store: Store, flow: Rec, by: string, withSteps = true): void {
  store.remove('flows', flow._id, by);
  store.errors.dropFlow(flow._id);
  store.hidden.flowProfiles.delete(flow._id);
  if (!withSteps) return;
  const ids = flowResourceIds(flow);
  const stillUsed = { exports: new Set<string>(), imports: new Set<string>() };
  for (const f of store.flows.values()) {
    const u = flowResourceIds(f);
    u.exports.forEach((x) => stillUsed.exports.add(x));
    u.imports.forEach((x) => stillUsed.imports.add(x));
  }
  for (const id of ids.exports) if (!stillUsed.exports.has(id)) store.remove('exports', id, by);
  for (const id of ids.imports) if (!stillUsed.imports.has(id)) store.remove('imports', id, by);
}

