// The field mappings of a flow's import, and optionally a sample record mapped through them.
import type { OpContext } from '../context.js';
import { listMappings, mappingFormat, type MappingFormat } from './formats.js';
import { previewMapping, sampleFields } from './preview.js';
import { exportSample, importOfFlow } from './update.js';

/** One field mapping; with a sample, the value it maps to (or that its source field is missing). */
export interface MappingRow {
  generate: string;
  extract?: string;
  hardCodedValue?: string;
  dataType?: string;
  value?: unknown;
  missing?: boolean;
  /** A handlebars expression with helpers: not evaluated. */
  expression?: boolean;
}

export const MAPPING_FIELDS = ['generate', 'extract', 'hardCodedValue', 'dataType', 'value', 'missing'] as const;

export interface MappingView {
  flowId: string;
  flowName: string;
  importId: string;
  importName: string;
  format: MappingFormat;
  fields: MappingRow[];
  /** With a sample: the record as the mapping would write it, the source fields it lacks, and those it has. */
  preview?: { output: Record<string, unknown>; missingSources: string[]; sampleFields: string[] };
  /** Where the sample came from: given, read from the flow's source export, or none (then why). */
  sample?: 'given' | 'export' | 'none';
  sampleNote?: string;
}

export async function showMapping(ctx: OpContext, input: { flow: string; import?: string; sample?: Record<string, unknown> }): Promise<MappingView> {
  const { flow, imp } = await importOfFlow(ctx, input.flow, input.import);
  const doc = imp as Record<string, unknown>;
  const base = { flowId: flow._id, flowName: flow.name, importId: imp._id, importName: imp.name, format: mappingFormat(doc) };
  // Without a sample, one record of the flow's source export (as update_mapping previews on): the mapping
  // is seen against real fields, so a missing source field shows without the caller having a record.
  const { sample, from, note } = input.sample ? { sample: input.sample, from: 'given' as const, note: undefined } : await exportSample(ctx, flow);
  if (!sample) return { ...base, fields: listMappings(doc), sample: from, ...(note ? { sampleNote: note } : {}) };
  const p = previewMapping(doc, sample);
  return { ...base, fields: p.fields, preview: { output: p.output, missingSources: p.missingSources, sampleFields: sampleFields(sample) }, sample: from };
}
