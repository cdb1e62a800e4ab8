// Which source object is which target object (issue 16 item 1), never by _id, which differs between
// accounts: what the last promotion remembered, else a flow's name, and a step's position in its flow (with
// its kind). And which target connection stands for each source connection (item 2): one named on the
// command, else the one of the same name, else the only one of the same type. Secrets never travel.
import type { Connection } from '../../core/schemas.js';
import { flowSteps } from '../../core/flows.js';
import { UsageError } from '../../core/errors.js';
import type { Side, StoredMatches } from './read.js';
import { sourceTargetPairs } from '../util.js';

export interface Matches {
  /** Source flow id -> target flow id, for the flows found on both sides. */
  flows: Map<string, string>;
  /** Source export/import id -> target id, for the steps found on both sides. */
  steps: Map<string, string>;
  /** Source connection id -> target connection id. */
  connections: Map<string, string>;
  /** How each source connection was matched, for the plan. */
  connectionLines: string[];
}

/** Flows and steps matched: remembered ids still there first, then names and positions. */
export function matchObjects(src: Side, tgt: Side, stored: StoredMatches | undefined): Pick<Matches, 'flows' | 'steps'> {
  const flows = new Map<string, string>();
  const steps = new Map<string, string>();
  const tgtFlows = new Map(tgt.flows.map((f) => [f._id, f]));
  const taken = new Set<string>();
  const remembered = (id: string, exists: (t: string) => boolean) => {
    const t = stored?.ids[id];
    return t && exists(t) && !taken.has(t) ? t : undefined;
  };
  for (const f of src.flows) {
    const byName = tgt.flows.filter((t) => t.name === f.name && !taken.has(t._id));
    const t = remembered(f._id, (id) => tgtFlows.has(id)) ?? (byName.length === 1 ? byName[0]._id : undefined);
    if (byName.length > 1 && !t) throw new UsageError(`"${tgt.label}" has ${byName.length} flows named "${f.name}" in this integration; rename one so the promotion knows which is which.`);
    if (!t) continue;
    flows.set(f._id, t);
    taken.add(t);
  }
  for (const f of src.flows) {
    const t = flows.get(f._id);
    const srcSteps = flowSteps(f);
    const tgtSteps = t ? flowSteps(tgtFlows.get(t)!) : [];
    srcSteps.forEach((st, i) => {
      if (steps.has(st.id)) return;
      const again = remembered(st.id, (id) => tgt.steps.has(id));
      const there = tgtSteps[i];
      const id = again ?? (there && there.kind === st.kind && !taken.has(there.id) ? there.id : undefined);
      if (!id) return;
      steps.set(st.id, id);
      taken.add(id);
    });
  }
  return { flows, steps };
}

/** --map's "source=target" pairs (names or ids). */
export const mapPairs = (pairs: readonly string[]) => sourceTargetPairs(pairs, '--map', ' connection names or ids, e.g. "NetSuite Sandbox=NetSuite Production"');

const find = (list: Connection[], q: string) => list.find((c) => c._id === q) ?? list.find((c) => c.name === q) ?? list.find((c) => c.name?.toLowerCase() === q.toLowerCase());

/** The target connection of every source connection the source steps use; one without a match stops the promotion. */
export function matchConnections(src: Side, tgt: Side, pairs: readonly [string, string][]): Pick<Matches, 'connections' | 'connectionLines'> {
  const used = new Set<string>();
  for (const { doc } of src.steps.values()) if (typeof doc._connectionId === 'string') used.add(doc._connectionId);
  const asked = new Map<string, Connection>();
  for (const [a, b] of pairs) {
    const s = find(src.connections, a);
    if (!s) throw new UsageError(`--map: "${a}" is not a connection of "${src.label}".`);
    const t = find(tgt.connections, b);
    if (!t) throw new UsageError(`--map: "${b}" is not a connection of "${tgt.label}".`);
    asked.set(s._id, t);
  }
  const connections = new Map<string, string>();
  const connectionLines: string[] = [];
  const missing: string[] = [];
  for (const id of used) {
    const s = src.connections.find((c) => c._id === id);
    const label = s ? `"${s.name}"${s.type ? ` (${s.type})` : ''}` : id;
    const sameType = s?.type ? tgt.connections.filter((c) => c.type === s.type) : [];
    const t = asked.get(id) ?? (s ? tgt.connections.find((c) => c.name === s.name) : undefined) ?? (sameType.length === 1 ? sameType[0] : undefined);
    if (!t) {
      missing.push(label);
      continue;
    }
    connections.set(id, t._id);
    const how = asked.has(id) ? 'as mapped' : t.name === s?.name ? 'same name' : 'the only one of its type';
    connectionLines.push(`connection ${label} -> "${t.name}" (${how})`);
  }
  if (missing.length) {
    throw new UsageError(
      `No connection of "${tgt.label}" matches ${missing.join(', ')} of "${src.label}" (by name, or as the only one of its type). ` +
        'Nothing was written. Map each with --map "source=target" (names or ids); connections are mapped, never copied.',
    );
  }
  return { connections, connectionLines };
}
