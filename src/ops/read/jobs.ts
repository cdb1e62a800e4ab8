// Reads of jobs: the list over a time range, and one job with its step jobs and the errors it produced.
import type { OpContext } from '../context.js';
import { JOB_STATUSES, type Flow, type Job, type FlowStepError } from '../../core/schemas.js';
import { flowSteps } from '../../core/flows.js';
import { UsageError } from '../../core/errors.js';
import { mapPool, readWidth } from '../pool.js';
import { resolveIntegration, resolveFlow } from '../resolve.js';
import { rangeFilters, rangeOf } from '../timerange.js';
import { compact } from '../project.js';
import { jobIdOf } from '../util.js';
import { filterText, FLOW_REF, INTEGRATION_REF } from './filter.js';

export interface JobRow {
  id: string;
  type: string;
  status: string;
  flow?: string;
  flowId?: string;
  integrationId?: string;
  createdAt: string;
  startedAt?: string;
  endedAt?: string;
  durationMs?: number;
  success?: number;
  errors?: number;
  openErrors?: number;
  ignored?: number;
  [k: string]: unknown;
}
export const JOB_FIELDS = ['id', 'type', 'status', 'flow', 'flowId', 'integrationId', 'createdAt', 'startedAt', 'endedAt', 'durationMs', 'success', 'errors', 'openErrors', 'ignored'] as const;

export function jobRow(j: Job, flowName?: string): JobRow {
  const started = typeof j.startedAt === 'string' ? j.startedAt : undefined;
  const ended = typeof j.endedAt === 'string' ? j.endedAt : undefined;
  return compact({
    id: j._id,
    type: j.type,
    status: j.status,
    flow: flowName,
    flowId: j._flowId,
    integrationId: j._integrationId,
    createdAt: j.createdAt,
    startedAt: started,
    endedAt: ended,
    durationMs: started && ended ? Date.parse(ended) - Date.parse(started) : undefined,
    success: j.numSuccess,
    errors: j.numError,
    openErrors: j.numOpenError,
    ignored: typeof j.numIgnore === 'number' ? j.numIgnore : undefined,
  }) as JobRow;
}

/** The jobs a list shows, newest first, and how many the range holds in all. */
export interface JobsPage {
  /** Every job of the range, or (with `shown`) the newest up to the end of the rows shown. */
  rows: JobRow[];
  total: number;
}

/** The `keep` newest of jobs handed in any order (createdAt, then _id, descending): memory bounded by `keep`. */
class NewestJobs {
  private kept: Job[] = [];
  total = 0;
  constructor(private readonly keep: number) {}
  add(j: Job): void {
    this.total++;
    this.kept.push(j);
    if (this.kept.length >= 2 * this.keep + 64) this.trim();
  }
  newest(): Job[] {
    this.trim();
    return this.kept;
  }
  private trim(): void {
    this.kept.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a._id < b._id ? 1 : a._id > b._id ? -1 : 0));
    this.kept.length = Math.min(this.kept.length, this.keep);
  }
}

/**
 * The jobs of a range, newest first. With `shown` (the rows a front end will show: a page, or --limit)
 * every job is still counted, for an honest total, but only the newest up to the end of those rows are
 * kept: `jobs list --limit 3` on an account with 257,000 jobs a day held them all (540 MB).
 */
export async function listJobs(
  ctx: OpContext,
  q: { range?: string; status?: string; integration?: string; flow?: string; type?: string; shown?: { offset: number; count: number } } = {},
): Promise<JobsPage> {
  const { api, signal } = ctx;
  const range = rangeOf(ctx, q.range);
  const [integrationRef, flowRef] = [filterText(q.integration, 'integration', INTEGRATION_REF, 'the whole account'), filterText(q.flow, 'flow', FLOW_REF, 'every flow')];
  filterText(q.status, 'status', `a job status (${JOB_STATUSES.join(', ')})`, 'every status');
  filterText(q.type, 'type', 'a job type, e.g. "flow" or "retry"', 'flow jobs');
  const integration = integrationRef !== undefined ? await resolveIntegration(api, integrationRef) : undefined;
  const flow = flowRef !== undefined ? await resolveFlow(api, flowRef) : undefined;
  const statuses: readonly string[] = JOB_STATUSES;
  if (q.status && !statuses.includes(q.status)) throw new UsageError(`Unknown job status "${q.status}". Use one of: ${statuses.join(', ')}.`);
  const filters = {
    _integrationId: integration?._id,
    _flowId: flow?._id,
    status: q.status as never,
    type: (q.type ?? 'flow') as never,
    ...rangeFilters(range, 'createdAt'),
  };
  const newest = q.shown ? new NewestJobs(q.shown.offset + q.shown.count) : undefined;
  const [jobs, flows] = await Promise.all([
    newest ? api.jobs.forEach(filters, (j) => newest.add(j), { signal }).then(() => newest.newest()) : api.jobs.list(filters, { signal }),
    flow ? Promise.resolve([flow]) : integration ? api.integrations.flows(integration._id, { signal }) : api.flows.list({}, { signal }),
  ]);
  const names = new Map(flows.map((f) => [f._id, f.name]));
  return { rows: jobs.map((j) => jobRow(j, j._flowId ? names.get(j._flowId) : undefined)), total: newest ? newest.total : jobs.length };
}

/** A job with its step jobs and the open errors it produced. */
export async function getJob(ctx: OpContext, jobId: string) {
  const { api, signal } = ctx;
  const job = await api.jobs.get(jobIdOf(jobId), { signal });
  const flowJobId = job.type === 'flow' || job.type === 'retry' ? job._id : job._flowJobId;
  const children = flowJobId && job.type === 'flow' ? await api.jobs.children(job._id, { signal }) : [];
  let flow: Flow | undefined;
  if (job._flowId) flow = await api.flows.get(job._flowId, { signal }).catch(() => undefined);
  const errors: (FlowStepError & { stepId: string })[] = [];
  if (flow && (job.numOpenError ?? 0) > 0) {
    const steps = flowSteps(flow);
    await mapPool(steps, readWidth(ctx), async (s) => {
      const rows = await api.errors.listOpen(flow!._id, s.id, { occurredAt_gte: job.createdAt }, { signal });
      for (const e of rows) if (e._flowJobId === job._id || (flowJobId && e._flowJobId === flowJobId)) errors.push({ ...e, stepId: s.id });
    }, signal);
  }
  return {
    job: jobRow(job, flow?.name),
    steps: children.map((c) => compact({ id: c._id, type: c.type, status: c.status, stepId: (c._exportId ?? c._importId) as string | undefined, success: c.numSuccess, errors: c.numError, openErrors: c.numOpenError })),
    errors: errors.slice(0, 50).map((e) => compact({ errorId: e.errorId, stepId: e.stepId, occurredAt: e.occurredAt, code: e.code, message: e.message, retryDataKey: e.retryDataKey })),
    totalErrors: errors.length,
  };
}
