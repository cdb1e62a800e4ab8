// The field mapping of a flow's import: show it (and a sample record mapped through it), and change it
// safely (preview on a sample, back up, write, read back).
import { z } from 'zod';
import { sampleFieldsLine } from '../ops/mapping/preview.js';
import { MAPPING_FIELDS, showMapping, type MappingView } from '../ops/mapping/show.js';
import { updateMapping, type UpdateMappingReport } from '../ops/mapping/update.js';
import { truncate } from '../ops/util.js';
import { idOrName, mappingChange } from './args.js';
import { json, tsv } from './format.js';
import { defineOperation, entry, type Operation, type Terminal, type ToolResult } from './types.js';

/** Rows of a mapping in one result: keeps it under 25,000 characters on any import. */
const MAX_ROWS = 200;

const FLOW_ARG = { description: 'Flow id or name' };
const IMPORT_ARG = z.string().optional().describe('Import id or name, when the flow has several');
const SAMPLE_FLAG = { flags: '--sample <file>', description: 'A sample source record: a JSON file, "-" for stdin, or the JSON itself' };

function lines(...parts: (string | undefined | false)[]): string {
  // Cut to the result budget by toolOf (fit.ts), as every result is.
  return parts.filter(Boolean).join('\n');
}


function viewForModel(r: MappingView): ToolResult {
  const rows = r.fields.slice(0, MAX_ROWS);
  const cols = r.preview ? ['generate', 'extract', 'hardCodedValue', 'value', 'missing'] : ['generate', 'extract', 'hardCodedValue', 'dataType'];
  const shown = rows.length < r.fields.length ? ` (showing ${rows.length})` : '';
  return {
    text: lines(
      `Import ${JSON.stringify(r.importName)} (${r.importId}) of flow ${JSON.stringify(r.flowName)}, Mapper ${r.format}: ${r.fields.length} field mappings${shown}.`,
      tsv(rows.map((f) => ({ ...f, value: f.value === undefined ? undefined : truncate(typeof f.value === 'string' ? f.value : JSON.stringify(f.value), 200) })), cols),
      r.preview && `Mapped sample: ${truncate(json(r.preview.output), 4000)}`,
      !!r.preview?.missingSources.length && `Source fields missing from the sample: ${r.preview.missingSources.join(', ')}`,
      r.preview && sampleFieldsLine(r.preview.sampleFields),
    ),
    structured: { ...r, fields: rows, truncated: rows.length < r.fields.length },
  };
}

function viewForTerminal(r: MappingView, t: Terminal): void {
  t.expectFields(MAPPING_FIELDS);
  if (!t.jsonMode && t.isTTY) t.print(t.c.bold(`${r.importName} (${r.importId}), Mapper ${r.format}`));
  const columns = r.preview ? ['generate', 'extract', 'hardCodedValue', 'value', 'missing'] : ['generate', 'extract', 'hardCodedValue', 'dataType'];
  t.list(r.fields.map((f) => ({ ...f })), { noun: 'field mappings', fields: MAPPING_FIELDS, columns });
  const missing = r.preview?.missingSources ?? [];
  if (missing.length && !t.jsonMode) t.note(`! Source fields missing from the sample: ${missing.join(', ')}`);
  if (r.preview && !t.jsonMode) t.note(sampleFieldsLine(r.preview.sampleFields));
}

/** The report without its next steps and outcome (the front ends write those). */
function updateData(r: UpdateMappingReport): Omit<UpdateMappingReport, 'next' | 'outcome'> {
  const { next: _next, outcome: _outcome, ...data } = r;
  return data;
}

function updateForTerminal(r: UpdateMappingReport, t: Terminal): void {
  if (t.jsonMode) {
    t.object(updateData(r));
    return;
  }
  const { c } = t;
  const ok = r.dryRun ? c.yellow('•') : r.written && r.verified !== false ? c.green('✓') : c.red('✗');
  const out = [`${ok} ${r.summary}`];
  if (r.applied.length) out.push('', t.table(r.applied.map((a) => ({ ...a })), ['op', 'generate', 'before', 'after']));
  if (r.preview) {
    out.push('', c.bold(`Preview (sample from ${r.sample})`), JSON.stringify(r.preview.output, null, 2));
    if (r.preview.missingSources.length) out.push(c.yellow(`Source fields missing from the sample: ${r.preview.missingSources.join(', ')}`));
    out.push(c.dim(sampleFieldsLine(r.preview.sampleFields)));
  } else if (r.sampleNote) out.push('', c.dim(`No preview: ${r.sampleNote}`));
  for (const w of r.warnings) out.push(`${c.yellow('!')} ${w}`);
  for (const p of r.problems) out.push(`${c.red('✗')} ${p}`);
  t.print(out.join('\n'));
}

export const mappingOperations: Operation[] = [
  entry(defineOperation({
    name: 'get_mapping',
    toolset: 'workflows',
    title: 'Get a mapping',
    description: "A flow's field mappings; with a sample record, each field's value and the missing source fields.",
    input: {
      flow: idOrName('Flow').min(1),
      import: IMPORT_ARG,
      sample: z.record(z.string(), z.unknown()).optional().describe('Source record, e.g. {"id":7}; default: one from the export'),
    },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    cli: {
      noun: 'mapping',
      verb: 'show',
      summary: 'List the field mappings of a flow\'s import; with --sample, preview the mapped output',
      args: ['flow'],
      flags: {
        flow: FLOW_ARG,
        import: { description: 'Which import of the flow (id or name; needed when it has several)' },
        sample: SAMPLE_FLAG,
      },
      examples: ['mapping show "Shopify Customers to NetSuite"', 'mapping show "Shopify Customers to NetSuite" --sample order.json', 'mapping show "Shopify Customers to NetSuite" --json generate,extract'],
    },
    run: (ctx, a) => showMapping(ctx, a),
    forModel: viewForModel,
    forTerminal: viewForTerminal,
  })),
  entry(defineOperation({
    name: 'update_mapping',
    toolset: 'workflows',
    title: 'Update a mapping',
    description: "Change a flow's field mappings: preview on a sample, back up, write, verify.",
    input: {
      flow: idOrName('Flow').min(1),
      import: IMPORT_ARG,
      changes: z.array(mappingChange).min(1).describe('At least one change, e.g. [{"op":"add","generate":"phone","extract":"tel"}]'),
      sample: z.record(z.string(), z.unknown()).optional().describe('Source record to preview on; default: one from the export'),
      dryRun: z.boolean().optional().describe('true: preview only, change nothing'),
      confirm: z.string().optional().describe('Preview token'),
    },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    cli: {
      noun: 'mapping',
      verb: 'update',
      summary: 'Add, change or remove field mappings: preview, back up, write, read back',
      args: ['flow'],
      flags: {
        flow: FLOW_ARG,
        import: { description: 'Which import of the flow (needed when it has several)' },
        changes: { flags: '--changes <json-or-file>', description: 'Changes as JSON {op, generate, extract?, hardCodedValue?} or an array of them, or a file holding that (repeatable)' },
        sample: { ...SAMPLE_FLAG, description: `${SAMPLE_FLAG.description} (default: one from the flow's export)` },
        dryRun: { description: 'Preview only; change nothing' },
      },
      examples: [
        'mapping update "Shopify Customers to NetSuite" --add email=customer.email --dry-run',
        'mapping update "Shopify Customers to NetSuite" --change memo=note --remove fax --add \'subsidiary="1"\' --yes',
      ],
    },
    run: (ctx, a) => updateMapping(ctx, a),
    forModel(r) {
      return {
        text: lines(
          r.summary,
          r.warnings.length > 0 && `Warnings:\n- ${r.warnings.join('\n- ')}`,
          r.problems.length > 0 && `Problems:\n- ${r.problems.join('\n- ')}`,
          r.preview && `Preview (${r.sample} sample): ${truncate(json(r.preview.output), 2000)}`,
          r.preview && sampleFieldsLine(r.preview.sampleFields),
        ),
        structured: updateData(r),
      };
    },
    forTerminal: updateForTerminal,
  })),
];
