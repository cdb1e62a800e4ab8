// Reads of exports and imports (one file, as in core/exports.ts): lists with the flow or mapping they
// belong to, and one export or import by id or name.
import type { OpContext } from '../context.js';
import type { Flow, Export, Import } from '../../core/schemas.js';
import { flowSteps } from '../../core/flows.js';
import { resolveIntegration, resolveExport, resolveImport } from '../resolve.js';
import { compact } from '../project.js';
import { containsText, filterText, INTEGRATION_REF } from './filter.js';
import { countMapped, mappingOf } from '../mapping/formats.js';

/** The rows whose name contains `text` (case-insensitive); all of them when no text is given; blank text is an error. */
export function nameContains<T extends { name: string }>(rows: T[], text: string | undefined, noun = 'export or import'): T[] {
  const t = containsText(text, 'name', noun, 'orders');
  return t !== undefined ? rows.filter((r) => r.name.toLowerCase().includes(t)) : rows;
}

export interface ExportRow {
  id: string;
  name: string;
  adaptorType?: string;
  connection?: string;
  flow?: string;
  status: string;
  schedule?: string;
  [k: string]: unknown;
}
export const EXPORT_FIELDS = ['id', 'name', 'adaptorType', 'connection', 'flow', 'status', 'schedule'] as const;

/** Exports with the flow that runs them: its schedule and whether it is enabled. */
export async function listExports(ctx: OpContext, q: { integration?: string; name?: string } = {}): Promise<ExportRow[]> {
  const { api, signal } = ctx;
  const ref = filterText(q.integration, 'integration', INTEGRATION_REF, 'the whole account');
  const integration = ref !== undefined ? await resolveIntegration(api, ref) : undefined;
  const [exps, flows, conns] = await Promise.all([
    integration ? api.integrations.exports(integration._id, { signal }) : api.exports.list({}, { signal }),
    integration ? api.integrations.flows(integration._id, { signal }) : api.flows.list({}, { signal }),
    api.connections.list({}, { signal }),
  ]);
  const connName = new Map(conns.map((c) => [c._id, c.name]));
  const flowOf = new Map<string, Flow>();
  for (const f of flows) for (const s of flowSteps(f)) if (s.kind === 'export' && !flowOf.has(s.id)) flowOf.set(s.id, f);
  const rows = exps.map((e) => {
    const f = flowOf.get(e._id);
    const pgSchedule = f?.pageGenerators?.find((p) => p._exportId === e._id)?.schedule;
    return compact({
      id: e._id,
      name: e.name,
      adaptorType: e.adaptorType,
      connection: typeof e._connectionId === 'string' ? connName.get(e._connectionId) : undefined,
      flow: f?.name,
      status: !f ? 'unused' : f.disabled ? 'disabled' : 'enabled',
      schedule: (typeof pgSchedule === 'string' ? pgSchedule : undefined) ?? f?.schedule,
    }) as ExportRow;
  });
  return nameContains(rows, q.name);
}

export interface ImportRow {
  id: string;
  name: string;
  adaptorType?: string;
  connection?: string;
  mappingFormat?: string;
  mappedFields: number;
  [k: string]: unknown;
}
export const IMPORT_FIELDS = ['id', 'name', 'adaptorType', 'connection', 'mappingFormat', 'mappedFields'] as const;

export async function listImports(ctx: OpContext, q: { integration?: string; name?: string } = {}): Promise<ImportRow[]> {
  const { api, signal } = ctx;
  const ref = filterText(q.integration, 'integration', INTEGRATION_REF, 'the whole account');
  const integration = ref !== undefined ? await resolveIntegration(api, ref) : undefined;
  const [imps, conns] = await Promise.all([
    integration ? api.integrations.imports(integration._id, { signal }) : api.imports.list({}, { signal }),
    api.connections.list({}, { signal }),
  ]);
  const connName = new Map(conns.map((c) => [c._id, c.name]));
  const rows = imps.map((i) => {
    const m = mappingOf(i);
    return compact({
      id: i._id,
      name: i.name,
      adaptorType: i.adaptorType,
      connection: typeof i._connectionId === 'string' ? connName.get(i._connectionId) : undefined,
      mappingFormat: m.format,
      mappedFields: countMapped(m.mapping),
    }) as ImportRow;
  });
  return nameContains(rows, q.name);
}

export async function getExport(ctx: OpContext, idOrName: string): Promise<Export> {
  return resolveExport(ctx.api, idOrName);
}

export async function getImport(ctx: OpContext, idOrName: string): Promise<Import> {
  return resolveImport(ctx.api, idOrName);
}
