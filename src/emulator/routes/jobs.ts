// /jobs (celigo-api.md §6): filters of §6.2, the parent/child rule (400 invalid_query), newest createdAt
// first, at most config.jobsPageSize rows, no Link header (clients page on with createdAt_lte).
import { iso } from '../clock.js';
import { retryDataKey } from '../ids.js';
import { type JobRec, isParentType, renderJob } from '../job-table.js';
import { cancelJob } from '../jobs.js';
import { ApiError, notFound, type Reply } from '../respond.js';
import type { Ctx, RouteDef } from '../router.js';
import { parseDateParam, parseIntParam } from '../validate.js';
import { otherForm } from '../config.js';
import { multi } from '../query.js';

const PARENT_ANCHORS = ['_integrationId', '_flowId', '_flowId_in', '_exportId', '_importId', '_flowJobId', '_jobId', '_bulkJobId', 'createdAt_gte', 'createdAt_lte', 'createdAt_gt'];
const NUM_FIELDS = ['numSuccess', 'numExport', 'numIgnore', 'numError', 'numOpenError', 'numResolved'] as const;
const EQ_FIELDS = ['_integrationId', '_exportId', '_importId', '_flowId', '_flowJobId', '_bulkJobId'] as const;

type Pred = (j: JobRec) => boolean;

function buildQuery(ctx: Ctx): { preds: Pred[]; lte?: number; lower?: { t: number; strict: boolean }; flowId?: string } {
  const q = ctx.query;
  const preds: Pred[] = [];
  const type = q.get('type');
  const typeIn = multi(q, 'type_in', ctx.config);
  const types = type ? [type] : typeIn;
  const has = (k: string): boolean => (k.endsWith('_in') ? !!multi(q, k, ctx.config)?.length : q.get(k) !== null && q.get(k) !== '');

  if (types && types.every((t) => t === 'export' || t === 'import')) {
    if (!has('_flowJobId') && !has('_exportId') && !has('_importId')) {
      throw new ApiError(400, 'invalid_query', 'For child jobs, query parameters must contain either "_flowJobId" or "resourceId"');
    }
  } else if (!PARENT_ANCHORS.some(has)) {
    throw new ApiError(400, 'invalid_query', 'For parent jobs, query parameters must contain either "_integrationId" or "_jobId" or "createdAt"');
  }

  if (types) {
    const set = new Set(types);
    preds.push((j) => set.has(j.type));
  } else if (!has('_flowJobId') && otherForm(ctx.config, 'jobs-without-type')) {
    // Other form of W14: without `type`, only parent jobs.
    preds.push((j) => isParentType(j.type));
  }
  // Without `type`, a real 2023 capture holds flow jobs and their export/import children (W14).
  const statuses = multi(q, 'status', ctx.config);
  if (statuses) {
    const set = new Set(statuses);
    preds.push((j) => set.has(j.status));
  }
  if (q.get('_integrationId') === 'none') preds.push((j) => !j._integrationId); // standalone flows (W12)
  for (const f of EQ_FIELDS) {
    const v = q.get(f);
    if (v !== null && v !== '' && !(f === '_integrationId' && v === 'none')) preds.push((j) => j[f] === v);
  }
  const jobId = q.get('_jobId');
  if (jobId) preds.push((j) => j._id === jobId);
  const flowIn = multi(q, '_flowId_in', ctx.config);
  if (flowIn) {
    const set = new Set(flowIn);
    preds.push((j) => j._flowId !== undefined && set.has(j._flowId));
  }
  const retriable = q.get('retriable');
  if (retriable !== null) {
    if (retriable !== 'true' && retriable !== 'false') throw new ApiError(400, 'invalid_query', '`retriable` must be true or false.', 'retriable');
    const want = retriable === 'true';
    preds.push((j) => (j.retriable === true) === want);
  }
  for (const f of NUM_FIELDS) {
    const gte = q.get(`${f}_gte`);
    const lte = q.get(`${f}_lte`);
    if (gte !== null) { const n = parseIntParam(`${f}_gte`, gte, Number.MIN_SAFE_INTEGER, 'invalid_query'); preds.push((j) => j[f] >= n); }
    if (lte !== null) { const n = parseIntParam(`${f}_lte`, lte, Number.MIN_SAFE_INTEGER, 'invalid_query'); preds.push((j) => j[f] <= n); }
  }
  const lteQ = q.get('createdAt_lte');
  const gteQ = q.get('createdAt_gte');
  const gtQ = q.get('createdAt_gt');
  const lte = lteQ ? parseDateParam('createdAt_lte', lteQ) : undefined;
  let lower: { t: number; strict: boolean } | undefined;
  if (gteQ) lower = { t: parseDateParam('createdAt_gte', gteQ), strict: false };
  if (gtQ) {
    const t = parseDateParam('createdAt_gt', gtQ);
    if (!lower || t >= lower.t) lower = { t, strict: true };
  }
  const flowId = q.get('_flowId') ?? undefined;
  return { preds, lte, lower, flowId: flowId && (!types || types.every(isParentType)) ? flowId : undefined };
}

function listJobs(ctx: Ctx): Reply {
  const { preds, lte, lower, flowId } = buildQuery(ctx);
  const source = flowId ? ctx.store.jobs.byFlow.get(flowId) ?? [] : ctx.store.jobs.all;
  let i = source.length - 1;
  if (lte !== undefined) {
    if (flowId) while (i >= 0 && source[i].createdAt > lte) i--;
    else i = ctx.store.jobs.upperBound(lte) - 1;
  }
  const cap = ctx.config.jobsPageSize;
  const rows: Record<string, unknown>[] = [];
  for (; i >= 0 && rows.length < cap; i--) {
    const j = source[i];
    if (lower && (j.createdAt < lower.t || (lower.strict && j.createdAt === lower.t))) break;
    let ok = true;
    for (const p of preds) if (!p(j)) { ok = false; break; }
    if (ok) rows.push(renderJob(j));
  }
  return { status: 200, body: rows, mask: false };
}

function jobOr404(ctx: Ctx): JobRec {
  const j = ctx.store.jobs.get(ctx.params.id);
  if (!j) throw notFound('Job');
  return j;
}

function notCancelable(j: JobRec): ApiError {
  return new ApiError(422, 'invalid_job_state', `The job is ${j.status} and can no longer be canceled.`);
}

export const jobRoutes: RouteDef[] = [
  { method: 'GET', path: '/jobs', handler: listJobs, note: 'every §6.2 filter; parent/child rule -> 400 invalid_query; newest first; capped, no Link' },
  { method: 'GET', path: '/jobs/:id', handler: (ctx) => ({ status: 200, body: renderJob(jobOr404(ctx)), mask: false }) },
  {
    method: 'PUT',
    path: '/jobs/:id/cancel',
    note: '§11 best guess: 200 with the canceled job (canceledBy = user id); an ended job -> 422',
    handler: (ctx) => {
      const j = jobOr404(ctx);
      if (!cancelJob(ctx.store, j, ctx.caller.userId, ctx.now)) throw notCancelable(j);
      return { status: 200, body: renderJob(j), mask: false };
    },
  },
  {
    method: 'DELETE',
    path: '/jobs/:id',
    note: 'TCHOW form of cancel: flow jobs only -> 204',
    handler: (ctx) => {
      const j = jobOr404(ctx);
      if (j.type !== 'flow') throw new ApiError(422, 'invalid_job_type', 'Only flow jobs can be canceled this way.');
      if (!cancelJob(ctx.store, j, ctx.caller.userId, ctx.now)) throw notCancelable(j);
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    path: '/jobs/:id/joberrors',
    note: 'legacy shape (§6.4), at most 1000',
    handler: (ctx) => {
      const j = jobOr404(ctx);
      const parent = j.parent ?? j;
      const flowId = parent._flowId;
      const out: Record<string, unknown>[] = [];
      const steps = flowId ? ctx.store.errors.stepsOf(flowId) : undefined;
      for (const [stepId, s] of steps ?? []) {
        if (j.parent && stepId !== (j._exportId ?? j._importId)) continue;
        for (const [list, resolved] of [[s.open, false], [s.resolved, true]] as const) {
          for (const e of list) {
            if (e.jobId !== parent._id || (j.parent && e.oIndex !== j.oIndex)) continue;
            if (out.length >= 1000) break;
            out.push({
              resolve: resolved, retry: false, createdAt: iso(e.at), code: e.pattern.code, message: e.pattern.message,
              source: e.pattern.source, extract: '', generate: '', exportDataURI: '', importDataURI: '',
              _retryId: retryDataKey(e.id), _jobId: j._id,
            });
          }
        }
      }
      return { status: 200, body: out, mask: false };
    },
  },
  {
    method: 'POST',
    path: '/jobs/current',
    note: 'queued, running and canceling parent jobs -> {jobs:[…]} (W8); optional body filter {_integrationId?, _flowId?}',
    handler: (ctx) => {
      const f = (ctx.body && typeof ctx.body === 'object' ? ctx.body : {}) as Record<string, unknown>;
      const rows = [...ctx.store.jobs.active]
        .filter((j) => isParentType(j.type) && (j.status === 'queued' || j.status === 'running' || j.status === 'canceling'))
        .filter((j) => (typeof f._integrationId !== 'string' || j._integrationId === f._integrationId) && (typeof f._flowId !== 'string' || j._flowId === f._flowId))
        .sort((a, b) => b.createdAt - a.createdAt)
        .map(renderJob);
      return { status: 200, body: otherForm(ctx.config, 'jobs-current') ? rows : { jobs: rows }, mask: false };
    },
  },
];
