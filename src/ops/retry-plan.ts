// Planning a bulk retry, with no I/O: which errors go in which batch per flow step, what is skipped and
// why, what will likely fail again, and the plan a person confirms (its digest covers every batch).
import type { ConfirmPlan } from './context.js';
import { makePlan, type ConfirmKind } from './confirm.js';
import { groupErrors, type ErrorGroup, type ScopedError } from './patterns.js';
import { problemLine, type ConnectionProblem } from './retry-connections.js';
import { runningText, type RunningRetry } from './retry-running.js';
import { byStep } from './scan.js';
import { chunk, plural } from './util.js';

/** Keys per retry request. The real limit is not documented; 200 keeps each request small. */
export const RETRY_BATCH = 200;

export const SKIP_NO_RETRY_DATA = 'no retry data';
export const SKIP_SAME_RECORD = 'same record as another selected error';

/** One retry request: retry data keys of one flow step. */
export interface Batch {
  flowId: string;
  stepId: string;
  keys: string[];
  /** Errors covered by these keys. */
  errors: number;
}

export interface FlowRow {
  flowId: string;
  name: string;
  errors: number;
  jobs: number;
}

export interface RetryPlan {
  scope: string;
  /** Open errors selected. */
  matched: number;
  batches: Batch[];
  /** Distinct retry data keys in all batches. */
  totalKeys: number;
  skippedReasons: Record<string, number>;
  skipped: number;
  flows: FlowRow[];
  /** Errors expected to fail again (the target rejected the data itself). */
  likelyToFailAgain: number;
  /** Connections that failed their test, with the errors waiting on them (held back unless forced). */
  connectionProblems: ConnectionProblem[];
  /** Flow jobs the selected errors belong to. */
  jobCount: number;
  /** Retry jobs still queued or running that hold selected errors' steps (those errors are left out). */
  runningRetries: RunningRetry[];
  /** What a person is asked to confirm before anything is posted, and how firmly. */
  confirm: { plan: ConfirmPlan; kind: ConfirmKind };
}

export interface PlanOptions {
  scope: string;
  kind: ConfirmKind;
  /** Reasons counted as skipped before planning (e.g. error ids that are not open). */
  skippedBefore?: Record<string, number>;
  /** Keys per batch (RETRY_BATCH unless a test says otherwise). */
  batchSize?: number;
  /** Why an error is left out before planning (e.g. its connection fails its test), or undefined. */
  hold?: (e: ScopedError) => string | undefined;
  /** Connections that failed their test (retry-connections.ts), for the preview. */
  connectionProblems?: ConnectionProblem[];
  /** Retry jobs still queued or running that hold back some selected errors (retry-running.ts), for the preview. */
  runningRetries?: RunningRetry[];
}

/**
 * Batches per step, every `flow/step/retryDataKey` once, in the order of the errors. Errors `hold` keeps
 * back, errors with no retry data, and errors of a record already selected, are counted in
 * `skippedReasons` (after `skippedBefore`, whose reasons come first).
 */
export function planBatches(
  errors: readonly ScopedError[],
  skippedBefore: Record<string, number> = {},
  batchSize = RETRY_BATCH,
  hold: (e: ScopedError) => string | undefined = () => undefined,
): { batches: Batch[]; skippedReasons: Record<string, number> } {
  const skippedReasons: Record<string, number> = { ...skippedBefore };
  const skip = (why: string) => (skippedReasons[why] = (skippedReasons[why] ?? 0) + 1);
  const seen = new Set<string>();
  const batches: Batch[] = [];
  for (const g of byStep(errors).values()) {
    const keys: string[] = [];
    for (const e of g.errors) {
      const held = hold(e);
      if (held) {
        skip(held);
        continue;
      }
      const k = e.retryDataKey;
      if (!k) {
        skip(SKIP_NO_RETRY_DATA);
        continue;
      }
      const full = `${g.flowId}/${g.stepId}/${k}`;
      if (seen.has(full)) {
        skip(SKIP_SAME_RECORD);
        continue;
      }
      seen.add(full);
      keys.push(k);
    }
    for (const part of chunk(keys, batchSize)) batches.push({ flowId: g.flowId, stepId: g.stepId, keys: part, errors: part.length });
  }
  return { batches, skippedReasons };
}

/** The batches of each step, steps in first-seen order: steps are posted in parallel, a step's batches in order. */
export function batchesPerStep(batches: readonly Batch[]): Batch[][] {
  const perStep = new Map<string, Batch[]>();
  for (const b of batches) {
    const k = `${b.flowId}/${b.stepId}`;
    perStep.set(k, [...(perStep.get(k) ?? []), b]);
  }
  return [...perStep.values()];
}

/** Per flow (in the order of the errors): its name, errors selected, and the flow jobs they belong to. */
export function flowRowsOf(errors: readonly ScopedError[], flows: ReadonlyMap<string, { name: string }>): FlowRow[] {
  const flowIds = [...new Map([...byStep(errors).values()].map((g) => [g.flowId, g.flowId])).keys()];
  return flowIds.map((flowId) => {
    const errs = errors.filter((e) => e.flowId === flowId);
    return { flowId, name: flows.get(flowId)?.name ?? flowId, errors: errs.length, jobs: new Set(errs.map((e) => e._flowJobId).filter(Boolean)).size };
  });
}

/** Errors whose cause says a retry will not help (the target rejected the data itself). */
export function likelyToFailAgainOf(groups: readonly ErrorGroup[]): number {
  return groups.filter((g) => g.retry === 'no').reduce((n, g) => n + g.count, 0);
}

export function jobCountOf(errors: readonly ScopedError[]): number {
  return new Set(errors.map((e) => e._flowJobId).filter(Boolean)).size;
}

export function skippedCountOf(skippedReasons: Record<string, number>): number {
  return Object.values(skippedReasons).reduce((a, b) => a + b, 0);
}

/** Ids of the selected errors a batch covers (duplicates of its records included), to follow up with. */
export function errorIdsOf(errors: readonly ScopedError[], b: Batch): string[] {
  const keys = new Set(b.keys);
  return errors.filter((e) => e.flowId === b.flowId && e.stepId === b.stepId && e.retryDataKey && keys.has(e.retryDataKey)).map((e) => String(e.errorId));
}

/**
 * The preview a person confirms. Work on more than one job is a mass action; the digest covers
 * every batch (flow, step, keys), so a confirmation is valid for exactly these requests.
 */
export function confirmationOf(
  p: Pick<RetryPlan, 'batches' | 'totalKeys' | 'skippedReasons' | 'flows' | 'jobCount' | 'connectionProblems' | 'runningRetries'>,
  groups: readonly ErrorGroup[],
  kind: ConfirmKind,
): { plan: ConfirmPlan; kind: ConfirmKind } {
  const skipped = skippedCountOf(p.skippedReasons);
  const details = [
    `${plural(p.totalKeys, 'error')} in ${plural(p.jobCount, 'job')} of ${plural(p.flows.length, 'flow')}: ${p.flows.slice(0, 10).map((f) => `${f.name} (${f.errors})`).join(', ')}`,
    ...p.connectionProblems.slice(0, 8).map(problemLine),
    ...(p.runningRetries.length ? [`left out: steps with a retry still queued or running (${runningText(p.runningRetries)})`] : []),
    ...groups.slice(0, 8).map((g) => `${g.count}x ${g.pattern} — ${g.causeLabel}${g.retry === 'no' ? ' (will likely fail again)' : ''}`),
    ...(skipped ? [`skipping ${skipped}: ${Object.entries(p.skippedReasons).map(([k, v]) => `${v} ${k}`).join(', ')}`] : []),
  ];
  return {
    plan: makePlan(`Retry ${plural(p.totalKeys, 'error')} in ${plural(p.jobCount, 'job')}`, details, p.batches.map((b) => [b.flowId, b.stepId, b.keys])),
    kind: p.jobCount > 1 && kind === 'change' ? 'mass' : kind,
  };
}

/** Everything decided before a request is sent. `errors` must carry flowId and stepId. */
export function planRetry(errors: readonly ScopedError[], flows: ReadonlyMap<string, { name: string }>, opts: PlanOptions): RetryPlan {
  const { batches, skippedReasons } = planBatches(errors, opts.skippedBefore, opts.batchSize, opts.hold);
  const groups = groupErrors(errors);
  // Errors held back are counted as selected, but the jobs and flows to confirm are those of the rest.
  const kept = opts.hold ? errors.filter((e) => !opts.hold!(e)) : errors;
  const p = {
    scope: opts.scope,
    matched: errors.length,
    batches,
    totalKeys: batches.reduce((n, b) => n + b.keys.length, 0),
    skippedReasons,
    skipped: skippedCountOf(skippedReasons),
    flows: flowRowsOf(errors, flows),
    likelyToFailAgain: likelyToFailAgainOf(groups),
    connectionProblems: opts.connectionProblems ?? [],
    runningRetries: opts.runningRetries ?? [],
    jobCount: jobCountOf(kept),
  };
  return { ...p, confirm: confirmationOf({ ...p, flows: kept === errors ? p.flows : flowRowsOf(kept, flows) }, groups, opts.kind) };
}
