// The probe of celigo-api.md W16: POST /flows/runs/stats, the one call Celigo's own account dashboard reads
// run statistics with. If its rows are per-flow aggregates, a health check could read each flow's run
// counts in a few requests instead of a chain of job pages; whether they are is not settled, so doctor
// finds out on a real account before anything relies on it. A POST that only reads; shapes only.
import { CeligoApiError } from '../core/errors.js';
import type { ProbeEnv, ProbeOutcome } from './doctor-probe-types.js';

const COUNT_KEYS = ['numRuns', 'numSuccess', 'numError', 'numOpenError', 'lastExecutedAt'];

export async function runStatsProbe(env: ProbeEnv): Promise<ProbeOutcome> {
  const body = { sandbox: false, time_gt: Date.parse(env.since) };
  let res;
  try {
    res = await env.api.http.request<unknown>('POST', '/flows/runs/stats', { body, readOnlyPost: true, signal: env.signal });
  } catch (err) {
    if (err instanceof CeligoApiError && (err.status === 404 || err.status === 405)) {
      return { result: 'differs', detail: 'POST /flows/runs/stats is not answered: run counts come from the job list', observed: { status: err.status } };
    }
    throw err;
  }
  const b = res.body as { stats?: unknown } | unknown[] | undefined;
  const rows = Array.isArray(b) ? b : Array.isArray(b?.stats) ? b.stats : undefined;
  const wrapper = Array.isArray(b) ? 'array' : rows ? '{stats}' : typeof b;
  if (!rows) return { result: 'could not tell', detail: `answered ${res.status} with neither {stats:[…]} nor a list`, observed: { status: res.status, body: wrapper } };
  const objects = rows.filter((r): r is Record<string, unknown> => !!r && typeof r === 'object' && !Array.isArray(r));
  const keys = [...new Set(objects.flatMap((r) => Object.keys(r)))].slice(0, 25).sort();
  const flowIds = objects.map((r) => r._flowId).filter((f) => typeof f === 'string');
  const observed = { status: res.status, body: wrapper, rows: rows.length, keys, repeatedFlows: flowIds.length - new Set(flowIds).size };
  if (!objects.length) return { result: 'could not tell', detail: `no finished run since ${env.since}`, observed };
  const perFlow = objects.every((r) => typeof r.numRuns === 'number' && r._jobId === undefined) && observed.repeatedFlows === 0;
  const perRun = objects.some((r) => r._jobId !== undefined) || observed.repeatedFlows > 0;
  const missing = COUNT_KEYS.filter((k) => !keys.includes(k));
  if (perFlow) return { result: 'holds', detail: `one row per flow (${missing.length ? `no ${missing.join(', ')}` : COUNT_KEYS.join(', ')})${wrapper === 'array' ? '; a bare array' : ''}`, observed };
  if (perRun) return { result: 'differs', detail: 'one row per run, not per flow: run counts still come from the job list', observed };
  return { result: 'could not tell', detail: 'rows neither carry numRuns per flow nor name their run', observed };
}
