// delete_resource (issue 17 item 3): delete an integration, flow, export, import or connection after a
// dependency pre-flight (refused while something uses it, unless forced), a confirmation, and a backup of
// everything removed, marked deleted by the change so restore_backup re-creates it (backups/recreate.ts).
import { CeligoApiError, UsageError, describeError } from '../core/errors.js';
import { flowSteps } from '../core/flows.js';
import type { OpContext } from './context.js';
import { makePlan, mustConfirm } from './confirm.js';
import { checkDependencies, type DependencyReport } from './dependencies.js';
import { apiFor, readLive } from './backups/live.js';
import { backup, forgetUnapplied, recordDeleted } from './backups/take.js';
import { loadBackup, type BackupRecord, type BackupTarget } from './backups/store.js';
import type { NextStep } from './outcome.js';
import { invalidateNames, resolveConnection, resolveExport, resolveFlow, resolveImport, resolveIntegration } from './resolve.js';
import { plural } from './util.js';

export const DELETE_TYPES = ['integration', 'flow', 'export', 'import', 'connection'] as const;
export type DeleteType = (typeof DELETE_TYPES)[number];

export interface DeleteInput {
  type: DeleteType;
  id: string;
  /** Delete even though something uses it (those users break). */
  force?: boolean;
  /** A flow together with its exports and imports that no other flow uses. */
  withSteps?: boolean;
}

type Ref = { type: DeleteType; id: string; name?: string };

export interface DeleteReport {
  target: Ref;
  /** What is gone now (an integration: with whatever Celigo deleted along with it). */
  deleted: Ref[];
  /** Steps left because another flow uses them (withSteps). */
  kept: (Ref & { why: string })[];
  /** What used the target and now points at a missing object (force). */
  broken: string[];
  backupId: string;
  /** Secret fields the backup could not keep: a re-created connection needs them set by a person. */
  secretsLeftOut: string[];
  summary: string;
  next: NextStep[];
}

const label = (r: { type: string; id: string; name?: string }) => `${r.type} ${r.name !== undefined ? JSON.stringify(r.name) : r.id}`;

async function resolveTarget(ctx: OpContext, type: DeleteType, q: string): Promise<Ref> {
  const r =
    type === 'integration' ? await resolveIntegration(ctx.api, q)
      : type === 'flow' ? await resolveFlow(ctx.api, q)
        : type === 'export' ? await resolveExport(ctx.api, q)
          : type === 'import' ? await resolveImport(ctx.api, q)
            : await resolveConnection(ctx.api, q);
  return { type, id: r._id, name: r.name };
}

/** Who uses the target (what a delete would break); an integration's own flows go with it and are no users. */
function usersOf(type: DeleteType, deps: DependencyReport): string[] {
  if (type === 'integration') return [];
  if (type === 'flow') return deps.flows.filter((f) => f.uses.includes('runs next')).map((f) => `flow "${f.name}" runs it next`);
  if (type === 'connection') return deps.steps.map((s) => `${s.type} "${s.name}"`);
  return deps.flows.map((f) => `flow "${f.name}" (${f.uses.join(', ')})`);
}

/** A flow's own steps no other flow uses (they go with it), and the shared ones (kept). */
async function stepsOfFlow(ctx: OpContext, flowId: string): Promise<{ go: Ref[]; kept: DeleteReport['kept'] }> {
  const flows = await ctx.api.flows.list({}, { signal: ctx.signal });
  const flow = flows.find((f) => f._id === flowId) ?? (await ctx.api.flows.get(flowId, { signal: ctx.signal }));
  const go: Ref[] = [];
  const kept: DeleteReport['kept'] = [];
  const seen = new Set<string>();
  for (const st of flowSteps(flow)) {
    if (seen.has(st.id)) continue;
    seen.add(st.id);
    const other = flows.find((f) => f._id !== flowId && flowSteps(f).some((s) => s.id === st.id));
    const live = await readLive(ctx, st.kind, st.id);
    const ref: Ref = { type: st.kind, id: st.id, name: typeof live?.name === 'string' ? live.name : undefined };
    if (!live) continue;
    if (other) kept.push({ ...ref, why: `flow "${other.name}" uses it too` });
    else go.push(ref);
  }
  return { go, kept };
}

/** After an integration's DELETE: every backed-up object now missing went with it (Celigo's cascade). */
async function recordCascade(ctx: OpContext, rec: BackupRecord): Promise<Ref[]> {
  const gone: Ref[] = [];
  for (const it of rec.items) {
    if (it.type === 'connectionRef' || it.missing || !(DELETE_TYPES as readonly string[]).includes(it.type)) continue;
    if (await readLive(ctx, it.type as DeleteType, it.id)) continue;
    const ref = { type: it.type as DeleteType, id: it.id, name: it.name };
    await recordDeleted(ctx, rec.id, ref);
    gone.push(ref);
  }
  return gone;
}

export async function deleteResource(ctx: OpContext, input: DeleteInput): Promise<DeleteReport> {
  if (!DELETE_TYPES.includes(input.type)) throw new UsageError(`Cannot delete a "${input.type}"; types: ${DELETE_TYPES.join(', ')}.`);
  if (input.withSteps && input.type !== 'flow') throw new UsageError('withSteps applies to a flow only (its exports and imports that no other flow uses).');
  const target = await resolveTarget(ctx, input.type, input.id);
  const deps = await checkDependencies(ctx, { type: input.type, id: target.id });
  const users = usersOf(input.type, deps);
  if (users.length && !input.force) {
    throw new UsageError(
      `Refusing to delete ${label(target)}: it is used by ${users.slice(0, 10).join('; ')}${users.length > 10 ? ` and ${users.length - 10} more` : ''}. ` +
        'Remove those uses first, or pass force to delete it anyway (they will break). Nothing was changed.',
    );
  }
  const steps = input.withSteps ? await stepsOfFlow(ctx, target.id) : { go: [], kept: [] };
  const members = input.type === 'integration' ? deps.flows.map((f) => `flow "${f.name}"`) : [];
  const details = [
    `delete ${label(target)} (${target.id})`,
    ...steps.go.map((s) => `delete ${label(s)} (${s.id}): only this flow uses it`),
    ...steps.kept.map((s) => `keep ${label(s)}: ${s.why}`),
    ...(members.length ? [`Celigo deletes its ${plural(members.length, 'flow')} with it (and their exports and imports): ${members.join(', ')}`] : []),
    ...(users.length ? [`FORCED: ${users.join('; ')} will point at a missing object`] : []),
    'a backup is taken first; restore_backup re-creates what was deleted',
  ];
  await mustConfirm(ctx, makePlan(`Delete ${label(target)}`, details, { target, steps: steps.go.map((s) => s.id), force: !!input.force }), 'destructive');

  const targets: BackupTarget[] = [{ type: target.type, id: target.id }, ...steps.go.map((s) => ({ type: s.type, id: s.id }))];
  const rec = await backup(ctx, targets, `delete ${label(target)}`.slice(0, 200));
  const deleted: Ref[] = [];
  // Users before what they use: the flow first, then its steps.
  for (const obj of [target, ...steps.go]) {
    try {
      await apiFor(ctx, obj.type).delete(obj.id, { signal: ctx.signal });
    } catch (err) {
      if (!(err instanceof CeligoApiError && err.status === 404)) {
        if (!deleted.length) await forgetUnapplied(ctx, rec.id, err);
        if (!deleted.length) throw err;
        throw new Error(`${describeError(err)} Deleted so far: ${deleted.map(label).join(', ')}; they are in backup ${rec.id} (restore_backup re-creates them).`, { cause: err });
      }
    }
    await recordDeleted(ctx, rec.id, obj);
    deleted.push(obj);
  }
  invalidateNames(ctx.api);
  if (input.type === 'integration') for (const g of await recordCascade(ctx, await loadBackup(ctx, rec.id))) if (!deleted.some((d) => d.id === g.id)) deleted.push(g);

  const secretsLeftOut = input.type === 'connection' ? ((await loadBackup(ctx, rec.id)).items[0]?.stripped ?? []) : [];
  const summary =
    `Deleted ${deleted.map(label).join(', ')}` +
    (steps.kept.length ? `; kept ${steps.kept.map((k) => `${label(k)} (${k.why})`).join(', ')}` : '') +
    (users.length ? `. Forced: ${users.join('; ')} now point at a missing object` : '') +
    `. Backup ${rec.id}: restore_backup re-creates ${deleted.length > 1 ? 'them' : 'it'}` +
    (secretsLeftOut.length ? ` without its secrets (${secretsLeftOut.join(', ')}), which a person must set again` : '') +
    '.';
  return { target, deleted, kept: steps.kept, broken: users, backupId: rec.id, secretsLeftOut, summary, next: [{ op: 'restore_backup', args: { id: rec.id }, why: 'undo the delete' }] };
}
