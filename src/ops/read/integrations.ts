// Reads of integrations: the list with flow counts, status, tag and open errors, and one integration with its flows.
// Projected to the fields people need; the front ends (MCP tools, CLI) do the formatting.
import type { OpContext } from '../context.js';
import type { Flow } from '../../core/schemas.js';
import { UsageError } from '../../core/errors.js';
import { mapPool, readWidth } from '../pool.js';
import { hasTag, tagOf } from '../tags.js';
import { resolveIntegration } from '../resolve.js';
import { compact } from '../project.js';
import { containsText, filterText } from './filter.js';

export interface IntegrationRow {
  id: string;
  name: string;
  status: string;
  version?: string;
  flows: number;
  enabledFlows: number;
  openErrors?: number;
  /** Its one tag (Celigo keeps one per integration), if it has one. */
  tag?: string;
  [k: string]: unknown;
}
export const INTEGRATION_FIELDS = ['id', 'name', 'status', 'version', 'flows', 'enabledFlows', 'openErrors', 'tag'] as const;

/**
 * Every integration (with `name` and `tag` filters) with its flow counts, status and tag, and its open
 * errors: one request per integration, so only for the rows `errorsFor` says will be shown when given
 * (the others have none), and for none with `errors: false`.
 */
export async function listIntegrations(ctx: OpContext, q: { name?: string; tag?: string; errors?: boolean; errorsFor?: { offset: number; count: number } } = {}): Promise<IntegrationRow[]> {
  const { api, signal } = ctx;
  const name = containsText(q.name, 'name', 'integration', 'netsuite');
  const tag = filterText(q.tag, 'tag', 'a tag, e.g. "critical"', 'every integration');
  const [integrations, flows] = await Promise.all([api.integrations.list({}, { signal }), api.flows.list({}, { signal })]);
  const byIntegration = new Map<string, Flow[]>();
  for (const f of flows) {
    if (!f._integrationId) continue;
    const list = byIntegration.get(f._integrationId);
    if (list) list.push(f);
    else byIntegration.set(f._integrationId, [f]);
  }
  let rows: IntegrationRow[] = integrations.map((i) => {
    const fl = byIntegration.get(i._id) ?? [];
    const enabled = fl.filter((f) => !f.disabled).length;
    const mode = typeof i.mode === 'string' && i.mode !== 'settings' ? i.mode : undefined;
    return compact({
      id: i._id,
      name: i.name,
      status: mode ?? (fl.length === 0 ? 'empty' : enabled > 0 ? 'active' : 'inactive'),
      version: typeof i.version === 'string' ? i.version : undefined,
      flows: fl.length,
      enabledFlows: enabled,
      tag: tagOf(i),
    }) as IntegrationRow;
  });
  if (name !== undefined) rows = rows.filter((r) => r.name.toLowerCase().includes(name));
  if (tag !== undefined) {
    const inUse = [...new Set(integrations.map(tagOf).filter((t): t is string => t !== undefined))].sort();
    if (!integrations.some((i) => hasTag(i, tag))) {
      throw new UsageError(`No integration has tag "${tag}". Integration tags in use: ${inUse.join(', ') || '(none)'}.`);
    }
    rows = rows.filter((r) => hasTag(r, tag));
  }
  if (q.errors !== false) {
    const counted = q.errorsFor ? rows.slice(q.errorsFor.offset, q.errorsFor.offset + q.errorsFor.count) : rows;
    await mapPool(counted, readWidth(ctx), async (r) => {
      const summary = await api.integrations.errorSummary(r.id, {}, { signal });
      r.openErrors = summary.reduce((n, s) => n + s.numError, 0);
    }, signal);
  }
  return rows;
}

export async function getIntegration(ctx: OpContext, idOrName: string) {
  const { api, signal } = ctx;
  const integration = await resolveIntegration(api, idOrName);
  const [flows, errors] = await Promise.all([
    api.integrations.flows(integration._id, { signal }),
    api.integrations.errorSummary(integration._id, {}, { signal }),
  ]);
  const openByFlow = new Map(errors.map((e) => [e._flowId, e.numError]));
  return {
    integration,
    flows: flows.map((f) => compact({ id: f._id, name: f.name, enabled: !f.disabled, schedule: f.schedule, openErrors: openByFlow.get(f._id) ?? 0 })),
  };
}
