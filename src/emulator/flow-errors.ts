// Open and resolved errors per flow step (Error Management 2.0, celigo-api.md §7). Every change goes
// through this table so the counters on the jobs (numError, numOpenError, numResolved) stay true.
import type { ErrorPattern } from './behaviour.js';
import { iso } from './clock.js';
import { retryDataKey } from './ids.js';
import type { JobRec, JobTable } from './job-table.js';

export interface ErrRec {
  id: number;
  flowId: string;
  stepId: string;
  oIndex: number;
  at: number;
  pattern: ErrorPattern;
  /** The flow job (or retry job) the error belongs to (`_flowJobId` on the wire). */
  jobId: string;
  traceKey: string;
  resolvedAt?: number;
  resolvedBy?: string;
  /** Hidden: a retry job is working on it. */
  retryJobId?: string;
}

export class StepErrors {
  open: ErrRec[] = [];
  resolved: ErrRec[] = [];
  private dirty = false;

  touch(): void {
    this.dirty = true;
  }
  /** Sorted by (occurredAt, errorId) ascending. */
  sortedOpen(): ErrRec[] {
    if (this.dirty) {
      this.open.sort(byTime);
      this.resolved.sort(byTime);
      this.dirty = false;
    }
    return this.open;
  }
  sortedResolved(): ErrRec[] {
    this.sortedOpen();
    return this.resolved;
  }
}

const byTime = (a: ErrRec, b: ErrRec): number => a.at - b.at || a.id - b.id;

export class ErrorTable {
  /** flowId -> stepId -> errors */
  private readonly flows = new Map<string, Map<string, StepErrors>>();
  private openTotal = 0;
  private resolvedTotal = 0;

  constructor(private readonly jobs: JobTable) {}

  step(flowId: string, stepId: string): StepErrors | undefined {
    return this.flows.get(flowId)?.get(stepId);
  }

  stepsOf(flowId: string): Map<string, StepErrors> | undefined {
    return this.flows.get(flowId);
  }

  private ensure(flowId: string, stepId: string): StepErrors {
    let steps = this.flows.get(flowId);
    if (!steps) this.flows.set(flowId, (steps = new Map()));
    let s = steps.get(stepId);
    if (!s) steps.set(stepId, (s = new StepErrors()));
    return s;
  }

  add(rec: ErrRec): ErrRec {
    const s = this.ensure(rec.flowId, rec.stepId);
    const last = s.open[s.open.length - 1];
    if (last && byTime(last, rec) > 0) s.touch();
    s.open.push(rec);
    this.openTotal++;
    this.bump(rec, 1, 1, 0);
    return rec;
  }

  /** Moves open errors to resolved. Returns how many moved. */
  resolve(flowId: string, stepId: string, which: Set<ErrRec>, at: number, by: string): number {
    const s = this.step(flowId, stepId);
    if (!s || which.size === 0) return 0;
    let n = 0;
    s.open = s.open.filter((e) => {
      if (!which.has(e)) return true;
      e.resolvedAt = at;
      e.resolvedBy = by;
      e.retryJobId = undefined;
      s.resolved.push(e);
      this.bump(e, 0, -1, 1);
      n++;
      return false;
    });
    s.touch();
    this.openTotal -= n;
    this.resolvedTotal += n;
    return n;
  }

  /** A retried error that failed again: it now belongs to the retry job and occurred at `at`. */
  moveToJob(e: ErrRec, job: JobRec, at: number): void {
    this.bump(e, 0, -1, 1);
    e.jobId = job._id;
    e.at = at;
    e.retryJobId = undefined;
    this.bump(e, 1, 1, 0);
    this.step(e.flowId, e.stepId)?.touch();
  }

  /** Drops every error of a flow (flow deleted). */
  dropFlow(flowId: string): void {
    const steps = this.flows.get(flowId);
    if (!steps) return;
    for (const s of steps.values()) {
      this.openTotal -= s.open.length;
      this.resolvedTotal -= s.resolved.length;
    }
    this.flows.delete(flowId);
  }

  totals(): { open: number; resolved: number } {
    return { open: this.openTotal, resolved: this.resolvedTotal };
  }

  private bump(e: ErrRec, dError: number, dOpen: number, dResolved: number): void {
    const job = this.jobs.get(e.jobId);
    if (!job) return;
    const apply = (j: JobRec): void => {
      j.numError += dError;
      j.numOpenError += dOpen;
      j.numResolved += dResolved;
    };
    apply(job);
    const child = job.children?.find((c) => c.oIndex === e.oIndex && (c._exportId === e.stepId || c._importId === e.stepId));
    if (child) apply(child);
  }
}

/** The wire shape (§7.3): oIndex and errorId are strings. */
export function renderError(e: ErrRec, resolved: boolean): Record<string, unknown> {
  const o: Record<string, unknown> = {
    occurredAt: iso(e.at),
    source: e.pattern.source,
    code: e.pattern.code,
    message: e.pattern.message,
    traceKey: e.traceKey,
    oIndex: String(e.oIndex),
    retryDataKey: retryDataKey(e.id),
    errorId: String(e.id),
    _flowJobId: e.jobId,
    classification: e.pattern.classification,
    classifiedBy: 'autopilot',
  };
  if (resolved && e.resolvedAt !== undefined) {
    o.resolvedAt = iso(e.resolvedAt);
    o.resolvedBy = e.resolvedBy;
  }
  return o;
}
