// The job state machine. Nothing runs in the background: every request first calls tick(), which applies
// the transitions whose time has come on the (injectable) clock, in time order. A flow run:
//   queued --500 ms--> running (export children) --> page processors one after another --> completed | failed
// The outcome is decided when the run is created, from a PRNG seeded by the flow id and its run number,
// the flow's hidden profile, and the hidden health of its connections and mappings.
import { type ErrorPattern, type FlowProfile, PATTERNS, authPatternFor } from './behaviour.js';
import { iso } from './clock.js';
import type { ErrRec } from './flow-errors.js';
import { type FlowStep, flowSteps } from './flow-steps.js';
import { type JobRec, type TimelineEvent, isTerminal, newJob } from './job-table.js';
import { Rng, hash32, mix32 } from './rng.js';
import type { Rec, Store } from './store.js';

export const QUEUE_MS = 500;
const PAGE_SIZE = 50;

export function defaultProfile(flowId: string): FlowProfile {
  const h = hash32(flowId);
  return { volume: [5 + (h % 20), 40 + (h % 80)], durationMs: 2000 + (h % 4000), targets: [], ignoreRate: 0.1 };
}

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

interface StepOutcome {
  step: FlowStep;
  failure?: ErrorPattern;
  errors: { pattern: ErrorPattern; count: number }[];
  ignored: number;
}

function stepResource(store: Store, step: { stepId: string; kind: 'export' | 'import' }): Rec | undefined {
  return step.kind === 'export' ? store.exports.get(step.stepId) : store.imports.get(step.stepId);
}

export function stepConnection(store: Store, stepId: string): Rec | undefined {
  const r = store.exports.get(stepId) ?? store.imports.get(stepId);
  const cid = r?._connectionId;
  return typeof cid === 'string' ? store.connections.get(cid) : undefined;
}

function connectionFailure(store: Store, res: Rec | undefined): ErrorPattern | undefined {
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

/** Creates a queued flow job and schedules its whole life. Assumes the flow is enabled and has a page generator. */
export function startFlowRun(store: Store, flow: Rec, opts: RunOptions): JobRec {
  const at = opts.at ?? store.now();
  const flowId = flow._id;
  const all = flowSteps(flow);
  const pgs = all.filter((s) => s.pg && (!opts.exportIds || opts.exportIds.includes(s.stepId)));
  const pps = all.filter((s) => !s.pg);
  const profile = store.hidden.flowProfiles.get(flowId) ?? defaultProfile(flowId);
  const runNo = store.jobs.byFlow.get(flowId)?.length ?? 0;
  const rng = new Rng(hash32(flowId) ^ mix32(runNo + 1));
  const records = rng.int(profile.volume[0], profile.volume[1]) * Math.max(1, pgs.length);
  const pages = Math.max(1, Math.ceil(records / PAGE_SIZE));
  const pgPlan = planSteps(store, pgs, profile, records, rng);
  const ppPlan = planSteps(store, pps, profile, records, rng);

  const job = newJob({
    _id: store.ids.objectId(),
    type: 'flow',
    status: 'queued',
    createdAt: at,
    _integrationId: typeof flow._integrationId === 'string' ? flow._integrationId : undefined,
    _flowId: flowId,
    _exportId: pgs[0]?.stepId,
    doneExporting: false,
  });
  store.jobs.insert(job);

  const start = at + QUEUE_MS;
  const d = profile.durationMs;
  const pgEnd = start + Math.round(d * 0.35);
  const slot = pps.length ? Math.floor((start + d - pgEnd) / pps.length) : 0;
  const pgChildren: JobRec[] = [];
  let errorRecords = 0;
  const tl: TimelineEvent[] = [];

  const finish = (status: 'completed' | 'failed', t: number): void => {
    for (const c of job.children ?? []) if (!isTerminal(c.status)) endJob(c, status === 'failed' ? 'failed' : 'completed', t);
    job.numSuccess = status === 'failed' ? 0 : Math.max(0, job.numExport - errorRecords - job.numIgnore);
    endJob(job, status, t);
    job.timeline = [];
    setLastExecuted(store, flowId, t);
  };

  tl.push({
    at: start,
    run: (t) => {
      job.status = 'running';
      job.startedAt = t;
      job.lastModified = t;
      for (const pg of pgs) pgChildren.push(childJob(store, job, pg, t));
    },
  });
  tl.push({
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
        errorRecords += addStepErrors(store, flowId, job, o.step, o.errors, c.startedAt ?? t, t, rng);
        endJob(c, 'completed', t);
      });
      if (failed) {
        finish('failed', t);
        return;
      }
      job.numExport = records;
      job.numPagesGenerated = pages;
      job.doneExporting = true;
      job.lastModified = t;
    },
  });
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
          finish('failed', t);
          return;
        }
        const n = addStepErrors(store, flowId, job, o.step, o.errors, s, t, rng);
        errorRecords += n;
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
  tl.push({ at: start + d, run: (t) => finish('completed', t) });

  job.timeline = tl;
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
