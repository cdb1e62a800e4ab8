// The two mapping formats of celigo-api.md §4.4 (Mapper 1.0 `mapping.fields[]`/`mapping.lists[]`, Mapper 2.0
// recursive `mappings[]`): which one an import uses, and its field mappings as one flat list.
import type { Import } from '../../core/schemas.js';

export type MappingFormat = '1.0' | '2.0';

/** One field mapping, flattened: `generate` is the full path. */
export interface FlatMapping {
  generate: string;
  extract?: string;
  hardCodedValue?: string;
  dataType?: string;
}

/** One mapping node: a 1.0 field or list, or a 2.0 node (possibly an object or array with its own mappings). */
export type MappingNode = Record<string, unknown> & { generate?: string; extract?: string; hardCodedValue?: unknown; dataType?: string; mappings?: MappingNode[]; buildArrayHelper?: { extract?: string; mappings?: MappingNode[] }[]; fields?: MappingNode[] };
/** An import document as far as its mapping goes. */
export type MappingDoc = Record<string, unknown> & { adaptorType?: string; mapping?: { fields?: MappingNode[]; lists?: MappingNode[] }; mappings?: MappingNode[] };

/** The format an import uses, or would use when it has no mapping yet. */
export function mappingFormat(doc: Record<string, unknown>): MappingFormat {
  const d = doc as MappingDoc;
  const m1 = d.mapping && ((d.mapping.fields?.length ?? 0) > 0 || (d.mapping.lists?.length ?? 0) > 0);
  if (Array.isArray(d.mappings) && d.mappings.length > 0) return '2.0';
  if (m1) return '1.0';
  if (Array.isArray(d.mappings)) return '2.0';
  if (d.mapping) return '1.0';
  // NetSuite and Salesforce imports use Mapper 1.0 (celigo-api.md §4.4).
  return /netsuite|salesforce/i.test(String(d.adaptorType ?? '')) ? '1.0' : '2.0';
}

/** Every field mapping as a flat list (full generate paths). */
export function listMappings(doc: Record<string, unknown>): FlatMapping[] {
  const d = doc as MappingDoc;
  const out: FlatMapping[] = [];
  const leaf = (n: MappingNode, path: string): FlatMapping => {
    const f: FlatMapping = { generate: path };
    if (typeof n.extract === 'string') f.extract = n.extract;
    if (n.hardCodedValue !== undefined) f.hardCodedValue = String(n.hardCodedValue);
    if (n.dataType) f.dataType = n.dataType;
    return f;
  };
  if (mappingFormat(doc) === '1.0') {
    for (const f of d.mapping?.fields ?? []) out.push(leaf(f, String(f.generate)));
    for (const l of d.mapping?.lists ?? []) for (const f of l.fields ?? []) out.push(leaf(f, `${l.generate}.${f.generate}`));
    return out;
  }
  const walk = (nodes: MappingNode[] | undefined, prefix: string) => {
    for (const n of nodes ?? []) {
      const path = prefix ? `${prefix}.${n.generate}` : String(n.generate);
      if (n.mappings?.length) walk(n.mappings, path);
      else if (n.buildArrayHelper?.length) for (const h of n.buildArrayHelper) walk(h.mappings, path);
      else out.push(leaf(n, path));
    }
  };
  walk(d.mappings, '');
  return out;
}

/** An import's mapping as stored, with its format in the names the flow view uses. */
export function mappingOf(imp: Import): { format?: 'mapper1' | 'mapper2'; mapping?: unknown } {
  if (Array.isArray(imp.mappings) && imp.mappings.length) return { format: 'mapper2', mapping: imp.mappings };
  if (imp.mapping && typeof imp.mapping === 'object') return { format: 'mapper1', mapping: imp.mapping };
  return {};
}

/** How many field mappings a stored mapping holds (2.0: every node, nested ones included). */
export function countMapped(m: unknown): number {
  if (Array.isArray(m)) return m.reduce((n: number, x) => n + 1 + (x && typeof x === 'object' && Array.isArray((x as { mappings?: unknown[] }).mappings) ? countMapped((x as { mappings: unknown[] }).mappings) - 0 : 0), 0);
  if (m && typeof m === 'object') {
    const mm = m as { fields?: unknown[]; lists?: { fields?: unknown[] }[] };
    return (mm.fields?.length ?? 0) + (mm.lists ?? []).reduce((n, l) => n + (l.fields?.length ?? 0), 0);
  }
  return 0;
}
