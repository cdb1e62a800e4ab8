// Restoring what a change deleted (delete_resource): from the account's recycle bin where it answers
// (same id, celigo-api.md §1.10, [P]), else re-created from the backup by POST (a new id). Re-created
// objects are posted in dependency order, connections, integrations, exports, imports, flows, each with
// its references to objects re-created before it rewired to their new ids. Secrets were never backed up:
// a re-created connection comes back without them, and the report names the fields a person must set.
import { CeligoApiError, ConflictError, describeError } from '../../core/errors.js';
import type { RecycleType } from '../../core/recycle-bin.js';
import type { OpContext } from '../context.js';
import { report } from '../util.js';
import { withoutReadOnly } from './content.js';
import { apiFor, readLive } from './live.js';
import type { BackupItem, BackupType } from './store.js';
import { recordCreated } from './take.js';

export interface Recreated {
  type: BackupType;
  /** The id in the backup (the deleted object's). */
  oldId: string;
  /** The id it has now: the same when it came back from the recycle bin. */
  newId: string;
  name?: string;
  from: 'recycle bin' | 'backup';
  /** Secret fields left out (never backed up): set them by hand before the object is used. */
  secretsLeftOut?: string[];
}

type Recreatable = 'connection' | 'integration' | 'export' | 'import' | 'flow';
/** Used before users: an integration before the flows, exports and imports that name it. */
const ORDER: Recreatable[] = ['connection', 'integration', 'export', 'import', 'flow'];
const PLURAL: Record<Recreatable, RecycleType> = { connection: 'connections', integration: 'integrations', export: 'exports', import: 'imports', flow: 'flows' };

export const isRecreatable = (t: string): t is Recreatable => (ORDER as string[]).includes(t);

/** A deep copy with every string equal to an old id replaced by its new id. */
export function rewire(value: unknown, ids: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return ids.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => rewire(v, ids));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewire(v, ids)]));
  return value;
}

/** Brings one object back from the recycle bin; false when the bin does not hold it or does not answer. */
async function fromRecycleBin(ctx: OpContext, type: Recreatable, id: string): Promise<boolean> {
  if (!(await ctx.api.recycleBin.find(PLURAL[type], id, { signal: ctx.signal }))) return false;
  await ctx.api.recycleBin.restore(PLURAL[type], id, { signal: ctx.signal });
  return !!(await readLive(ctx, type, id));
}

/**
 * Restores the deleted items (recycle bin, else POST), notes each in the pre-restore backup `preId` as
 * created (so undoing the restore deletes it again), and reports progress from `done` of `total`.
 */
export async function recreateDeleted(ctx: OpContext, items: BackupItem[], preId: string, done: number, total: number, problems: string[], failures: unknown[]) {
  const recreated: Recreated[] = [];
  const notRecreated: { type: BackupItem['type']; id: string; name?: string }[] = [];
  const ids = new Map<string, string>();
  const sorted = items.filter((i) => isRecreatable(i.type)).sort((a, b) => ORDER.indexOf(a.type as Recreatable) - ORDER.indexOf(b.type as Recreatable));
  for (const item of sorted) {
    ctx.signal?.throwIfAborted();
    const type = item.type as Recreatable;
    try {
      if (await fromRecycleBin(ctx, type, item.id)) {
        recreated.push({ type, oldId: item.id, newId: item.id, name: item.name, from: 'recycle bin' });
        await recordCreated(ctx, preId, { type, id: item.id, name: item.name });
      } else {
        const body = rewire(withoutReadOnly(structuredClone(item.data ?? {}) as Record<string, unknown>), ids) as Record<string, unknown>;
        const made = await apiFor(ctx, type).create(body, { signal: ctx.signal });
        ids.set(item.id, made._id);
        await recordCreated(ctx, preId, { type, id: made._id, name: item.name });
        recreated.push({ type, oldId: item.id, newId: made._id, name: item.name, from: 'backup', ...(item.stripped?.length ? { secretsLeftOut: item.stripped } : {}) });
      }
    } catch (err) {
      if (ctx.signal?.aborted || !(err instanceof CeligoApiError || err instanceof ConflictError)) throw err;
      failures.push(err);
      notRecreated.push({ type, id: item.id, name: item.name });
      problems.push(`${type} ${item.name ?? item.id} (${item.id}) was NOT re-created: ${describeError(err)}`);
    }
    await report(ctx, ++done, total, `re-created ${type} ${item.name ?? item.id}`);
  }
  return { recreated, notRecreated };
}

/** One line about what came back, old id -> new id, and the secrets a person must set. */
export function recreatedText(recreated: Recreated[]): string {
  if (!recreated.length) return '';
  const parts = recreated.map((r) => `${r.type} ${r.name ?? r.oldId} ${r.from === 'recycle bin' ? `(${r.oldId}, from the recycle bin)` : `(${r.oldId} -> ${r.newId})`}`);
  const secrets = recreated.filter((r) => r.secretsLeftOut?.length);
  return `, re-created ${parts.join(', ')}` +
    (secrets.length ? `; ${secrets.map((r) => `${r.type} ${r.name ?? r.newId} came back WITHOUT its secrets (${r.secretsLeftOut!.join(', ')}): a person must set them in Celigo`).join('; ')}` : '');
}
