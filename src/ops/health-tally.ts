// What the daily health check keeps of the jobs it reads (issue 14 item 3): per flow, a tally (counts,
// sums, run times, the runs it names); per flow, the open errors of its flow and retry jobs; the window's
// flow jobs of the whole account counted; its newest failed runs. Each job is added as its page arrives
// and then dropped, so memory grows with the flows reported, not with the jobs read.
import { keepNewest, JobTally, TallyTable } from './job-tally.js';
import type { JobRow } from './job-rows.js';
import { num } from './util.js';
import { asGiven } from './interner.js';

/** Failed runs the report lists, newest first. */
export const FAILED_JOBS_LISTED = 50;

export interface FailedRun {
  t: number;
  jobId: string;
  flowId: string;
  integrationId?: string;
  status: string;
  createdAt: string;
  numError: number;
}

export class HealthTally {
  /** Flow jobs by flow id: each a slot of `flows`. */
  readonly byFlow = new Map<string, JobTally>();
  /** Open errors by flow id: of its flow jobs and of the retry jobs that retried its errors. */
  readonly openByFlow = new Map<string, number>();
  /** The flow jobs of every flow (listed or not): the summary counts the window's (no run times kept). */
  readonly allFlows: JobTally;
  /** The flows' tallies side by side. */
  private readonly flows: TallyTable;
  /** The window's failed flow jobs, newest first, at most FAILED_JOBS_LISTED. */
  readonly failed: FailedRun[] = [];
  /** Every job read (flow, retry, bulk retry; window and baseline). */
  read = 0;

  /**
   * `dayCount`: the days of the series (the rows' `day` indexes), so that the flows' table is made wide
   * enough once; `intern`: one copy of each flow id kept as a key (ops/interner.ts).
   */
  constructor(
    dayCount = 0,
    private readonly intern: (s: string) => string = asGiven,
  ) {
    this.flows = new TallyTable(dayCount);
    this.allFlows = new JobTally(new TallyTable(dayCount, 'none'));
  }

  add(r: JobRow): void {
    const j = r.job;
    this.read++;
    if (j._flowId) {
      const open = this.openByFlow.get(j._flowId);
      this.openByFlow.set(open === undefined ? this.intern(j._flowId) : j._flowId, (open ?? 0) + num(j.numOpenError));
    }
    if (j.type !== 'flow') return;
    if (j._flowId) {
      let t = this.byFlow.get(j._flowId);
      if (!t) this.byFlow.set(this.intern(j._flowId), (t = new JobTally(this.flows)));
      t.add(r);
    }
    this.allFlows.add(r);
    if (!r.inWindow) return;
    if (j.status === 'failed') {
      keepNewest(this.failed, { t: r.t, jobId: j._id, flowId: j._flowId ?? '', integrationId: j._integrationId, status: j.status, createdAt: j.createdAt, numError: num(j.numError) }, FAILED_JOBS_LISTED);
    }
  }
}

/**
 * A flow the window's jobs already show to be failing or degraded (a failed run, or one with record
 * errors): its verdict can only stay so (health-judge.ts never makes one better), so its connections can
 * be tested before the last page is read.
 */
export function showsTrouble(r: JobRow): boolean {
  const j = r.job;
  return r.inWindow && j.type === 'flow' && !!j._flowId && (j.status === 'failed' || (j.status === 'completed' && num(j.numError) > 0));
}
