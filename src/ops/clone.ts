// Cloning an integration by Celigo's own protocol (celigo-api.md W6): read what the clone would copy
// (GET …/clone/preview), map every previewed connection, POST the clone once, and note every component it
// created in the backup, so restore_backup removes the whole copy.
import type { OpContext } from './context.js';
import { backup, forgetUnapplied, recordCreated } from './backups/take.js';
import type { BackupType } from './backups/store.js';
import { makePlan, mustConfirm } from './confirm.js';
import { invalidateNames, matchByName, resolveConnection, resolveIntegration } from './resolve.js';
import { compact } from './project.js';
import { createOnce } from './at-most-once.js';
import { plural } from './util.js';
import { UnexpectedShapeError, UsageError } from '../core/errors.js';
import { flowSteps } from '../core/flows.js';
import type { ClonePreview } from '../core/clone.js';
import type { CloneComponent, ClonePreviewDoc } from '../core/schemas.js';

/** Models restore_backup can delete, and their backup types. */
const BACKUP_TYPE: Record<string, BackupType> = { Integration: 'integration', Flow: 'flow', Export: 'export', Import: 'import', Connection: 'connection' };

export interface CloneIntegrationInput {
  integration: string;
  name: string;
  /** Source connection (id or name) -> target connection (id or name); unlisted ones map to themselves. */
  connectionMap?: Record<string, string>;
}

const label = (d: { _id: string; name?: string }) => (d.name ? `"${d.name}"` : d._id);

/** The connection of the preview a user named (by id or name), or an error listing the previewed ones. */
function previewedConnection(previewed: ClonePreviewDoc[], q: string): ClonePreviewDoc {
  if (!q.trim()) throw new UsageError('Name the connection the clone should stop using (id or name).');
  const byId = previewed.find((c) => c._id === q.trim());
  if (byId) return byId;
  try {
    // Not found is answered below with the connections the clone uses, so the list named here is never shown.
    return matchByName(previewed, q, 'connection', 'the clone preview');
  } catch (err) {
    if (!(err instanceof UsageError) || err.candidates) throw err;
    const known = previewed.map((c) => `${label(c)} (${c._id})`).join('; ') || 'none';
    throw new UsageError(`"${q}" is not a connection the clone uses; it uses: ${known}.`);
  }
}

/**
 * A connectionMap covering every Connection of the preview: each maps to itself (same account) unless the
 * caller maps it elsewhere. Targets are resolved by id or name and must be of the same type.
 */
async function connectionMapFor(ctx: OpContext, previewed: ClonePreviewDoc[], asked: Record<string, string>): Promise<{ map: Record<string, string>; lines: string[] }> {
  const map: Record<string, string> = Object.fromEntries(previewed.map((c) => [c._id, c._id]));
  const targets = new Map<string, string>();
  for (const [from, to] of Object.entries(asked)) {
    const source = previewedConnection(previewed, from);
    const target = await resolveConnection(ctx.api, to);
    if (source.type && target.type && source.type !== target.type) {
      throw new UsageError(`Connection ${label(source)} is a ${source.type} connection and "${target.name}" a ${target.type} one; map it to a ${source.type} connection.`);
    }
    map[source._id] = target._id;
    targets.set(target._id, target.name);
  }
  const lines = previewed.map((c) =>
    map[c._id] === c._id ? `connection ${label(c)}: the copy uses it too` : `connection ${label(c)} -> "${targets.get(map[c._id])}" (${map[c._id]})`);
  return { map, lines };
}

function describePreview(p: ClonePreview): string {
  const parts = Object.entries(p.objects)
    .filter(([model, docs]) => model !== 'Connection' && docs.length)
    .map(([model, docs]) => plural(docs.length, model.toLowerCase()));
  return parts.length ? parts.join(', ') : 'nothing listed by the preview';
}

/**
 * Notes created components in the backup. Anything that existed before the clone (the source objects, the
 * connections of the map) is never noted, so restoring can only ever delete the copy. Returns what a backup
 * cannot remove (models restore_backup does not know).
 */
async function recordComponents(ctx: OpContext, backupId: string, components: CloneComponent[], existed: Set<string>): Promise<CloneComponent[]> {
  const other: CloneComponent[] = [];
  for (const c of components) {
    if (existed.has(c._id)) continue;
    const type = BACKUP_TYPE[c.model];
    if (type) await recordCreated(ctx, backupId, { type, id: c._id, ...(c.name ? { name: c.name } : {}) });
    else if (!other.some((o) => o._id === c._id)) other.push(c);
  }
  return other;
}

export async function cloneIntegration(ctx: OpContext, input: CloneIntegrationInput) {
  const signal = ctx.signal;
  const src = await resolveIntegration(ctx.api, input.integration);
  const name = input.name.trim();
  if (!name) throw new UsageError('Give the clone a new name.');
  const preview = await ctx.api.integrations.clonePreview(src._id, { signal });
  const { map, lines } = await connectionMapFor(ctx, preview.objects.Connection ?? [], input.connectionMap ?? {});
  // Integrations carry one string `tag` (W5); the web app sends it with the clone.
  const tag = typeof src.tag === 'string' && src.tag ? src.tag : undefined;
  await mustConfirm(ctx, makePlan(`Clone integration "${src.name}" as "${name}"`, [`copies ${describePreview(preview)}`, ...lines], { source: src._id, name, map }), { mutating: true });
  const rec = await backup(ctx, [], `clone integration ${src.name} as ${name}`);
  const existed = new Set([src._id, ...Object.values(preview.objects).flat().map((d) => d._id), ...Object.keys(map), ...Object.values(map)]);

  const named = async () => (await ctx.api.integrations.list({}, { signal })).filter((i) => i.name === name).map((i) => ({ _id: i._id }));
  const before = (await named()).map((i) => i._id);
  // At most once: after an ambiguous failure createOnce looks for a new integration of this name.
  const made = await createOnce<{ _id: string; components?: CloneComponent[]; unreadable?: UnexpectedShapeError }>(
    ctx,
    `the copy "${name}" of integration "${src.name}"`,
    async () => {
      try {
        const components = await ctx.api.integrations.clone(src._id, compact({ connectionMap: map, name, tag }), { signal });
        return { _id: components.find((c) => c.model === 'Integration')?._id ?? '', components };
      } catch (err) {
        // 2xx with a shape we cannot read: the copy may exist, so look for it below instead of failing blind.
        if (err instanceof UnexpectedShapeError) return { _id: '', unreadable: err };
        throw err;
      }
    },
    named,
    before,
  ).catch(async (err: unknown) => {
    await forgetUnapplied(ctx, rec.id, err);
    throw err;
  });
  invalidateNames(ctx.api);

  // What the answer named goes into the backup first, before anything else can fail.
  const answered = made.components ?? [];
  const other = await recordComponents(ctx, rec.id, answered, existed);
  let newId = made._id;
  if (!newId) {
    const found = (await named()).filter((i) => !before.includes(i._id));
    if (found.length === 1) newId = found[0]._id;
  }
  if (!newId) {
    const why = made.unreadable?.message ?? 'integrator.io answered the clone without naming the new integration.';
    throw new Error(`${why} No new integration named "${name}" was found; look for it in the list of integrations.` +
      (answered.length ? ` The ${plural(answered.length, 'component')} it named are in backup ${rec.id}.` : ''));
  }

  // The copy's flows and their steps belong to it whatever the answer listed: note them too.
  const flows = await ctx.api.integrations.flows(newId, { signal });
  const live: CloneComponent[] = [{ model: 'Integration', _id: newId, name }];
  for (const f of flows) {
    live.push({ model: 'Flow', _id: f._id, name: f.name });
    for (const s of flowSteps(f)) live.push({ model: s.kind === 'export' ? 'Export' : 'Import', _id: s.id });
  }
  other.push(...(await recordComponents(ctx, rec.id, live, existed)).filter((c) => !other.some((o) => o._id === c._id)));

  const all = new Map<string, CloneComponent>();
  for (const c of [...answered, ...live]) if (!existed.has(c._id) && !all.has(c._id)) all.set(c._id, c);
  const created: Record<string, number> = {};
  for (const c of all.values()) created[c.model] = (created[c.model] ?? 0) + 1;

  if (made.unreadable) {
    throw new Error(`${made.unreadable.message} The copy "${name}" (${newId}) was made; its ${plural(all.size, 'component')} are in backup ${rec.id}, so restoring that backup removes it.`);
  }
  return {
    id: newId,
    name,
    sourceId: src._id,
    flows: flows.length,
    created,
    connectionMap: map,
    backupId: rec.id,
    ...(other.length
      ? { notInBackup: other.map((c) => ({ model: c.model, id: c._id, name: c.name })), note: 'Restoring the backup cannot delete these; remove them by hand if you undo the clone.' }
      : {}),
  };
}
