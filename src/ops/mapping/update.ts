// Safe mapping changes on a flow's import (issue 4 item 6): a preview against a sample record, a backup,
// read-modify-write, and a read-back check.
import { UsageError } from '../../core/errors.js';
import { flowSteps } from '../../core/flows.js';
import type { Flow, Import } from '../../core/schemas.js';
import type { NextStep, Outcome } from '../outcome.js';
import type { OpContext } from '../context.js';
import { backup, forgetUnapplied, recordChanged } from '../backups/take.js';
import { contentDigest } from '../backups/content.js';
import { makePlan, mustConfirm } from '../confirm.js';
import { resolveFlow, resolveImport } from '../resolve.js';
import { plural, sampleRecords } from '../util.js';
import { gaveUp, retryRemedy } from '../at-most-once.js';
import { listMappings, type FlatMapping, type MappingFormat } from './formats.js';
import { applyMappingChanges, type AppliedChange, type MappingChange } from './apply.js';
import { previewMapping, sampleFields, sampleFieldsLine } from './preview.js';

export interface UpdateMappingInput {
  flow: string;
  import?: string;
  changes: MappingChange[];
  sample?: Record<string, unknown>;
  dryRun?: boolean;
}

export interface UpdateMappingReport {
  flowId: string;
  flowName: string;
  importId: string;
  importName: string;
  format: MappingFormat;
  applied: AppliedChange[];
  /** Where the sample record came from. */
  sample: 'given' | 'export' | 'none';
  sampleNote?: string;
  /** The sample mapped: the record written, the mapped source fields it lacks, and the fields it has. */
  preview?: { output: Record<string, unknown>; missingSources: string[]; sampleFields: string[] };
  warnings: string[];
  dryRun: boolean;
  written: boolean;
  backupId?: string;
  /** Read back after the write: every change is in place. */
  verified?: boolean;
  problems: string[];
  mappings: FlatMapping[];
  summary: string;
  /** partial: written, but reading it back did not show every change. Absent: ok. */
  outcome?: Outcome;
  /** A dry run: the same change, written; a write: how to undo it. */
  next: NextStep[];
}

/** A flow's import: the one named (a step of the flow), or its only one. */
export async function importOfFlow(ctx: OpContext, flowQ: string, importQ: string | undefined) {
  const flow = await resolveFlow(ctx.api, flowQ);
  const importIds = flowSteps(flow).filter((s) => s.kind === 'import').map((s) => s.id);
  if (!importIds.length) throw new UsageError(`Flow "${flow.name}" has no import step, so it has no mapping to change.`);
  if (importQ) {
    const imp = await resolveImport(ctx.api, importQ);
    if (!importIds.includes(imp._id)) throw new UsageError(`Import "${imp.name}" is not a step of flow "${flow.name}"; its imports are ${importIds.join(', ')}.`);
    return { flow, imp };
  }
  if (importIds.length > 1) {
    const imps = await Promise.all(importIds.map((id) => ctx.api.imports.get(id, { signal: ctx.signal })));
    const names = imps.map((i) => `${i.name} (${i._id})`);
    throw new UsageError(`Flow "${flow.name}" has ${importIds.length} imports; say which one: ${names.join('; ')}.`, names);
  }
  return { flow, imp: await ctx.api.imports.get(importIds[0], { signal: ctx.signal }) };
}

function sameSource(m: FlatMapping | undefined, a: AppliedChange): boolean {
  if (a.op === 'remove') return !m;
  if (!m) return false;
  const now = m.extract ?? (m.hardCodedValue !== undefined ? `"${m.hardCodedValue}" (fixed)` : undefined);
  return now === a.after;
}

/**
 * Changes field mappings of a flow's import: preview on a sample record, back up, read-modify-write,
 * read back and verify. `dryRun` stops after the preview.
 */
/** One record of the flow's source export, to preview a mapping on (or why there is none). */
export async function exportSample(ctx: OpContext, flow: Flow): Promise<{ sample?: Record<string, unknown>; from: 'export' | 'none'; note?: string }> {
  const source = flowSteps(flow).find((s) => s.role === 'source');
  if (!source) return { from: 'none' };
  try {
    const rows = await sampleRecords(ctx, source.id);
    const first = rows[0];
    const sample = (first && typeof first.record === 'object' && first.record ? first.record : first) as Record<string, unknown> | undefined;
    return sample ? { sample, from: 'export' } : { from: 'none', note: 'the source export returned no records' };
  } catch (err) {
    return { from: 'none', note: `could not fetch a sample from the source export: ${(err as Error).message}` };
  }
}

export async function updateMapping(ctx: OpContext, input: UpdateMappingInput): Promise<UpdateMappingReport> {
  const { flow, imp } = await importOfFlow(ctx, input.flow, input.import);
  const { doc: next, format, applied } = applyMappingChanges(imp as Import, input.changes);

  const { sample, from: sampleFrom, note: sampleNote } = input.sample ? { sample: input.sample, from: 'given' as const, note: undefined } : await exportSample(ctx, flow);
  const warnings: string[] = [];
  let preview: UpdateMappingReport['preview'];
  if (sample) {
    const p = previewMapping(next, sample);
    preview = { output: p.output, missingSources: p.missingSources, sampleFields: sampleFields(sample) };
    const touched = new Set(applied.filter((a) => a.op !== 'remove').map((a) => a.generate));
    for (const f of p.fields) {
      if (f.missing && f.extract && touched.has(f.generate)) warnings.push(`source field ${f.extract} (for ${f.generate}) is not in the sample record`);
    }
    const others = p.fields.filter((f) => f.missing && f.extract && !touched.has(f.generate));
    if (others.length) warnings.push(`${plural(others.length, 'other mapped source field')} not in the sample: ${others.slice(0, 10).map((f) => f.extract).join(', ')}`);
  } else warnings.push(`no sample record to check the mapping against${sampleNote ? ` (${sampleNote})` : ''}; give a sample record to check it`);

  const base = {
    flowId: flow._id,
    flowName: flow.name,
    importId: imp._id,
    importName: imp.name,
    format,
    applied,
    sample: sampleFrom,
    sampleNote,
    preview,
    warnings,
    problems: [] as string[],
  };
  const changeText = applied.map((a) => `${a.op} ${a.generate}${a.before ? ` (was ${a.before})` : ''}${a.after ? ` <- ${a.after}` : ''}`);
  if (input.dryRun) {
    const write: NextStep = { op: 'update_mapping', args: { flow: flow._id, ...(input.import ? { import: imp._id } : {}), changes: input.changes }, why: 'write these changes' };
    return { ...base, dryRun: true, written: false, mappings: listMappings(next), summary: `Dry run on ${imp.name}: ${changeText.join('; ')}. Nothing was written.${warnings.length ? ` ${plural(warnings.length, 'warning')}.` : ''}`, next: [write] };
  }

  await mustConfirm(ctx, makePlan(`Update the mapping of import ${imp.name} in flow ${flow.name}`, [...changeText, ...warnings.map((w) => `warning: ${w}`), ...(preview ? [sampleFieldsLine(preview.sampleFields)] : [])], { id: imp._id, lm: imp.lastModified, changes: input.changes }), 'change');
  const bk = await backup(ctx, [{ type: 'import', id: imp._id }], `update mapping of ${imp.name}: ${changeText.join('; ')}`.slice(0, 300));
  const { now, problems, overwritten } = await writeAndReadBack(ctx, imp, next, applied, bk.id);
  const summary =
    `Updated the mapping of ${imp.name}: ${changeText.join('; ')}. ` +
    (problems.length ? `Read-back found ${plural(problems.length, 'problem')}. ` : 'Verified by reading it back. ') +
    `Backup ${bk.id} holds the import as it was.`;
  // Restoring over someone else's newer write would revert it: then the diff comes first, not the undo.
  const after: NextStep = overwritten
    ? { op: 'diff_backup', args: { id: bk.id }, why: 'see what the newer write changed before undoing anything' }
    : { op: 'restore_backup', args: { id: bk.id }, why: 'undo this change' };
  return { ...base, problems, dryRun: false, written: true, backupId: bk.id, verified: problems.length === 0, mappings: now, summary, ...(problems.length ? { outcome: 'partial' as const } : {}), next: [after] };
}

/**
 * Writes the import (read-modify-write against the lastModified the plan saw), notes the written object as
 * the backup's after-state, and reads it back. `overwritten`: the read-back is not what we wrote, so
 * someone else wrote after us.
 */
async function writeAndReadBack(ctx: OpContext, imp: Import, next: Import, applied: AppliedChange[], backupId: string) {
  const { api, signal } = ctx;
  const written = await api.imports
    .update(imp._id, (cur) => ({ ...(structuredClone(next) as typeof cur), _id: cur._id }), { expectLastModified: imp.lastModified, signal })
    .catch(async (err: unknown) => {
      if (signal?.aborted) throw err;
      const forgotten = await forgetUnapplied(ctx, backupId, err);
      throw gaveUp(err, `The mapping of import ${imp.name} was NOT changed: writing it failed (${(err as Error).message})`,
        `Nothing was written${forgotten ? '' : `; backup ${backupId} holds the import as it is`}. ${retryRemedy(err)}`);
    });
  await recordChanged(ctx, backupId, { type: 'import', id: imp._id }, written);

  const readBack = await api.imports.get(imp._id, { signal });
  const now = listMappings(readBack);
  const problems: string[] = [];
  const overwritten = contentDigest('import', readBack) !== contentDigest('import', written);
  if (overwritten) problems.push(`import ${imp.name} was changed by someone else right after this write (it reads back differently); restoring backup ${backupId} now would revert their change too`);
  for (const a of applied) {
    const m = now.find((x) => x.generate === a.generate);
    if (!sameSource(m, a)) problems.push(`${a.generate}: expected ${a.op === 'remove' ? 'no mapping' : a.after}, found ${m ? (m.extract ?? m.hardCodedValue ?? 'a nested mapping') : 'no mapping'}`);
  }
  return { now, problems, overwritten };
}
