// Run a flow (or one export of it) and monitor it to the end (issue 4 item 5).
// POST /flows/{id}/run starts work, so it is never repeated blindly (design.md §2): after an ambiguous
// failure we look for a job created since the newest one we saw before posting.
import { CeligoApiError, UsageError, describeError } from '../core/errors.js';
import { flowSteps } from '../core/flows.js';
import type { Flow, Job } from '../core/schemas.js';
import { doneOutcome, type NextStep, type Outcome } from './outcome.js';
import { Cancelled, type OpContext } from './context.js';
import { makePlan, mustConfirm } from './confirm.js';
import { groupErrors, type ErrorGroup, type ScopedError } from './patterns.js';
import { mapPool, readWidth } from './pool.js';
import { resolveExport, resolveFlow } from './resolve.js';
import { gaveUp, postAtMostOnce } from './at-most-once.js';
import { Follow } from './follow.js';
import { ms, report, sleep, type WaitContext } from './util.js';

export interface RunCounts {
  exported: number;
  succeeded: number;
  failed: number;
  ignored: number;
}

export interface RunReport {
  jobId: string;
  flowId: string;
  flowName: string;
  /** queued, running, completed, failed, canceled, or "timeout" (still running when we stopped following it). */
  status: string;
  startedAt?: string;
  endedAt?: string;
  durationMs?: number;
  counts: RunCounts;
  openErrors: number;
  errorGroups: ErrorGroup[];
  waited: boolean;
  /** With status "timeout": how long we followed the job, in seconds, before returning while it ran. */
  followedSec?: number;
  /** The run POST failed ambiguously and we found the job it had started instead of posting again. */
  recoveredAfterAmbiguousFailure?: boolean;
  summary: string;
  /** pending: still running when we stopped waiting; failed: followed to the end, and it failed. Absent: ok. */
  outcome?: Outcome;
  /** What to look at next, with the ids it needs. */
  next: NextStep[];
}

export interface RunFlowInput {
  flow: string;
  exportIds?: string[];
  wait?: boolean;
  timeoutMs?: number;
}

const TERMINAL = new Set(['completed', 'failed', 'canceled']);
const DEFAULT_TIMEOUT_MS = 10 * 60_000;
const POST_ATTEMPTS = 8;

async function newestFlowJob(ctx: OpContext, flowId: string): Promise<Job | undefined> {
  const rows = await ctx.api.jobs.list({ _flowId: flowId, type: 'flow' }, { limit: 1, signal: ctx.signal });
  return rows[0];
}

/** A flow job created since `baseline` (the newest before we posted), if any. */
async function findStartedRun(ctx: OpContext, flowId: string, baseline: Job | undefined): Promise<Job | undefined> {
  const rows = await ctx.api.jobs.list(
    { _flowId: flowId, type: 'flow', ...(baseline ? { createdAt_gte: baseline.createdAt } : {}) },
    { signal: ctx.signal },
  );
  return rows.find((j) => j._id !== baseline?._id && (!baseline || (ms(j.createdAt) ?? 0) >= (ms(baseline.createdAt) ?? 0)));
}

/**
 * Starts a run: at most one job, whatever the network does. A POST that failed without taking effect
 * (429, or 5xx / reset with no new job to be found) is posted again, up to POST_ATTEMPTS times. After a
 * timeout the server may still be starting the run, so a job not visible yet proves nothing: we never post
 * again then, and say so.
 */
async function startRun(ctx: WaitContext, flow: Flow, exportIds: string[] | undefined): Promise<{ jobId: string; recovered: boolean }> {
  const baseline = await newestFlowJob(ctx, flow._id);
  return postAtMostOnce<{ jobId: string; recovered: boolean }>(ctx, {
    attempts: POST_ATTEMPTS,
    post: async () => {
      const r = await ctx.api.flows.run(flow._id, exportIds?.length ? { _exportIds: exportIds } : {}, { signal: ctx.signal });
      return { jobId: r._jobId, recovered: false };
    },
    tookEffect: async () => {
      let started = await findStartedRun(ctx, flow._id, baseline);
      if (!started) {
        // Not visible yet: wait, look once more, and only then post again.
        await sleep(ctx, 1000);
        started = await findStartedRun(ctx, flow._id, baseline);
      }
      return started ? { jobId: started._id, recovered: true } : undefined;
    },
    onCheckFailed: (err, checkErr, attempt) =>
      gaveUp(checkErr, `The request to run flow "${flow.name}" failed (${(err as Error).message}) and checking whether the run started failed too (${(checkErr as Error).message})`,
        `The run may or may not have started; nothing was posted again. Check the flow's recent jobs (flow ${flow._id}) before running it again.`, attempt),
    onTimeout: (err, attempt) =>
      gaveUp(err, `The request to run flow "${flow.name}" timed out and no new job has appeared yet`,
        `The run may still start; it was not posted again, so it cannot run twice. Check the flow's recent jobs (flow ${flow._id}) in a minute before running it again.`, attempt),
    onExhausted: (lastErr) =>
      gaveUp(lastErr, `Flow "${flow.name}" was NOT started: the run request failed ${POST_ATTEMPTS} times and no job was created (last: ${(lastErr as Error).message})`,
        'Nothing was started or changed. Try the run again in a few minutes, or check status.celigo.com.', POST_ATTEMPTS),
  });
}

function countsOf(job: Job): RunCounts {
  const n = (k: string) => (typeof job[k] === 'number' ? (job[k] as number) : 0);
  return { exported: n('numExport'), succeeded: n('numSuccess'), failed: n('numError'), ignored: n('numIgnore') };
}

/** Open errors that belong to one job, grouped by pattern. */
export async function jobErrors(ctx: OpContext, flow: Flow, job: Job): Promise<ScopedError[]> {
  const { api, signal } = ctx;
  const summary = await api.flows.errorSummary(flow._id, { signal });
  const steps = summary.filter((s) => s.numError > 0).map((s) => s._expOrImpId);
  const lists = await mapPool(steps, readWidth(ctx), async (stepId) => {
    const rows = await api.errors.listOpen(flow._id, stepId, { occurredAt_gte: job.createdAt }, { signal });
    return rows.map((e) => ({ ...e, flowId: flow._id, stepId }) as ScopedError);
  }, signal);
  const all = lists.flat();
  const tagged = all.some((e) => e._flowJobId);
  return tagged ? all.filter((e) => e._flowJobId === job._id) : all.filter((e) => !job.endedAt || e.occurredAt <= job.endedAt);
}

function nextSteps(report: Pick<RunReport, 'jobId' | 'flowId' | 'status' | 'errorGroups' | 'waited'>, errorsUnread: boolean): NextStep[] {
  const job = { job: report.jobId };
  const why = report.status === 'timeout'
    ? 'still running: check it until it ends (do not start the flow again)'
    : report.waited ? "the job's counts and timing" : 'how the run is going';
  const out: NextStep[] = [{ op: 'get_job', args: job, why }];
  if (report.errorGroups.length || report.status === 'failed') out.push({ op: 'troubleshoot', args: job, why: 'the likely cause and the fix' });
  if (report.errorGroups.length || errorsUnread) out.push({ op: 'list_errors', args: { flow: report.flowId }, why: 'the open errors' });
  if (report.errorGroups.some((g) => g.retry === 'now')) out.push({ op: 'retry_job', args: job, why: 'these errors can be retried now' });
  return out;
}

/**
 * How a run ended: still running (pending); followed to its end, it failed or was canceled (failed), or
 * completed with records that failed: by the rule of ops/outcome.ts, failed when none succeeded, partial
 * when some did (issue 13 item 6, the same rule as a retry whose errors failed again). Absent: ok.
 */
export function runOutcome(status: string, waited: boolean, counts?: RunCounts): Outcome | undefined {
  if (status === 'timeout') return 'pending';
  if (!waited) return undefined;
  if (status === 'failed' || status === 'canceled') return 'failed';
  if (status !== 'completed' || !counts) return undefined;
  const o = doneOutcome(counts.succeeded + counts.ignored, counts.failed);
  return o === 'ok' ? undefined : o;
}

/** `stoppedAfterMs`: we stopped following the job, still running, after this long. */
async function buildReport(ctx: OpContext, flow: Flow, job: Job, waited: boolean, recovered: boolean, stoppedAfterMs?: number): Promise<RunReport> {
  const timedOut = stoppedAfterMs !== undefined;
  const counts = countsOf(job);
  const openErrors = typeof job.numOpenError === 'number' ? job.numOpenError : 0;
  let groups: ErrorGroup[] = [];
  let errorsNote: string | undefined;
  if (TERMINAL.has(job.status) && (counts.failed > 0 || openErrors > 0)) {
    try {
      groups = groupErrors(await jobErrors(ctx, flow, job));
    } catch (err) {
      if (ctx.signal?.aborted) throw err;
      errorsNote = `could not read the job's errors (${describeError(err)}); list the flow's open errors to see them`;
    }
  }
  const startedAt = typeof job.startedAt === 'string' ? job.startedAt : undefined;
  const endedAt = typeof job.endedAt === 'string' ? job.endedAt : undefined;
  const durationMs = startedAt && endedAt ? (ms(endedAt) ?? 0) - (ms(startedAt) ?? 0) : undefined;
  const status = timedOut ? 'timeout' : job.status;
  const followedSec = timedOut ? Math.round(stoppedAfterMs / 1000) : undefined;
  const base = { jobId: job._id, flowId: flow._id, flowName: flow.name, status, startedAt, endedAt, durationMs, counts, openErrors, errorGroups: groups, waited, ...(timedOut ? { followedSec } : {}) };
  const top = groups[0];
  const summary =
    `Flow ${flow.name}: job ${job._id} ${timedOut ? `still ${job.status} when we stopped following it after ${followedSec} s; the run continues in integrator.io (do not start it again)` : job.status}` +
    (TERMINAL.has(job.status) ? `; ${counts.exported} exported, ${counts.succeeded} succeeded, ${counts.failed} failed, ${counts.ignored} ignored` : '') +
    (durationMs !== undefined ? ` in ${Math.round(durationMs / 1000)} s` : '') +
    (top ? `. Top error (${top.count}x): ${top.pattern} — likely ${top.causeLabel}` : '') +
    (errorsNote ? `. Note: ${errorsNote}` : '') +
    (recovered ? '. (The start request failed ambiguously; the job it had started was found and no second run was posted.)' : '') +
    '.';
  const outcome = runOutcome(status, waited, counts);
  return { ...base, ...(recovered ? { recoveredAfterAmbiguousFailure: true } : {}), summary, ...(outcome ? { outcome } : {}), next: nextSteps(base, !!errorsNote) };
}

/**
 * Starts a flow and, with `wait`, polls the job with backoff until it ends (progress on every poll; stops
 * on ctx.signal). After timeoutMs, or at the front end's deadline (ctx.followUntil), it stops following
 * and reports the job still running (outcome pending, next: get_job). A disabled flow is a UsageError.
 */
export async function runFlow(ctx: WaitContext, input: RunFlowInput): Promise<RunReport> {
  const flow = await resolveFlow(ctx.api, input.flow);
  if (flow.disabled) {
    throw new UsageError(`Flow "${flow.name}" is disabled, so it cannot run. Enable it first, then run it.`);
  }
  const pgs = flowSteps(flow).filter((s) => s.role === 'source').map((s) => s.id);
  const bad = (input.exportIds ?? []).filter((id) => !pgs.includes(id));
  if (bad.length) throw new UsageError(`${bad.join(', ')} ${bad.length > 1 ? 'are not sources' : 'is not a source'} of flow "${flow.name}"; its sources are ${pgs.join(', ')}.`);
  await mustConfirm(ctx, makePlan(`Run flow ${flow.name}`, [`start flow ${flow.name} (${flow._id})${input.exportIds?.length ? ` for ${input.exportIds.join(', ')}` : ''}`], { flow: flow._id, exportIds: input.exportIds }), 'change');

  const { jobId, recovered } = await startRun(ctx, flow, input.exportIds);
  await report(ctx, 0, undefined, `started job ${jobId}`);
  // From here on the run exists: a failure to follow it must say so, and never lead to a second run.
  const lost = (err: unknown) =>
    ctx.signal?.aborted
      ? err
      : gaveUp(err, `Flow "${flow.name}" was started (job ${jobId}), but following the job failed: ${(err as Error).message}`,
          `The run continues in integrator.io; do not start it again. Check job ${jobId} later.`, (err as CeligoApiError).attempts ?? 1);
  const getJob = () => ctx.api.jobs.get(jobId, { signal: ctx.signal }).catch((err: unknown) => Promise.reject(lost(err)));
  let job = await getJob();
  if (!input.wait) return buildReport(ctx, flow, job, false, recovered);

  // Within the input's timeout, and never past the front end's deadline (ctx.followUntil).
  const follow = new Follow(ctx, input.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  let delay = 1000;
  while (!TERMINAL.has(job.status)) {
    if (follow.over()) return buildReport(ctx, flow, job, true, recovered, follow.followedMs());
    try {
      await follow.nap(delay);
    } catch {
      throw new Cancelled(`Stopped waiting for job ${jobId}; the run continues in integrator.io. Check job ${jobId} later.`);
    }
    delay = Math.min(Math.round(delay * 1.5), 15_000);
    job = await getJob();
    const c = countsOf(job);
    await follow.report(`${job.status}: ${c.exported} exported, ${c.succeeded} ok, ${c.failed} errors`);
  }
  return buildReport(ctx, flow, job, true, recovered);
}

/** Runs one export: through the flow whose source it is, with only that page generator. */
export async function runExport(ctx: WaitContext, input: { export: string; wait?: boolean; timeoutMs?: number }): Promise<RunReport> {
  const exp = await resolveExport(ctx.api, input.export);
  const flows = (await ctx.api.flows.list({}, { signal: ctx.signal })).filter((f) => flowSteps(f).some((s) => s.role === 'source' && s.id === exp._id));
  if (!flows.length) {
    throw new UsageError(`Export "${exp.name}" is not the source of any flow, so it cannot run on its own. Add it to a flow, or use it as a lookup step.`);
  }
  const enabled = flows.filter((f) => !f.disabled);
  const pick = enabled.length === 1 ? enabled[0] : flows.length === 1 ? flows[0] : undefined;
  if (!pick) {
    const names = (enabled.length ? enabled : flows).map((f) => `${f.name} (${f._id})`);
    throw new UsageError(`Export "${exp.name}" is the source of several flows: ${names.join('; ')}. Run one of those flows.`, names);
  }
  const onlyThis = flowSteps(pick).filter((s) => s.role === 'source').length > 1 ? [exp._id] : undefined;
  return runFlow(ctx, { flow: pick._id, exportIds: onlyThis, wait: input.wait, timeoutMs: input.timeoutMs });
}
