// update_export, update_import, update_connection (issue 17 item 2): change named fields of one object.
// Checked against the current object, shown as a diff, confirmed on production, backed up, written by
// read-modify-write with the conflict check (PUT) or, for a connection's fields on Celigo's PATCH
// whitelist, by PATCH; then read back and compared. A connection's secret comes only from an environment
// variable named in the call; its value is never in a result, a plan, a log, an error or a backup.
import { ConflictError } from '../../core/errors.js';
import { MASKED } from '../../core/schemas.js';
import type { OpContext } from '../context.js';
import { backup, forgetUnapplied, markApplied, recordChanged } from '../backups/take.js';
import { contentDigest } from '../backups/content.js';
import { makePlan, mustConfirm } from '../confirm.js';
import { gaveUp } from '../at-most-once.js';
import type { NextStep, Outcome } from '../outcome.js';
import { invalidateNames } from '../resolve.js';
import { plural, stableJson } from '../util.js';
import { setAt, valueAt, type EditKind } from './paths.js';
import { apiOf, currentDoc, diffLines, planEdit, type Doc, type EditInput, type EditPlan, type FieldDiff } from './plan.js';

export type { EditInput, FieldDiff, SecretFrom } from './plan.js';
export type { EditKind, FieldChange } from './paths.js';

export interface UpdateReport {
  type: EditKind;
  id: string;
  name?: string;
  /** How it is (or would be) written: PUT (read-modify-write) or PATCH (a connection's whitelisted fields). */
  method: 'PUT' | 'PATCH';
  changes: FieldDiff[];
  dryRun: boolean;
  written: boolean;
  backupId?: string;
  /** Read back after the write: every changed field holds its new value (a secret: is set, masked). */
  verified?: boolean;
  problems: string[];
  summary: string;
  /** nothing: every field already had its value; partial: written, but the read-back differs. */
  outcome?: Outcome;
  next: NextStep[];
}

const TOOL: Record<EditKind, string> = { export: 'update_export', import: 'update_import', connection: 'update_connection' };

/** The call that writes what a dry run showed (secrets by their variable names only). */
function writeStep(kind: EditKind, id: string, input: EditInput): NextStep {
  return { op: TOOL[kind], args: { [kind]: id, ...(input.changes?.length ? { changes: input.changes } : {}), ...(input.secrets?.length ? { secrets: input.secrets } : {}) }, why: 'write these changes' };
}

export async function updateResource(ctx: OpContext, kind: EditKind, target: string, input: EditInput): Promise<UpdateReport> {
  const doc = await currentDoc(ctx, kind, target);
  const plan = await planEdit(ctx, kind, doc, input, ctx.env ?? process.env);
  for (const v of plan.secretValues.values()) if (typeof v === 'string') ctx.addSecret?.(v);
  const label = `${kind} "${doc.name ?? doc._id}"`;
  const base = { type: kind, id: doc._id, ...(doc.name ? { name: doc.name } : {}), method: plan.method, changes: plan.diffs, problems: [] as string[] };
  const lines = diffLines(plan.diffs);
  if (!plan.writes.length && !plan.secretValues.size) {
    return { ...base, dryRun: !!input.dryRun, written: false, summary: `${label} already has ${plural(plan.diffs.length, 'this value', 'these values')}; nothing was written.`, outcome: 'nothing', next: [] };
  }
  if (input.dryRun) {
    return { ...base, dryRun: true, written: false, summary: `Dry run on ${label} (${plan.method}): ${lines.join('; ')}. Nothing was written.`, next: [writeStep(kind, doc._id, input)] };
  }
  const touched = { id: doc._id, lm: doc.lastModified, writes: plan.writes, secrets: input.secrets?.map((s) => `${s.path}<-${s.env}`) };
  await mustConfirm(ctx, makePlan(`Update ${label} (${plan.method})`, lines, touched), 'change');
  const bk = await backup(ctx, [{ type: kind, id: doc._id }], `update ${label}: ${lines.join('; ')}`.slice(0, 300));
  const { readBack, overwritten } = plan.method === 'PATCH' ? await patchWrite(ctx, plan, bk.id) : await putWrite(ctx, plan, bk.id);
  if (plan.writes.some((w) => w.path === 'name')) invalidateNames(ctx.api);
  const problems = verify(plan, readBack);
  if (overwritten) problems.unshift(`${label} was changed by someone else right after this write (it reads back differently); restoring backup ${bk.id} now would revert their change too`);
  const after: NextStep = overwritten ? { op: 'diff_backup', args: { id: bk.id }, why: 'see what the newer write changed before undoing anything' } : { op: 'restore_backup', args: { id: bk.id }, why: 'undo this change' };
  const summary =
    `Updated ${label} by ${plan.method}: ${lines.filter((l) => l.startsWith('~')).join('; ')}. ` +
    (problems.length ? `Read-back found ${plural(problems.length, 'problem')}. ` : 'Verified by reading it back. ') +
    `Backup ${bk.id} holds it as it was.`;
  return { ...base, problems, dryRun: false, written: true, backupId: bk.id, verified: problems.length === 0, summary, ...(problems.length ? { outcome: 'partial' as const } : {}), next: [after] };
}

/** What failed writing: the backup is dropped when surely nothing was written, and the error says so. */
async function failed(ctx: OpContext, plan: EditPlan, backupId: string, err: unknown): Promise<unknown> {
  if (ctx.signal?.aborted) return err;
  const forgotten = await forgetUnapplied(ctx, backupId, err);
  const label = `${plan.kind} "${plan.doc.name ?? plan.doc._id}"`;
  if (err instanceof ConflictError) return err;
  return gaveUp(err, `${label} was NOT changed: writing it failed (${(err as Error).message})`, `Nothing was written${forgotten ? '' : `; backup ${backupId} holds it as it is`}. Check the values, then try again.`);
}

/** Read-modify-write against the lastModified the plan saw; the written object is the backup's after-state. */
async function putWrite(ctx: OpContext, plan: EditPlan, backupId: string): Promise<{ readBack: Doc; overwritten: boolean }> {
  const api = apiOf(ctx, plan.kind);
  const mutate = (cur: Doc) => {
    for (const w of plan.writes) setAt(cur, w.path, w.value);
    for (const [path, value] of plan.secretValues) setAt(cur, path, value);
  };
  const written = (await api.update(plan.doc._id, mutate as never, { expectLastModified: plan.doc.lastModified, signal: ctx.signal }).catch(async (err: unknown) => {
    throw await failed(ctx, plan, backupId, err);
  })) as Doc;
  await recordChanged(ctx, backupId, { type: plan.kind, id: plan.doc._id }, written);
  const readBack = (await api.get(plan.doc._id, { signal: ctx.signal })) as Doc;
  return { readBack, overwritten: contentDigest(plan.kind, readBack) !== contentDigest(plan.kind, written) };
}

/**
 * PATCH of a connection's whitelisted fields (celigo-api.md W15, §1.4): only the changed paths are sent,
 * after a fresh read shows nobody wrote since the plan (a PATCH carries no conflict check of its own).
 */
async function patchWrite(ctx: OpContext, plan: EditPlan, backupId: string): Promise<{ readBack: Doc; overwritten: boolean }> {
  const api = ctx.api.connections;
  const id = plan.doc._id;
  const fields: Record<string, unknown> = {};
  for (const w of plan.writes) fields[w.path.replace(/\./g, '/')] = w.value;
  for (const [path, value] of plan.secretValues) fields[path.replace(/\./g, '/')] = value;
  try {
    const fresh = await api.get(id, { signal: ctx.signal });
    if (fresh.lastModified !== plan.doc.lastModified) throw new ConflictError('connection', id, plan.doc.lastModified, fresh.lastModified);
    await api.patch(id, fields, { signal: ctx.signal });
  } catch (err) {
    throw await failed(ctx, plan, backupId, err);
  }
  // A PATCH answers nothing to record: the read-back is the after-state only when it shows every change.
  const readBack = (await api.get(id, { signal: ctx.signal })) as Doc;
  if (!verify(plan, readBack).length) await recordChanged(ctx, backupId, { type: 'connection', id }, readBack);
  else await markApplied(ctx, backupId);
  return { readBack, overwritten: false };
}

/** The changed fields as read back: each holds its new value; a secret reads back masked (set, not comparable). */
function verify(plan: EditPlan, readBack: Doc): string[] {
  const problems: string[] = [];
  for (const w of plan.writes) {
    const now = valueAt(readBack, w.path);
    if (stableJson(now) !== stableJson(w.value)) problems.push(`${w.path}: expected ${JSON.stringify(w.value)?.slice(0, 200)}, reads back ${now === undefined ? '(none)' : JSON.stringify(now).slice(0, 200)}`);
  }
  for (const path of plan.secretValues.keys()) {
    const now = valueAt(readBack, path);
    if (now === undefined || now === '' || now === null) problems.push(`${path}: the secret reads back empty`);
    else if (now !== MASKED) problems.push(`${path}: reads back unmasked, so integrator.io did not take it as a secret`);
  }
  return problems;
}

export const updateExport = (ctx: OpContext, input: EditInput & { export: string }) => updateResource(ctx, 'export', input.export, input);
export const updateImport = (ctx: OpContext, input: EditInput & { import: string }) => updateResource(ctx, 'import', input.import, input);
export const updateConnection = (ctx: OpContext, input: EditInput & { connection: string }) => updateResource(ctx, 'connection', input.connection, input);
