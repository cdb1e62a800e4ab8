// Probes of the uncertain endpoints the `manage` tools use (issue 17): the recycle bin, a job's error file
// and lookup-cache data. Reads only (getData is a POST that reads); shapes only, never values.
import { CeligoApiError } from '../core/errors.js';
import type { ProbeEnv, ProbeOutcome } from './doctor-probe-types.js';

const keysOf = (v: unknown): string[] => (v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v).slice(0, 20) : []);
const kind = (v: unknown): string => (Array.isArray(v) ? 'array' : v === undefined ? 'none' : typeof v);

/** What a failed read tells: a 404 or 405 is the other form (not answered); anything else is rethrown. */
function notAnswered(err: unknown): { status: number } | undefined {
  return err instanceof CeligoApiError && (err.status === 404 || err.status === 405) ? { status: err.status } : undefined;
}

export async function recycleBinProbe(env: ProbeEnv): Promise<ProbeOutcome> {
  try {
    const res = await env.api.http.request<unknown>('GET', '/recycleBinTTL', { signal: env.signal });
    const entries = Array.isArray(res.body) ? res.body : [];
    const observed = { status: res.status, body: kind(res.body), entry: keysOf(entries[0]) };
    if (res.status === 204 || Array.isArray(res.body)) return { result: 'holds', detail: 'the recycle bin answers: a restore brings deleted objects back under their own ids', observed };
    return { result: 'could not tell', detail: 'the recycle bin answered, but not with a list', observed };
  } catch (err) {
    const na = notAnswered(err);
    if (!na) throw err;
    return { result: 'differs', detail: 'no recycle bin on this API: restore_backup re-creates deleted objects from the backup (new ids)', observed: na };
  }
}

export async function jobErrorFileProbe(env: ProbeEnv): Promise<ProbeOutcome> {
  const jobId = env.facts.errorJobId;
  if (!jobId) return { result: 'could not tell', detail: 'no job with errors in the last 7 days', observed: {} };
  try {
    const res = await env.api.http.request<unknown>('GET', `/jobs/${jobId}/errorFile/signedURL`, { signal: env.signal });
    const b = res.body as Record<string, unknown> | undefined;
    const observed = { status: res.status, keys: keysOf(b) };
    if (b && typeof b.signedURL === 'string') return { result: 'holds', detail: 'a job\'s error file comes as {signedURL}', observed };
    return { result: 'differs', detail: 'the answer holds no signedURL', observed };
  } catch (err) {
    const na = notAnswered(err);
    if (!na) throw err;
    return { result: 'differs', detail: 'no error file for jobs: get_job_errors reads the error list (at most 1000)', observed: na };
  }
}

export async function lookupCacheDataProbe(env: ProbeEnv): Promise<ProbeOutcome> {
  const caches = await env.api.lookupCaches.list({ signal: env.signal, limit: 1 });
  if (!caches.length) return { result: 'could not tell', detail: 'the account has no lookup caches', observed: { caches: 0 } };
  const res = await env.api.http.request<unknown>('POST', `/lookupcaches/${caches[0]._id}/getData`, { readOnlyPost: true, signal: env.signal });
  const b = res.body as { data?: unknown } | undefined;
  const observed = { status: res.status, body: kind(res.body), keys: keysOf(b) };
  if (b && Array.isArray(b.data)) return { result: 'holds', detail: 'getData answers {data:[{key,value}]}', observed };
  if (Array.isArray(b)) return { result: 'differs', detail: 'getData answers a bare array (the client reads both)', observed };
  return { result: res.status === 204 ? 'could not tell' : 'differs', detail: 'getData answered neither {data} nor an array', observed };
}
