// What daily_health_check returns (src/ops/health.ts): verdicts, per-integration and per-flow figures,
// connection tests, schedule problems and daily series for the charts of the HTML report.

export type Verdict = 'healthy' | 'degraded' | 'failing';

/** Failed jobs each view of the report lists (the model's text, the terminal's table); the rest: the jobs list. */
export const FAILED_JOBS_SHOWN = 10;

export interface JobCounts {
  total: number;
  completed: number;
  failed: number;
  canceled: number;
  /** queued or running now */
  active: number;
  /** completed, but with record errors */
  withErrors: number;
}

export interface FlowHealth {
  flowId: string;
  name: string;
  integrationId: string;
  disabled: boolean;
  schedule?: string;
  jobs: JobCounts;
  /** completed / (completed + failed) in the window; null without finished jobs. */
  successRate: number | null;
  records: { exported: number; succeeded: number; errors: number; ignored: number };
  openErrors: number;
  lastRun?: { jobId: string; status: string; at: string };
  runTime: RunTime;
  verdict: Verdict;
  reasons: string[];
}

export interface RunTime {
  p50Ms?: number;
  p95Ms?: number;
  baselineP50Ms?: number;
  baselineP95Ms?: number;
}

/**
 * How record errors compare with the 7 days before: 'new' when nothing ran in those days (a new
 * integration, or history the account no longer keeps), so there is no usual to compare with.
 */
export type ErrorTrend = 'up' | 'down' | 'flat' | 'new';

export interface IntegrationHealth {
  integrationId: string;
  name: string;
  verdict: Verdict;
  reasons: string[];
  /** The integration's one tag (Celigo keeps one per integration), if it has one. */
  tag?: string;
  jobs: JobCounts;
  successRate: number | null;
  openErrors: number;
  /** Record errors in the window, and the average for a window of the same length over the previous 7 days. */
  errorsInWindow: number;
  errorsBaseline: number;
  errorTrend: ErrorTrend;
  runTime: RunTime;
  flows: FlowHealth[];
}

export interface ConnectionCheck {
  connectionId: string;
  name?: string;
  type?: string;
  ok: boolean;
  code?: number;
  message?: string;
  latencyMs?: number;
  /** Why it was tested: used by a failing or degraded flow, or by an integration tagged critical. */
  reasons: string[];
  usedByFlows: string[];
}

export interface ScheduleIssue {
  flowId: string;
  name: string;
  integrationId: string;
  schedule: string;
  issue: 'disabled' | 'not run';
}

export interface HealthSeries {
  /** UTC days, oldest first (the 7-day baseline, then the window). */
  days: string[];
  integrations: {
    integrationId: string;
    name: string;
    jobs: number[];
    failed: number[];
    /** null on days without finished jobs */
    successRate: (number | null)[];
    p50Ms: (number | null)[];
    p95Ms: (number | null)[];
    errors: number[];
  }[];
}

export interface HealthReport {
  /** `to` is excluded; `timeZone` is there when the zone decided the window (a calendar day, a weekday). */
  window: { from: string; to: string; label: string; timeZone?: string };
  baseline: { from: string; to: string };
  summary: string;
  verdicts: { healthy: number; degraded: number; failing: number };
  integrations: IntegrationHealth[];
  failedJobs: { jobId: string; flowId: string; flowName: string; integrationId: string; status: string; createdAt: string; numError: number }[];
  connections: ConnectionCheck[];
  scheduleIssues: ScheduleIssue[];
  series: HealthSeries;
  /** Requests this check made (the client's counter). */
  requests: number;
}

const RANK: Record<Verdict, number> = { failing: 0, degraded: 1, healthy: 2 };

/** Failing first, then degraded, then healthy; within each, most failed runs, then most open errors. */
export function worstFirst(a: { verdict: Verdict; jobs: JobCounts; openErrors: number; name: string }, b: typeof a): number {
  return RANK[a.verdict] - RANK[b.verdict] || b.jobs.failed - a.jobs.failed || b.openErrors - a.openErrors || a.name.localeCompare(b.name);
}
