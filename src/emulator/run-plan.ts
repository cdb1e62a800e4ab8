// Planning a flow run: everything decided when the run is created, from a PRNG seeded by the flow id and
// its run number, the flow's hidden profile, and the hidden health of its connections and mappings.
import { type ErrorPattern, type FlowProfile, PATTERNS, authPatternFor } from './behaviour.js';
import { type FlowStep, flowSteps } from './flow-steps.js';
import { Rng, hash32, mix32 } from './rng.js';
import type { Rec, Store } from './store.js';

export const PAGE_SIZE = 50;

export function defaultProfile(flowId: string): FlowProfile {
  const h = hash32(flowId);
  return { volume: [5 + (h % 20), 40 + (h % 80)], durationMs: 2000 + (h % 4000), targets: [], ignoreRate: 0.1 };
}

export interface StepOutcome {
  step: FlowStep;
  failure?: ErrorPattern;
  errors: { pattern: ErrorPattern; count: number }[];
  ignored: number;
}

function stepResource(store: Store, step: { stepId: string; kind: 'export' | 'import' }): Rec | undefined {
  return step.kind === 'export' ? store.exports.get(step.stepId) : store.imports.get(step.stepId);
}

export function connectionFailure(store: Store, res: Rec | undefined): ErrorPattern | undefined {
  if (!res) return PATTERNS.missingResource;
  const cid = res._connectionId;
  if (typeof cid !== 'string') return undefined;
  const conn = store.connections.get(cid);
  if (!conn) return PATTERNS.missingResource;
  if (conn.offline === true) return PATTERNS.offline;
  if (store.hidden.badCredentials.has(cid)) return authPatternFor(typeof conn.type === 'string' ? conn.type : undefined);
  return undefined;
}

function planSteps(store: Store, steps: FlowStep[], profile: FlowProfile, records: number, rng: Rng): StepOutcome[] {
  return steps.map((step) => {
    const out: StepOutcome = { step, errors: [], ignored: 0 };
    const failure = connectionFailure(store, stepResource(store, step));
    if (failure) {
      out.failure = failure;
      return out;
    }
    let budget = records;
    const broken = step.kind === 'import' ? store.hidden.brokenMappings.get(step.stepId) : undefined;
    if (broken) {
      const n = Math.min(budget, Math.max(1, Math.round((records * rng.int(15, 40)) / 100)));
      out.errors.push({ pattern: PATTERNS[broken], count: n });
      budget -= n;
    }
    for (const t of profile.targets) {
      if (t.stepId !== step.stepId || budget <= 0) continue;
      if (rng.chance(t.p)) {
        const n = Math.min(budget, rng.int(t.min, t.max));
        if (n > 0) out.errors.push({ pattern: PATTERNS[t.pattern], count: n });
        budget -= n;
      }
    }
    if (!step.pg && step.kind === 'import' && budget > 0 && rng.chance(profile.ignoreRate)) out.ignored = Math.min(budget, rng.int(1, 3));
    return out;
  });
}

/** Everything about a run that is decided when it is created: its steps, volume and each step's outcome. */
export interface RunPlan {
  flowId: string;
  pgs: FlowStep[];
  profile: FlowProfile;
  /** Seeded by the flow id and run number; the timeline draws trace keys from it as the run plays out. */
  rng: Rng;
  records: number;
  pages: number;
  pgPlan: StepOutcome[];
  ppPlan: StepOutcome[];
}

export function planRun(store: Store, flow: Rec, exportIds?: string[]): RunPlan {
  const flowId = flow._id;
  const all = flowSteps(flow);
  const pgs = all.filter((s) => s.pg && (!exportIds || exportIds.includes(s.stepId)));
  const pps = all.filter((s) => !s.pg);
  const profile = store.hidden.flowProfiles.get(flowId) ?? defaultProfile(flowId);
  const runNo = store.jobs.byFlow.get(flowId)?.length ?? 0;
  const rng = new Rng(hash32(flowId) ^ mix32(runNo + 1));
  const records = rng.int(profile.volume[0], profile.volume[1]) * Math.max(1, pgs.length);
  const pages = Math.max(1, Math.ceil(records / PAGE_SIZE));
  const pgPlan = planSteps(store, pgs, profile, records, rng);
  const ppPlan = planSteps(store, pps, profile, records, rng);
  return { flowId, pgs, profile, rng, records, pages, pgPlan, ppPlan };
}
