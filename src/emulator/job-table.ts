// Jobs as kept in memory (compact: numbers for times) and as rendered on the wire (celigo-api.md §6.3).
import type { JOB_STATUSES, JOB_TYPES } from '../core/schemas.js';
import { iso } from './clock.js';

export type JobType = (typeof JOB_TYPES)[number];
export type JobStatus = (typeof JOB_STATUSES)[number];

export const PURGE_AFTER_MS = 30 * 24 * 3600 * 1000;

export interface TimelineEvent {
  at: number;
  run: (at: number) => void;
}

/** A class (not object literals) so every job shares one compact shape: the large seed holds ~80,000. */
export class JobRec {
  _integrationId?: string = undefined;
  _flowId?: string = undefined;
  _exportId?: string = undefined;
  _importId?: string = undefined;
  _flowJobId?: string = undefined;
  declare _bulkJobId?: string;
  oIndex?: number = undefined;
  retriable?: boolean = undefined;
  startedAt?: number = undefined;
  endedAt?: number = undefined;
  lastModified: number;
  numError = 0;
  numResolved = 0;
  numOpenError = 0;
  numSuccess = 0;
  numExport = 0;
  numIgnore = 0;
  numPagesGenerated = 0;
  numPagesProcessed = 0;
  doneExporting?: boolean = undefined;
  declare canceledBy?: string;
  // ---- hidden, never rendered ----
  children?: JobRec[] = undefined;
  parent?: JobRec = undefined;
  /** Pending transitions while the job is active, earliest first. */
  timeline?: TimelineEvent[] = undefined;

  constructor(
    public _id: string,
    public type: JobType,
    public status: JobStatus,
    public createdAt: number,
  ) {
    this.lastModified = createdAt;
  }
}

export function isTerminal(s: JobStatus): boolean {
  return s === 'completed' || s === 'failed' || s === 'canceled';
}

export function isParentType(t: string): boolean {
  return t === 'flow' || t === 'retry' || t === 'bulk_retry';
}

export function newJob(init: Pick<JobRec, '_id' | 'type' | 'status' | 'createdAt'> & Partial<JobRec>): JobRec {
  return Object.assign(new JobRec(init._id, init.type, init.status, init.createdAt), init);
}

/** The wire shape. Key order follows the real captures in §6.3. */
export function renderJob(j: JobRec): Record<string, unknown> {
  const o: Record<string, unknown> = { _id: j._id, type: j.type };
  if (j._integrationId) o._integrationId = j._integrationId;
  if (j._flowId) o._flowId = j._flowId;
  if (j._exportId) o._exportId = j._exportId;
  if (j._importId) o._importId = j._importId;
  if (j._flowJobId) o._flowJobId = j._flowJobId;
  if (j._bulkJobId) o._bulkJobId = j._bulkJobId;
  if (j.oIndex !== undefined) o.oIndex = j.oIndex;
  if (j.retriable !== undefined) o.retriable = j.retriable;
  o.status = j.status;
  if (j.startedAt !== undefined) o.startedAt = iso(j.startedAt);
  if (j.endedAt !== undefined) o.endedAt = iso(j.endedAt);
  if (j.status !== 'queued') o.lastExecutedAt = iso(j.endedAt ?? j.lastModified);
  o.numError = j.numError;
  o.numResolved = j.numResolved;
  o.numOpenError = j.numOpenError;
  o.numSuccess = j.numSuccess;
  o.numExport = j.numExport;
  o.numIgnore = j.numIgnore;
  o.numPagesGenerated = j.numPagesGenerated;
  if (j.type === 'flow') o.doneExporting = j.doneExporting ?? false;
  o.numPagesProcessed = j.numPagesProcessed;
  if (j.canceledBy) o.canceledBy = j.canceledBy;
  o.createdAt = iso(j.createdAt);
  o.purgeAt = iso(j.createdAt + PURGE_AFTER_MS);
  o.lastModified = iso(j.lastModified);
  return o;
}

/** All jobs, kept sorted by createdAt (ascending) so `/jobs` can walk newest-first and cut at a cursor. */
export class JobTable {
  readonly all: JobRec[] = [];
  readonly byId = new Map<string, JobRec>();
  /** Parent jobs (flow, retry) per flow, ascending createdAt. */
  readonly byFlow = new Map<string, JobRec[]>();
  /** Jobs with pending transitions. */
  readonly active = new Set<JobRec>();

  insert(j: JobRec): void {
    insertSorted(this.all, j);
    this.byId.set(j._id, j);
    if (j._flowId && isParentType(j.type)) {
      let list = this.byFlow.get(j._flowId);
      if (!list) this.byFlow.set(j._flowId, (list = []));
      insertSorted(list, j);
    }
  }

  get(id: string): JobRec | undefined {
    return this.byId.get(id);
  }

  get size(): number {
    return this.all.length;
  }

  /** Index of the first job with createdAt > t. */
  upperBound(t: number): number {
    let lo = 0;
    let hi = this.all.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.all[mid].createdAt <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function insertSorted(list: JobRec[], j: JobRec): void {
  const n = list.length;
  if (n === 0 || list[n - 1].createdAt <= j.createdAt) {
    list.push(j);
    return;
  }
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].createdAt <= j.createdAt) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, j);
}
