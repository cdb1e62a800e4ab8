// Which flows and integrations use a resource: checked before a delete, a disable or a connection change
// (issue 4 item 9). Built from the resource lists (a few bulk reads), not from the unconfirmed
// /dependencies endpoints (celigo-api.md §3.4: their shape is unknown).
import { UsageError } from '../core/errors.js';
import { flowSteps } from '../core/flows.js';
import type { Flow } from '../core/schemas.js';
import type { OpContext } from './context.js';
import { resolveConnection, resolveExport, resolveFlow, resolveImport, resolveIntegration } from './resolve.js';
import { hasTag, tagOf } from './tags.js';
import { plural } from './util.js';

export const DEPENDENCY_TYPES = ['integration', 'flow', 'export', 'import', 'connection', 'tag'] as const;
export type DependencyType = (typeof DEPENDENCY_TYPES)[number];

export interface DependentFlow {
  _id: string;
  name: string;
  _integrationId?: string;
  disabled: boolean;
  scheduled: boolean;
  /** How the flow uses the resource: "source", "step", "connection of <step>", "runs next", "member". */
  uses: string[];
}

export interface DependencyReport {
  target: { type: DependencyType; id: string; name?: string };
  inUse: boolean;
  flows: DependentFlow[];
  integrations: { _id: string; name: string }[];
  /** Exports and imports that use a connection. */
  steps: { type: 'export' | 'import'; _id: string; name: string }[];
  /** Enabled flows affected: a delete or disable breaks or stops these. */
  enabledFlows: number;
  summary: string;
}

export async function checkDependencies(ctx: OpContext, input: { type: DependencyType; id: string }): Promise<DependencyReport> {
  const { api, signal } = ctx;
  if (!DEPENDENCY_TYPES.includes(input.type)) throw new UsageError(`Unknown type "${input.type}"; use one of ${DEPENDENCY_TYPES.join(', ')}.`);
  const uses = new Map<string, { flow: Flow; uses: Set<string> }>();
  const note = (f: Flow, how: string) => {
    let e = uses.get(f._id);
    if (!e) uses.set(f._id, (e = { flow: f, uses: new Set() }));
    e.uses.add(how);
  };
  const steps: DependencyReport['steps'] = [];
  let target: DependencyReport['target'];
  let integrationIds = new Set<string>();
  let integrationList: { _id: string; name: string }[] | undefined;

  if (input.type === 'integration') {
    const integ = await resolveIntegration(api, input.id);
    target = { type: 'integration', id: integ._id, name: integ.name };
    for (const f of await api.integrations.flows(integ._id, { signal })) note(f, 'member');
  } else if (input.type === 'tag') {
    // An integration tag is the label in each integration's one `tag` field (celigo-api.md W5), not an
    // object with an id: the integrations that carry it are what uses it.
    const label = input.id.trim();
    if (!label) throw new UsageError('Give an integration tag, e.g. critical.');
    const all = await api.integrations.list({}, { signal });
    integrationList = all;
    const carrying = all.filter((i) => hasTag(i, label));
    target = { type: 'tag', id: label, name: carrying.length ? tagOf(carrying[0]) : label };
    integrationIds = new Set(carrying.map((i) => i._id));
  } else {
    const flows = await api.flows.list({}, { signal });
    if (input.type === 'flow') {
      const flow = await resolveFlow(api, input.id);
      target = { type: 'flow', id: flow._id, name: flow.name };
      for (const f of flows) if (((f._runNextFlowIds as string[] | undefined) ?? []).includes(flow._id)) note(f, 'runs next');
      if (flow._integrationId) integrationIds.add(flow._integrationId);
    } else if (input.type === 'export' || input.type === 'import') {
      const res = input.type === 'export' ? await resolveExport(api, input.id) : await resolveImport(api, input.id);
      target = { type: input.type, id: res._id, name: res.name };
      for (const f of flows) {
        for (const st of flowSteps(f)) if (st.id === res._id) note(f, st.role === 'source' ? 'source' : 'step');
      }
    } else {
      const conn = await resolveConnection(api, input.id);
      target = { type: 'connection', id: conn._id, name: conn.name };
      const [exps, imps] = await Promise.all([
        api.exports.list({ _connectionId: conn._id }, { signal }),
        api.imports.list({ _connectionId: conn._id }, { signal }),
      ]);
      // Filter again: a server that ignores the query parameter returns everything.
      const byStep = new Map<string, string>();
      for (const e of exps) if (e._connectionId === conn._id) {
        steps.push({ type: 'export', _id: e._id, name: e.name });
        byStep.set(e._id, e.name);
      }
      for (const i of imps) if (i._connectionId === conn._id) {
        steps.push({ type: 'import', _id: i._id, name: i.name });
        byStep.set(i._id, i.name);
      }
      for (const f of flows) for (const st of flowSteps(f)) if (byStep.has(st.id)) note(f, `connection of ${byStep.get(st.id)}`);
    }
  }

  const dependents: DependentFlow[] = [...uses.values()].map(({ flow, uses: u }) => ({
    _id: flow._id,
    name: flow.name,
    _integrationId: flow._integrationId,
    disabled: !!flow.disabled,
    scheduled: !!flow.schedule,
    uses: [...u],
  }));
  for (const f of dependents) if (f._integrationId && input.type !== 'integration') integrationIds.add(f._integrationId);
  let integrations: DependencyReport['integrations'] = [];
  if (integrationIds.size) {
    const all = integrationList ?? (await api.integrations.list({}, { signal }));
    integrations = all.filter((i) => integrationIds.has(i._id)).map((i) => ({ _id: i._id, name: i.name }));
  }
  const enabledFlows = dependents.filter((f) => !f.disabled).length;
  const inUse = dependents.length > 0 || integrations.length > 0 || steps.length > 0;
  const label = `${target.type} ${target.name !== undefined ? JSON.stringify(target.name) : target.id}`;
  const summary = !inUse
    ? `Nothing uses ${label}.`
    : `${label} is used by ${plural(dependents.length, 'flow')} (${enabledFlows} enabled)` +
      (integrations.length ? ` in ${plural(integrations.length, 'integration')}` : '') +
      (steps.length ? ` through ${plural(steps.length, 'step')}` : '') +
      '.';
  return { target, inUse, flows: dependents, integrations, steps, enabledFlows, summary };
}
