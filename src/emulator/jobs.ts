// The job state machine. Nothing runs in the background: every request first calls tick(), which applies
// the transitions whose time has come on the (injectable) clock, in time order. A flow run:
//   queued --500 ms--> running (export children) --> page processors one after another --> completed | failed
// The outcome is decided when the run is created (./run-plan.ts); the timeline built here plays it out.
import type { ErrorPattern } from './behaviour.js';
import { iso } from './clock.js';
import type { ErrRec } from './flow-errors.js';
import type { FlowStep } from './flow-steps.js';
import { type JobRec, type TimelineEvent, isTerminal, newJob } from './job-table.js';
import type { Rng } from './rng.js';
import { PAGE_SIZE, type RunPlan, connectionFailure, planRun } from './run-plan.js';
import type { Rec, Store } from './store.js';

export const QUEUE_MS = 500;

export { defaultProfile } from './run-plan.js';

/** Applies every due transition up to `now`, earliest first across all jobs. */
export function tick(store: Store, now: number = store.now()): void {
  const active = store.jobs.active;
  while (active.size > 0) {
    let best: JobRec | undefined;
    let bestAt = Infinity;
    for (const j of active) {
      const ev = j.timeline?.[0];
      if (!ev) {
        active.delete(j);
        continue;
      }
      if (ev.at <= now && ev.at < bestAt) {
        best = j;
        bestAt = ev.at;
      }
    }
    if (!best) return;
    const ev = best.timeline!.shift()!;
    ev.run(ev.at);
    if (!best.timeline || best.timeline.length === 0) {
      best.timeline = undefined;
      active.delete(best);
    }
  }
}

function setLastExecuted(store: Store, flowId: string, t: number): void {
  if (store.deferred) {
    store.deferred.set(flowId, t);
    return;
  }
  const f = store.flows.get(flowId);
  if (f) f.lastExecutedAt = iso(t);
}

export function stepConnection(store: Store, stepId: string): Rec | undefined {
  const r = store.exports.get(stepId) ?? store.imports.get(stepId);
  const cid = r?._connectionId;
  return typeof cid === 'string' ? store.connections.get(cid) : undefined;
}

function traceKeyFor(rng: Rng): string {
  return String(rng.int(10000, 99999));
}

function addStepErrors(store: Store, flowId: string, job: JobRec, step: FlowStep, errs: { pattern: ErrorPattern; count: number }[], start: number, end: number, rng: Rng): number {
  let total = 0;
  for (const e of errs) total += e.count;
  let k = 0;
  for (const e of errs) {
    for (let i = 0; i < e.count; i++) {
      k++;
      const at = start + Math.floor((k * (end - start)) / (total + 1));
      store.errors.add({ id: store.ids.errorId(), flowId, stepId: step.stepId, oIndex: step.oIndex, at, pattern: e.pattern, jobId: job._id, traceKey: traceKeyFor(rng) });
    }
  }
  return total;
}

function childJob(store: Store, parent: JobRec, step: FlowStep, at: number): JobRec {
  const child = newJob({
    _id: store.ids.objectId(),
    type: step.kind,
    status: 'running',
    createdAt: at,
    startedAt: at,
    _flowJobId: parent._id,
    oIndex: step.oIndex,
    ...(step.kind === 'export' ? { _exportId: step.stepId } : { _importId: step.stepId, retriable: false }),
  });
  child.parent = parent;
  (parent.children ??= []).push(child);
  store.jobs.insert(child);
  return child;
}

function endJob(j: JobRec, status: JobRec['status'], at: number): void {
  j.status = status;
  j.endedAt = at;
  j.lastModified = at;
}

export interface RunOptions {
  by: string;
  at?: number;
  /** Run only these page generators. */
  exportIds?: string[];
}

/** What the timeline events of one run share while it plays out. */
interface RunState {
  store: Store;
  job: JobRec;
  plan: RunPlan;
  /** Records that ended in an error so far (they are not counted as successes). */
  errorRecords: number;
}

function finishRun(rs: RunState, status: 'completed' | 'failed', t: number): void {
  const { store, job } = rs;
  for (const c of job.children ?? []) if (!isTerminal(c.status)) endJob(c, status === 'failed' ? 'failed' : 'completed', t);
  job.numSuccess = status === 'failed' ? 0 : Math.max(0, job.numExport - rs.errorRecords - job.numIgnore);
  endJob(job, status, t);
  job.timeline = [];
  setLastExecuted(store, rs.plan.flowId, t);
}

/** queued -> running with one child job per page generator at `start`; the exports end at `pgEnd`. */
function exportEvents(rs: RunState, start: number, pgEnd: number): TimelineEvent[] {
  const { store, job } = rs;
  const { flowId, pgs, rng, records, pages, pgPlan } = rs.plan;
  const pgChildren: JobRec[] = [];
  return [
    {
      at: start,
      run: (t) => {
        job.status = 'running';
        job.startedAt = t;
        job.lastModified = t;
        for (const pg of pgs) pgChildren.push(childJob(store, job, pg, t));
      },
    },
    {
      at: pgEnd,
      run: (t) => {
        let failed = false;
        pgPlan.forEach((o, i) => {
          const c = pgChildren[i];
          if (o.failure) {
            failed = true;
            addStepErrors(store, flowId, job, o.step, [{ pattern: o.failure, count: 1 }], c.startedAt ?? t, t, rng);
            endJob(c, 'failed', t);
            return;
          }
          const share = Math.round(records / pgs.length);
          c.numExport = share;
          c.numPagesGenerated = Math.max(1, Math.ceil(share / PAGE_SIZE));
          rs.errorRecords += addStepErrors(store, flowId, job, o.step, o.errors, c.startedAt ?? t, t, rng);
          endJob(c, 'completed', t);
        });
        if (failed) {
          finishRun(rs, 'failed', t);
          return;
        }
        job.numExport = records;
        job.numPagesGenerated = pages;
        job.doneExporting = true;
        job.lastModified = t;
      },
    },
  ];
}

/** The page processors one after another, each in an equal slot of [pgEnd, end). */
function processorEvents(rs: RunState, pgEnd: number, end: number): TimelineEvent[] {
  const { store, job } = rs;
  const { flowId, rng, records, pages, ppPlan } = rs.plan;
  const slot = ppPlan.length ? Math.floor((end - pgEnd) / ppPlan.length) : 0;
  const tl: TimelineEvent[] = [];
  ppPlan.forEach((o, i) => {
    const s = pgEnd + i * slot;
    let c: JobRec | undefined;
    tl.push({ at: s, run: (t) => { c = childJob(store, job, o.step, t); } });
    tl.push({
      at: s + slot,
      run: (t) => {
        if (!c) return;
        if (o.failure) {
          addStepErrors(store, flowId, job, o.step, [{ pattern: o.failure, count: 1 }], s, t, rng);
          endJob(c, 'failed', t);
          finishRun(rs, 'failed', t);
          return;
        }
        const n = addStepErrors(store, flowId, job, o.step, o.errors, s, t, rng);
        rs.errorRecords += n;
        c.numSuccess = Math.max(0, records - n - o.ignored);
        c.numIgnore = o.ignored;
        c.numPagesProcessed = pages;
        if (o.step.kind === 'import') c.retriable = n > 0;
        job.numIgnore += o.ignored;
        job.numPagesProcessed = pages;
        job.lastModified = t;
        endJob(c, 'completed', t);
      },
    });
  });
  return tl;
}

/** The whole life of a run created at `at`, in time order. */
function buildTimeline(store: Store, job: JobRec, plan: RunPlan, at: number): TimelineEvent[] {
  const rs: RunState = { store, job, plan, errorRecords: 0 };
  const start = at + QUEUE_MS;
  const end = start + plan.profile.durationMs;
  const pgEnd = start + Math.round(plan.profile.durationMs * 0.35);
  return [...exportEvents(rs, start, pgEnd), ...processorEvents(rs, pgEnd, end), { at: end, run: (t) => finishRun(rs, 'completed', t) }];
}

/** Creates a queued flow job and schedules its whole life. Assumes the flow is enabled and has a page generator. */
export function startFlowRun(store: Store, flow: Rec, opts: RunOptions): JobRec {
  const at = opts.at ?? store.now();
  const plan = planRun(store, flow, opts.exportIds);
  const job = newJob({
    _id: store.ids.objectId(),
    type: 'flow',
    status: 'queued',
    createdAt: at,
    _integrationId: typeof flow._integrationId === 'string' ? flow._integrationId : undefined,
    _flowId: plan.flowId,
    _exportId: plan.pgs[0]?.stepId,
    doneExporting: false,
  });
  store.jobs.insert(job);
  job.timeline = buildTimeline(store, job, plan, at);
  store.jobs.active.add(job);
  return job;
}

/** Applies every remaining transition of a job at once (seeds replaying history that nothing interrupts). */
export function drain(store: Store, job: JobRec): void {
  while (job.timeline && job.timeline.length) {
    const ev = job.timeline.shift()!;
    ev.run(ev.at);
  }
  job.timeline = undefined;
  store.jobs.active.delete(job);
}

/** Whether the cause of an error is gone now (decides what a retry resolves). */
export function isFixable(store: Store, e: ErrRec): boolean {
  switch (e.pattern.cause) {
    case 'transient':
      return true;
    case 'data':
      return false;
    case 'mapping':
      return !store.hidden.brokenMappings.has(e.stepId);
    case 'auth':
    case 'offline':
    case 'missing': {
      const res = store.exports.get(e.stepId) ?? store.imports.get(e.stepId);
      return !!res && connectionFailure(store, res) === undefined;
    }
  }
}

/** Creates a queued retry job for open errors of one step; errors already being retried must be filtered out by the caller. */
export function startRetry(store: Store, flow: Rec, step: FlowStep, errs: ErrRec[], by: string, at: number = store.now(), type: 'retry' | 'bulk_retry' = 'retry'): JobRec {
  const job = newJob({
    _id: store.ids.objectId(),
    type,
    status: 'queued',
    createdAt: at,
    _integrationId: typeof flow._integrationId === 'string' ? flow._integrationId : undefined,
    _flowId: flow._id,
    ...(step.kind === 'export' ? { _exportId: step.stepId } : { _importId: step.stepId }),
  });
  store.jobs.insert(job);
  for (const e of errs) e.retryJobId = job._id;
  const start = at + QUEUE_MS;
  const end = start + 1000 + Math.min(4000, errs.length * 20);
  job.timeline = [
    { at: start, run: (t) => { job.status = 'running'; job.startedAt = t; job.lastModified = t; } },
    {
      at: end,
      run: (t) => {
        const fixed = new Set<ErrRec>();
        for (const e of errs) {
          if (e.retryJobId !== job._id || e.resolvedAt !== undefined) continue;
          if (isFixable(store, e)) fixed.add(e);
          else store.errors.moveToJob(e, job, t);
        }
        store.errors.resolve(flow._id, step.stepId, fixed, t, by);
        job.numSuccess = fixed.size;
        job.numPagesProcessed = errs.length ? 1 : 0;
        endJob(job, 'completed', t);
      },
    },
  ];
  store.jobs.active.add(job);
  return job;
}

/** How long a running job stays `canceling` before it is `canceled` (celigo-api.md W2 lists the status). */
export const CANCEL_MS = 1000;

/**
 * Cancels a queued or running job (and its children). A queued job is canceled at once; a running one
 * is `canceling` until its current page is done (CANCEL_MS), then `canceled`. Returns false when the job
 * had already ended.
 */
export function cancelJob(store: Store, job: JobRec, by: string, at: number = store.now()): boolean {
  if (isTerminal(job.status)) return job.status === 'canceled';
  if (job.status === 'canceling') return true;
  job.canceledBy = by; // a user _id, as in real data (§6.3; §11 "canceledBy")
  if (job.status === 'running') {
    job.status = 'canceling';
    job.lastModified = at;
    job.timeline = [{ at: at + CANCEL_MS, run: (t) => finishCancel(store, job, t) }];
    store.jobs.active.add(job);
    return true;
  }
  finishCancel(store, job, at);
  store.jobs.active.delete(job);
  return true;
}

function finishCancel(store: Store, job: JobRec, at: number): void {
  for (const c of job.children ?? []) if (!isTerminal(c.status)) endJob(c, 'canceled', at);
  endJob(job, 'canceled', at);
  job.timeline = undefined;
  if ((job.type === 'retry' || job.type === 'bulk_retry') && job._flowId) {
    const stepId = job._exportId ?? job._importId;
    for (const e of (stepId && store.errors.step(job._flowId, stepId)?.open) || []) if (e.retryJobId === job._id) e.retryJobId = undefined;
  }
  if (job.type === 'flow' && job._flowId && job.startedAt !== undefined) setLastExecuted(store, job._flowId, at);
}
