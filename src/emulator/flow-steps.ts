// The steps of a flow in execution order: page generators (oIndex 0), then page processors (oIndex 1..n),
// router branches flattened in order (celigo-api.md §3.2, §6.3).
import type { Rec } from './store.js';

export interface FlowStep {
  stepId: string;
  kind: 'export' | 'import';
  /** 0 for page generators, 1..n for processors (an integer in jobs, a string in errors). */
  oIndex: number;
  pg: boolean;
}

type Obj = Record<string, unknown>;
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object') as Obj[]) : []);

export function pageProcessorRefs(flow: Rec): Obj[] {
  const out: Obj[] = [...arr(flow.pageProcessors)];
  for (const r of arr(flow.routers)) for (const b of arr(r.branches)) out.push(...arr(b.pageProcessors));
  return out;
}

const cache = new WeakMap<Rec, FlowStep[]>();

/** Cached per flow object: stored flows are replaced, never edited, when their steps change. */
export function flowSteps(flow: Rec): FlowStep[] {
  let steps = cache.get(flow);
  if (!steps) cache.set(flow, (steps = computeSteps(flow)));
  return steps;
}

function computeSteps(flow: Rec): FlowStep[] {
  const steps: FlowStep[] = [];
  for (const pg of arr(flow.pageGenerators)) {
    if (typeof pg._exportId === 'string') steps.push({ stepId: pg._exportId, kind: 'export', oIndex: 0, pg: true });
  }
  // Legacy single-step flows carry _exportId/_importId at the top level (§3.2).
  if (steps.length === 0 && typeof flow._exportId === 'string') steps.push({ stepId: flow._exportId, kind: 'export', oIndex: 0, pg: true });
  let i = 1;
  for (const pp of pageProcessorRefs(flow)) {
    const isImport = pp.type === 'import' || (pp.type === undefined && typeof pp._importId === 'string');
    const id = isImport ? pp._importId : pp._exportId;
    if (typeof id === 'string') steps.push({ stepId: id, kind: isImport ? 'import' : 'export', oIndex: i++, pg: false });
  }
  if (!arr(flow.pageProcessors).length && !arr(flow.routers).length && typeof flow._importId === 'string') {
    steps.push({ stepId: flow._importId, kind: 'import', oIndex: i, pg: false });
  }
  return steps;
}

/** Export and import ids a flow uses. */
export function flowResourceIds(flow: Rec): { exports: string[]; imports: string[] } {
  const exports = new Set<string>();
  const imports = new Set<string>();
  for (const s of flowSteps(flow)) (s.kind === 'export' ? exports : imports).add(s.stepId);
  return { exports: [...exports], imports: [...imports] };
}
