// Retry jobs still queued or running on the flows of a retry (issue 13 item 2). Their steps are left out of
// a new retry: posting again while the first retry still holds the errors starts a retry job that takes
// nothing (or, on another server, retries the same records twice), and "Retried 47" would be untrue.
import type { OpContext } from './context.js';
import type { ScopedError } from './patterns.js';
import { RETRY_TYPES, stepOf } from './retry-post.js';
import { nowOf, plural } from './util.js';

/** The skip reason of the errors whose step has a retry still queued or running. */
export const SKIP_RETRY_RUNNING = 'a retry of their step is still queued or running';

/** A retry job that has not ended; without a step it may hold any step of its flow. */
export interface RunningRetry {
  jobId: string;
  flowId: string;
  stepId?: string;
  status: string;
}

/** Statuses of a retry job that still holds its errors. One request each: single values read the same on every form (W1). */
const ACTIVE = ['queued', 'running'] as const;
const isActive = (status: string): boolean => (ACTIVE as readonly string[]).includes(status);

/** How far back the account's retry jobs are looked at for a retry across flows: a parent-job query needs a flow or a date (celigo-api.md §6.2). */
const LOOK_BACK_MS = 7 * 86_400_000;

/**
 * The retry jobs of these flows that are queued or running: one flow's, or for several the account's
 * created in the last LOOK_BACK_MS (a retry queued longer than that is not looked for), kept by flow.
 */
export async function runningRetries(ctx: OpContext, flowIds: readonly string[]): Promise<RunningRetry[]> {
  if (!flowIds.length) return [];
  const want = new Set(flowIds);
  const scope = want.size === 1 ? { _flowId: flowIds[0] } : { createdAt_gte: new Date(nowOf(ctx).getTime() - LOOK_BACK_MS).toISOString() };
  const lists = await Promise.all(ACTIVE.map((status) => ctx.api.jobs.list({ ...scope, type_in: RETRY_TYPES, status }, { signal: ctx.signal })));
  const out = new Map<string, RunningRetry>();
  for (const j of lists.flat()) {
    if (!j._flowId || !want.has(j._flowId) || !isActive(j.status) || out.has(j._id)) continue;
    const stepId = stepOf(j);
    out.set(j._id, { jobId: j._id, flowId: j._flowId, ...(stepId ? { stepId } : {}), status: j.status });
  }
  return [...out.values()];
}

/** The running retry that holds an error's step, if any. */
export function runningRetryOf(running: readonly RunningRetry[]): (e: ScopedError) => RunningRetry | undefined {
  if (!running.length) return () => undefined;
  return (e) => running.find((r) => r.flowId === e.flowId && (r.stepId === undefined || r.stepId === e.stepId));
}

/** "retry job 6a1f… (queued)" or "retry jobs 6a1f…, 6a20… and 2 more". */
export function runningText(running: readonly RunningRetry[]): string {
  if (running.length === 1) return `retry job ${running[0].jobId} (${running[0].status})`;
  const shown = running.slice(0, 3).map((r) => r.jobId).join(', ');
  return `${plural(running.length, 'retry job')} ${shown}${running.length > 3 ? ` and ${running.length - 3} more` : ''}`;
}
