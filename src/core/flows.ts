import * as s from './schemas.js';
import { ResourceApi, enc, type Call } from './resource.js';
import { asArray } from './paging.js';
import { parseCloneAnswer, parseClonePreview, type CloneBody, type ClonePreview } from './clone.js';

/**
 * Body of POST /flows/{id}/run. A backdated run (delta exports from a given date) carries the date
 * under `export` as Celigo's web app sends it (celigo-api.md W9), never as a top-level `startDate`.
 */
export interface RunFlowBody {
  _exportIds?: string[];
  export?: { startDate?: string; endDate?: string };
}

export class FlowsApi extends ResourceApi<s.Flow> {
  /**
   * POST /flows/{id}/run → the new flow job id. Never retried on 5xx or a network error: the run may
   * have started. Callers that want certainty use ops/run.ts, which checks before trying again.
   */
  async run(id: string, body: RunFlowBody = {}, call: Call = {}): Promise<{ _jobId: string }> {
    const res = await this.http.request('POST', `/flows/${enc(id)}/run`, { body, signal: call.signal });
    const r = s.runFlowResponse.parse(res.body ?? {});
    const jobId = r._jobId ?? r._id;
    if (!jobId) throw new Error('integrator.io started the flow but returned no job id');
    return { _jobId: jobId };
  }

  /** GET /flows/{id}/clone/preview: what a clone would copy, grouped by model (celigo-api.md W6). */
  async clonePreview(id: string, call: Call = {}): Promise<ClonePreview> {
    const path = `/flows/${enc(id)}/clone/preview`;
    const res = await this.http.request('GET', path, { signal: call.signal });
    return parseClonePreview(res.body, path);
  }

  /**
   * POST /flows/{id}/clone → the created components (celigo-api.md W6, §3.5). `_integrationId` is the
   * target integration ("none" for standalone, W12); the connectionMap must cover every previewed
   * Connection. Never retried on 5xx or a network error.
   */
  async clone(id: string, body: CloneBody & { _integrationId: string }, call: Call = {}): Promise<s.CloneComponent[]> {
    const path = `/flows/${enc(id)}/clone`;
    const res = await this.http.request('POST', path, { body, signal: call.signal });
    return parseCloneAnswer(res.body, path, 'Flow');
  }

  /** Open-error counts per step, every step included (celigo-api.md §7.6). */
  async errorSummary(id: string, call: Call = {}): Promise<s.FlowErrorSummary['flowErrors']> {
    const res = await this.http.request('GET', `/flows/${enc(id)}/errors`, { signal: call.signal });
    return res.body === undefined ? [] : s.flowErrorSummary.parse(res.body).flowErrors;
  }

  async latestJobs(id: string, call: Call = {}): Promise<s.Job[]> {
    const res = await this.http.request('GET', `/flows/${enc(id)}/jobs/latest`, { signal: call.signal });
    return asArray<unknown>(res.body, `GET ${new URL(res.url).pathname}`).map((j) => s.job.parse(j));
  }

  /** Full export and import configurations of the flow's steps ([P], celigo-api.md §3.1). */
  async descendants(id: string, call: Call = {}): Promise<unknown> {
    const res = await this.http.request('GET', `/flows/${enc(id)}/descendants`, { signal: call.signal });
    return res.body;
  }

  async template(id: string, call: Call = {}): Promise<unknown> {
    const res = await this.http.request('GET', `/flows/${enc(id)}/template`, { signal: call.signal });
    return res.body;
  }
}

/** Step ids of a flow in run order: page generators (exports), then processors (linear or routed). */
/**
 * What reading a flow's steps needs of it, and its name, integration, schedule and state: a report over
 * every flow of a large account keeps this instead of each whole flow (its mappings, hooks, settings).
 * `intern` hands back one copy of equal ids and schedules (ops/interner.ts), shared across the flows.
 */
export function flowOutline(flow: s.Flow, intern: (v: string) => string = (v) => v): s.Flow {
  type Step = { type?: string; _exportId?: string; _importId?: string };
  const id = (v: string | undefined) => (typeof v === 'string' ? intern(v) : v);
  const step = (p: Step): Step => ({ type: p.type, _exportId: id(p._exportId), _importId: id(p._importId) });
  const routers = (flow as { routers?: { branches?: { pageProcessors?: Step[] }[] }[] }).routers;
  return {
    _id: intern(flow._id),
    name: flow.name,
    _integrationId: id(flow._integrationId),
    disabled: flow.disabled,
    schedule: id(flow.schedule),
    pageGenerators: flow.pageGenerators?.map((p) => ({ _exportId: id(p._exportId) })),
    pageProcessors: flow.pageProcessors?.map(step),
    ...(routers ? { routers: routers.map((r) => ({ branches: r.branches?.map((b) => ({ pageProcessors: b.pageProcessors?.map(step) })) })) } : {}),
  } as s.Flow;
}

export function flowSteps(flow: s.Flow): { id: string; kind: 'export' | 'import'; role: 'source' | 'processor' }[] {
  const out: { id: string; kind: 'export' | 'import'; role: 'source' | 'processor' }[] = [];
  for (const pg of flow.pageGenerators ?? []) if (pg._exportId) out.push({ id: pg._exportId, kind: 'export', role: 'source' });
  const processors: { type?: string; _exportId?: string; _importId?: string }[] = [...(flow.pageProcessors ?? [])];
  const routers = (flow as { routers?: { branches?: { pageProcessors?: typeof processors }[] }[] }).routers ?? [];
  for (const r of routers) for (const b of r.branches ?? []) processors.push(...(b.pageProcessors ?? []));
  for (const pp of processors) {
    if (pp._importId) out.push({ id: pp._importId, kind: 'import', role: 'processor' });
    else if (pp._exportId) out.push({ id: pp._exportId, kind: 'export', role: 'processor' });
  }
  return out;
}
