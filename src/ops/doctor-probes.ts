// One probe per uncertain row of celigo-api.md (core/forms.ts): the smallest reads that tell whether the
// account answers in the form we expect. Every request is a GET or a POST that only reads, sent through a
// read-only client, so a probe cannot change anything. What a probe keeps of an answer is its shape (key
// names and types, status codes), never values.
import { CeligoApiError } from '../core/errors.js';
import { flowSteps } from '../core/flows.js';
import type { FormId } from '../core/forms.js';
import type { HttpResponse } from '../core/http.js';
import { nextLink } from '../core/paging.js';
import { shapeOf as coreShapeOf } from '../core/shape.js';
import { jobErrorFileProbe, lookupCacheDataProbe, recycleBinProbe } from './doctor-probes-manage.js';
import { runStatsProbe } from './doctor-probe-run-stats.js';
import type { Probe, ProbeEnv } from './doctor-probe-types.js';

export type { Probe, ProbeEnv, ProbeOutcome, ProbeVerdict } from './doctor-probe-types.js';

const RATE_HEADERS = ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'];

/** Notes which rate-limit headers an answer carried (the in-process transport only answers `get`). */
function note<T extends HttpResponse<unknown>>(env: ProbeEnv, res: T): T {
  for (const h of RATE_HEADERS) if (res.headers.get(h) !== null) env.headers.add(h);
  return res;
}

/** The shape of a value for the report (core/shape.ts): key names and types, never values. */
function shapeOf(v: unknown, depth = 2): unknown {
  return coreShapeOf(prune(v, depth));
}

/** Keeps objects `depth` levels deep and arrays to their first element, so a report stays small. */
function prune(v: unknown, depth: number): unknown {
  if (Array.isArray(v)) return v.length ? [prune(v[0], depth - 1)] : [];
  if (v && typeof v === 'object') {
    if (depth <= 0) return {};
    return Object.fromEntries(Object.entries(v as object).slice(0, 30).map(([k, x]) => [k, prune(x, depth - 1)]));
  }
  return v;
}

async function get(env: ProbeEnv, path: string, query: Record<string, string> = {}): Promise<HttpResponse<unknown>> {
  const url = env.api.http.url(path);
  for (const [k, v] of Object.entries(query)) url.searchParams.append(k, v);
  return note(env, await env.api.http.request<unknown>('GET', url.href, { signal: env.signal }));
}

/** GET /jobs with the query written out key by key (the probe chooses the form, not the client). */
async function jobs(env: ProbeEnv, pairs: [string, string][]): Promise<Record<string, unknown>[]> {
  const url = env.api.http.url('/jobs');
  url.searchParams.set('createdAt_gte', env.since);
  for (const [k, v] of pairs) url.searchParams.append(k, v);
  const res = note(env, await env.api.http.request<unknown>('GET', url.href, { signal: env.signal }));
  return Array.isArray(res.body) ? (res.body as Record<string, unknown>[]) : [];
}

const typesOf = (rows: Record<string, unknown>[]): string[] => [...new Set(rows.map((r) => String(r.type)))].sort();

const arrayFilters: Probe = async (env) => {
  const want = ['retry', 'bulk_retry'];
  const bracket = await jobs(env, [['type_in[0]', want[0]], ['type_in[1]', want[1]]]);
  const observed: Record<string, unknown> = { bracketTypes: typesOf(bracket), bracketRows: bracket.length };
  if (bracket.some((r) => !want.includes(String(r.type)))) {
    const repeated = await jobs(env, [['type_in', want[0]], ['type_in', want[1]]]);
    observed.repeatedTypes = typesOf(repeated);
    if (!repeated.some((r) => !want.includes(String(r.type)))) {
      return { result: 'differs', detail: 'bracket arrays were ignored; repeated keys work, and the client will send those', observed, learn: { arrayFilters: 'repeat' } };
    }
    return { result: 'differs', detail: 'neither bracket arrays nor repeated keys filtered by type; multi-value filters cannot be trusted on this account', observed };
  }
  if (bracket.length) return { result: 'holds', detail: `type_in[0]=…&type_in[1]=… returned only ${typesOf(bracket).join(' and ')} jobs`, observed };
  // No retries in the window: an ignored filter would have returned the flow jobs.
  const flows = await jobs(env, [['type', 'flow']]);
  observed.flowRows = flows.length;
  return flows.length
    ? { result: 'holds', detail: 'bracket arrays filtered out every flow job (no retry jobs in the window)', observed }
    : { result: 'could not tell', detail: 'no jobs in the last 7 days', observed };
};

const resolvedKey: Probe = async (env) => {
  if (!env.facts.flowId || !env.facts.stepId) return { result: 'could not tell', detail: 'no flow with a step to ask', observed: {} };
  const res = await get(env, `/flows/${env.facts.flowId}/${env.facts.stepId}/resolved`);
  const body = res.body as Record<string, unknown> | undefined;
  const observed = { status: res.status, shape: shapeOf(body, 1) };
  if (body && Array.isArray(body.resolved)) return { result: 'holds', detail: 'resolved errors come under `resolved`', observed };
  if (body && Array.isArray(body.errors)) return { result: 'differs', detail: 'resolved errors come under `errors` (the client reads both)', observed };
  return { result: 'differs', detail: 'neither `resolved` nor `errors` in the answer: the client will refuse it', observed };
};

async function auditFirstPage(env: ProbeEnv, limit?: number): Promise<HttpResponse<unknown>> {
  return get(env, '/audit', { from: new Date(Date.parse(env.since) - 23 * 86_400_000).toISOString(), ...(limit ? { limit: String(limit) } : {}) });
}

const auditEntries: Probe = async (env) => {
  const res = await auditFirstPage(env);
  const rows = Array.isArray(res.body) ? (res.body as Record<string, unknown>[]) : [];
  const observed = { status: res.status, entry: rows.length ? shapeOf(rows[0], 1) : undefined, entries: rows.length };
  if (!rows.length) return { result: 'could not tell', detail: 'no audit entries in the last 30 days', observed };
  if (rows.some((r) => 'event' in r || 'byUser' in r)) return { result: 'holds', detail: 'entries carry `event` and `byUser`', observed };
  if (rows.some((r) => 'action' in r || '_byUserId' in r)) return { result: 'differs', detail: 'entries carry `action` and `_byUserId` (the client reads both)', observed };
  return { result: 'differs', detail: 'entries carry neither form', observed };
};

const auditPaging: Probe = async (env) => {
  const res = await auditFirstPage(env, 1);
  const rows = Array.isArray(res.body) ? res.body.length : 0;
  const link = !!nextLink(res.headers.get('link'));
  const observed = { status: res.status, rows, linkNext: link };
  if (rows === 1 && link) return { result: 'holds', detail: 'limit=1 gave one entry and a Link rel="next"', observed };
  if (rows > 1 && !link) return { result: 'differs', detail: 'the whole log came in one answer, without a Link header', observed };
  return { result: 'could not tell', detail: rows ? 'one entry and no Link: perhaps the only entry' : 'no audit entries', observed };
};

const dependencies: Probe = async (env) => {
  if (!env.facts.flowId) return { result: 'could not tell', detail: 'no flow to ask', observed: {} };
  const res = await get(env, `/flows/${env.facts.flowId}/dependencies`);
  const body = res.body && typeof res.body === 'object' ? (res.body as Record<string, unknown>) : {};
  const entries = Object.values(body).filter(Array.isArray).flat() as Record<string, unknown>[];
  const observed = { status: res.status, keys: Object.keys(body), entry: entries.length ? shapeOf(entries[0], 1) : undefined };
  if (!entries.length) return { result: 'could not tell', detail: 'the flow has no dependencies to look at', observed };
  if (entries.every((e) => typeof e.id === 'string')) return { result: 'holds', detail: 'entries carry `id`', observed };
  if (entries.every((e) => typeof e._id === 'string')) return { result: 'differs', detail: 'entries carry `_id` (the client reads both)', observed };
  return { result: 'differs', detail: 'entries carry neither `id` nor `_id`', observed };
};

const jobsWithoutType: Probe = async (env) => {
  const rows = await jobs(env, []);
  const types = typesOf(rows);
  env.facts.jobTypes = types;
  const withErrors = rows.find((r) => r.type === 'flow' && Number(r.numError ?? 0) > 1 && typeof r._flowId === 'string');
  if (withErrors) {
    env.facts.errorFlowId = String(withErrors._flowId);
    env.facts.errorJobId = String(withErrors._id);
  }
  const observed = { rows: rows.length, types };
  if (!rows.length) return { result: 'could not tell', detail: 'no jobs in the last 7 days', observed };
  if (types.includes('export') || types.includes('import')) return { result: 'holds', detail: 'flow jobs came with their export/import children (the client always sends a type)', observed };
  return { result: 'differs', detail: 'only parent jobs came back (the client always sends a type, so nothing changes)', observed };
};

const jobsCurrent: Probe = async (env) => {
  const res = note(env, await env.api.http.request<unknown>('POST', '/jobs/current', { body: {}, readOnlyPost: true, signal: env.signal }));
  const observed = { status: res.status, shape: shapeOf(res.body, 1) };
  if (res.body && typeof res.body === 'object' && Array.isArray((res.body as { jobs?: unknown }).jobs)) return { result: 'holds', detail: 'running jobs come as {jobs:[…]}', observed };
  if (Array.isArray(res.body)) return { result: 'differs', detail: 'running jobs come as a bare array (the client reads both)', observed };
  if (res.status === 204) return { result: 'could not tell', detail: 'no body (nothing running?)', observed };
  return { result: 'differs', detail: 'neither {jobs} nor an array', observed };
};

const linkPaging: Probe = async (env) => {
  const one = await get(env, '/flows', { limit: '1', include: 'name' });
  const rows = Array.isArray(one.body) ? one.body.length : 0;
  const link = !!nextLink(one.headers.get('link'));
  const observed: Record<string, unknown> = { status: one.status, rows, linkNext: link };
  if (rows === 1 && link) return { result: 'holds', detail: 'limit=1 gave one flow and a Link rel="next"', observed };
  if (rows > 1) return { result: 'differs', detail: 'limit was ignored: the whole list came in one answer (the client reads it whole)', observed };
  if (rows === 1) {
    const two = await get(env, '/flows', { limit: '2', include: 'name' });
    observed.rowsWithLimit2 = Array.isArray(two.body) ? two.body.length : 0;
    if (observed.rowsWithLimit2 === 2) return { result: 'differs', detail: 'limit is honoured but no Link header is sent; the client will page with skip', observed, learn: { listPaging: 'skip' } };
  }
  return { result: 'could not tell', detail: 'fewer than two flows', observed };
};

const emptyList: Probe = async (env) => {
  const res = await get(env, '/flows', { _integrationId: '000000000000000000000000' });
  const observed = { status: res.status, shape: shapeOf(res.body, 1) };
  if (res.status === 204) return { result: 'holds', detail: 'an empty list is 204 with no body', observed };
  if (Array.isArray(res.body) && res.body.length === 0) return { result: 'differs', detail: 'an empty list is 200 with [] (the client reads both)', observed };
  return { result: 'could not tell', detail: 'the filter for an unknown integration did not give an empty list', observed };
};

const rateLimitHeaders: Probe = async (env) => {
  const names = [...env.headers];
  const observed = { headers: names };
  return names.length
    ? { result: 'differs', detail: `answers carry ${names.join(', ')} (the client waits on 429 Retry-After either way)`, observed }
    : { result: 'holds', detail: 'no X-RateLimit-* headers on any answer', observed };
};

const errorsNextPage: Probe = async (env) => {
  const flowId = env.facts.errorFlowId;
  if (!flowId) return { result: 'could not tell', detail: 'no flow with errors in the last 7 days', observed: {} };
  const summary = await get(env, `/flows/${flowId}/errors`);
  const steps = ((summary.body as { flowErrors?: { _expOrImpId?: string; numError?: number }[] } | undefined)?.flowErrors ?? []).filter((s) => (s.numError ?? 0) > 1);
  if (!steps.length) return { result: 'could not tell', detail: 'no step with two open errors', observed: { status: summary.status } };
  const res = await get(env, `/flows/${flowId}/${steps[0]._expOrImpId}/errors`, { limit: '1' });
  const next = (res.body as { nextPageURL?: unknown } | undefined)?.nextPageURL;
  const observed = { status: res.status, nextPageURL: next === undefined ? 'absent' : typeof next === 'string' ? (/^https?:/i.test(next) ? 'absolute URL' : next.startsWith('/v1/') ? '/v1 path' : 'other string') : typeof next };
  if (typeof next !== 'string') return { result: 'could not tell', detail: 'limit=1 did not give a second page', observed };
  if (next.startsWith('/v1/')) return { result: 'holds', detail: 'nextPageURL is a /v1/… path', observed };
  return { result: 'differs', detail: `nextPageURL is ${observed.nextPageURL} (the client follows it on the same host only)`, observed };
};

const unauthorizedBody: Probe = async (env) => {
  const probe = env.api.http.withProbeToken('celigo-manage-doctor-invalid-token-0000');
  try {
    const res = await probe.request('GET', '/tokenInfo', { signal: env.signal });
    return { result: 'could not tell', detail: `an invalid token was answered ${res.status}`, observed: { status: res.status } };
  } catch (err) {
    if (!(err instanceof CeligoApiError)) throw err;
    const observed = { status: err.status, envelope: err.fieldErrors.length > 0 || err.code !== 'unauthorized' };
    if (err.status !== 401) return { result: 'could not tell', detail: `an invalid token was answered ${err.status || 'with no answer'}`, observed };
    // toApiError falls back to code 'unauthorized' and the default message only when there was no envelope.
    return err.message !== 'Unauthorized' && err.message.length > 0
      ? { result: 'holds', detail: '401 with the errors envelope', observed }
      : { result: 'differs', detail: '401 without the errors envelope (the client keys on the status)', observed };
  }
};

/** A flow with at least one step: resolved errors and dependencies are asked of it. */
export async function findFacts(env: ProbeEnv): Promise<void> {
  const flows = await env.api.flows.list({}, { signal: env.signal, limit: 50 });
  const f = flows.find((x) => flowSteps(x).length > 0);
  if (f) {
    env.facts.flowId = f._id;
    env.facts.stepId = flowSteps(f)[0].id;
  }
}

export function probes(): Record<FormId, Probe> {
  return {
    'array-filters': arrayFilters,
    'resolved-key': resolvedKey,
    'audit-entries': auditEntries,
    'audit-paging': auditPaging,
    dependencies,
    'jobs-without-type': jobsWithoutType,
    'jobs-current': jobsCurrent,
    'link-paging': linkPaging,
    'empty-list': emptyList,
    'errors-next-page': errorsNextPage,
    'unauthorized-body': unauthorizedBody,
    'rate-limit-headers': rateLimitHeaders,
    'recycle-bin': recycleBinProbe,
    'job-error-file': jobErrorFileProbe,
    'lookup-cache-data': lookupCacheDataProbe,
    'run-stats': runStatsProbe,
  };
}
