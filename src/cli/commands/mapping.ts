import type { NounSpec, RunContext } from '../spec.js';
import { opt } from '../spec.js';
import { arg, optStr, readJsonFile } from './common.js';
import { renderTable, type Colors } from '../output.js';
import { cliWords } from '../words.js';
import { UsageError } from '../../core/errors.js';
import type { MappingChange } from '../../ops/mapping/apply.js';
import type { UpdateMappingReport } from '../../ops/mapping/update.js';

export const MAPPING_FIELDS = ['generate', 'extract', 'hardCodedValue', 'dataType', 'value', 'missing'] as const;

/** "target=source" or 'target="constant"' into a change. */
export function parseChange(op: 'add' | 'change', s: string): MappingChange {
  const eq = s.indexOf('=');
  if (eq <= 0) throw new UsageError(`--${op} "${s}" must look like target=source (e.g. email=customer.email) or target="constant".`);
  const generate = s.slice(0, eq).trim();
  const src = s.slice(eq + 1).trim();
  const m = /^"(.*)"$/s.exec(src);
  if (m) return { op, generate, hardCodedValue: m[1] };
  if (!src) throw new UsageError(`--${op} ${generate}= needs a source field (or "constant" in double quotes).`);
  return { op, generate, extract: src };
}

export function changesFrom(rc: RunContext, fromFile: unknown): MappingChange[] {
  const list: MappingChange[] = [];
  if (fromFile !== undefined) {
    if (!Array.isArray(fromFile)) throw new UsageError('The --changes file must hold a JSON array of {op, generate, extract?, hardCodedValue?}.');
    for (const c of fromFile as MappingChange[]) {
      if (!c || !['add', 'change', 'remove'].includes(c.op) || typeof c.generate !== 'string') {
        throw new UsageError(`Invalid change in --changes: ${JSON.stringify(c)}. Each needs op (add, change, remove) and generate.`);
      }
      list.push(c);
    }
  }
  for (const s of (rc.opts.add as string[] | undefined) ?? []) list.push(parseChange('add', s));
  for (const s of (rc.opts.change as string[] | undefined) ?? []) list.push(parseChange('change', s));
  for (const s of (rc.opts.remove as string[] | undefined) ?? []) list.push({ op: 'remove', generate: s.trim() });
  return list;
}

function renderUpdate(r: UpdateMappingReport, c: Colors, width: number): string {
  const ok = r.dryRun ? c.yellow('•') : r.written && r.verified !== false ? c.green('✓') : c.red('✗');
  const lines = [`${ok} ${cliWords(r.summary)}`];
  if (r.applied.length) lines.push('', renderTable(r.applied as unknown as Record<string, unknown>[], ['op', 'generate', 'before', 'after'], c, width));
  if (r.preview) {
    lines.push('', c.bold(`Preview (sample from ${r.sample})`), JSON.stringify(r.preview.output, null, 2));
    if (r.preview.missingSources.length) lines.push(c.yellow(`Source fields missing from the sample: ${r.preview.missingSources.join(', ')}`));
  } else if (r.sampleNote) lines.push('', c.dim(`No preview: ${r.sampleNote}`));
  for (const w of r.warnings) lines.push(`${c.yellow('!')} ${cliWords(w)}`);
  for (const p of r.problems) lines.push(`${c.red('✗')} ${cliWords(p)}`);
  if (r.backupId) lines.push('', c.dim(`Backup: ${r.backupId} (undo: celigo-manage backups restore ${r.backupId})`));
  return lines.join('\n');
}

export const mapping: NounSpec = {
  name: 'mapping',
  verbs: [
    {
      name: 'show',
      summary: 'List the field mappings of a flow\'s import; with --sample, preview the mapped output',
      args: ['<flow>'],
      argHelp: { flow: 'Flow id or name' },
      options: [opt('--import <import>', 'Which import of the flow (id or name; needed when it has several)'), opt('--sample <file>', 'A sample source record (JSON file, "-" for stdin) to preview the output')],
      examples: ['mapping show "Shopify Customers to NetSuite"', 'mapping show "Shopify Customers to NetSuite" --sample order.json', 'mapping show "Shopify Customers to NetSuite" --json generate,extract'],
      async run(rc) {
        rc.out.expectFields(MAPPING_FIELDS);
        const [{ getFlow }, { listMappings, mappingFormat }, { previewMapping }] = await Promise.all([import('../../ops/read/flows.js'), import('../../ops/mapping/formats.js'), import('../../ops/mapping/preview.js')]);
        const ctx = await rc.ctx();
        const flow = await getFlow(ctx, arg(rc, 0));
        const imports = flow.steps.filter((s) => s.kind === 'import');
        if (!imports.length) throw new UsageError(`Flow "${flow.flow.name}" has no import step, so it has no mapping.`);
        const q = optStr(rc, 'import')?.toLowerCase();
        const hits = q ? imports.filter((s) => s.id.toLowerCase() === q || (s.name ?? '').toLowerCase() === q || (s.name ?? '').toLowerCase().includes(q)) : imports;
        if (hits.length !== 1) {
          const names = imports.map((s) => `${s.name} (${s.id})`);
          throw new UsageError(q ? `No single import "${optStr(rc, 'import')}" in flow "${flow.flow.name}". Its imports: ${names.join('; ')}.` : `Flow "${flow.flow.name}" has ${imports.length} imports; pick one with --import: ${names.join('; ')}.`, names);
        }
        const doc = (await ctx.api.imports.get(hits[0].id, { signal: ctx.signal })) as Record<string, unknown>;
        const sampleFile = optStr(rc, 'sample');
        let rows: Record<string, unknown>[] = listMappings(doc) as unknown as Record<string, unknown>[];
        let missing: string[] = [];
        if (sampleFile) {
          const sample = await readJsonFile(rc, sampleFile, 'sample');
          if (!sample || typeof sample !== 'object' || Array.isArray(sample)) throw new UsageError('The sample must be one JSON object (a source record).');
          const p = previewMapping(doc, sample as Record<string, unknown>);
          rows = p.fields as unknown as Record<string, unknown>[];
          missing = p.missingSources;
        }
        if (!rc.out.jsonMode && rc.io.isTTY) rc.out.print(rc.out.c.bold(`${hits[0].name} (${hits[0].id}), Mapper ${mappingFormat(doc)}`));
        rc.out.list(rows, { noun: 'field mappings', fields: MAPPING_FIELDS, columns: sampleFile ? ['generate', 'extract', 'hardCodedValue', 'value', 'missing'] : ['generate', 'extract', 'hardCodedValue', 'dataType'] });
        if (missing.length && !rc.out.jsonMode) rc.out.note(`${rc.out.errColors.yellow('!')} Source fields missing from the sample: ${missing.join(', ')}`);
      },
    },
    {
      name: 'update',
      summary: 'Add, change or remove field mappings: preview, back up, write, read back',
      args: ['<flow>'],
      argHelp: { flow: 'Flow id or name' },
      options: [
        opt('--import <import>', 'Which import of the flow (needed when it has several)'),
        opt('--add <target=source>', 'Map a field; target="text" maps a constant (repeatable)', { repeat: true }),
        opt('--change <target=source>', 'Change where a field comes from (repeatable)', { repeat: true }),
        opt('--remove <target>', 'Remove a field mapping (repeatable)', { repeat: true }),
        opt('--changes <file>', 'Changes as a JSON array of {op, generate, extract?, hardCodedValue?}'),
        opt('--sample <file>', 'Sample source record for the preview (default: one from the flow\'s export)'),
        opt('--dry-run', 'Preview only; change nothing'),
      ],
      mutating: true,
      examples: [
        'mapping update "Shopify Customers to NetSuite" --add email=customer.email --dry-run',
        'mapping update "Shopify Customers to NetSuite" --change memo=note --remove fax --add \'subsidiary="1"\' --yes',
      ],
      async run(rc) {
        const file = optStr(rc, 'changes');
        const changes = changesFrom(rc, file ? await readJsonFile(rc, file, 'changes') : undefined);
        if (!changes.length) throw new UsageError('Nothing to change: give --add, --change, --remove or --changes FILE.');
        const sampleFile = optStr(rc, 'sample');
        const sample = sampleFile ? await readJsonFile(rc, sampleFile, 'sample') : undefined;
        if (sample !== undefined && (!sample || typeof sample !== 'object' || Array.isArray(sample))) throw new UsageError('The sample must be one JSON object (a source record).');
        const { updateMapping } = await import('../../ops/mapping/update.js');
        const r = await updateMapping(await rc.ctx(), {
          flow: arg(rc, 0),
          import: optStr(rc, 'import'),
          changes,
          sample: sample as Record<string, unknown> | undefined,
          dryRun: !!rc.opts.dryRun,
        });
        rc.out.object(r as unknown as Record<string, unknown>, { human: (c) => renderUpdate(r, c, rc.out.width) });
        return r.problems.length ? 1 : 0;
      },
    },
  ],
};
