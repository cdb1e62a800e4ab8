// Applying a promotion's plan to the target account (issue 16 item 4): every object it plans to change
// checked unchanged since the plan before anything is written; a backup of the target integration (and of
// what the promotion remembers in its state) first; new exports and imports, then new flows (disabled
// unless asked), then read-modify-write of each changed object with the conflict check; the matches made
// remembered in the target integration's state. The backup's id undoes it all (backups restore).
import { ConflictError } from '../../core/errors.js';
import { createOnce } from '../at-most-once.js';
import { setAt, unsetAt } from '../edit/paths.js';
import type { OpContext } from '../context.js';
import { backup, forgetUnapplied, markApplied, recordChanged, recordCreated } from '../backups/take.js';
import { diffValues, type FieldDiff } from '../backups/diff.js';
import type { Matches } from './match.js';
import { comparable, targetIdOf, type PlanOptions, type PromotionPlan } from './plan.js';
import { MATCHES_KEY, type Doc, type Side, type StepKind } from './read.js';

export interface ApplyOptions extends PlanOptions {
  /** New flows arrive enabled (default: disabled). */
  enable?: boolean;
}

export interface Applied {
  backupId: string;
  created: { type: 'flow' | StepKind; id: string; name?: string }[];
  changed: { type: 'flow' | StepKind; id: string; name?: string }[];
}

const apiOf = (side: Side, type: 'flow' | StepKind) => (type === 'flow' ? side.api.flows : type === 'export' ? side.api.exports : side.api.imports);

/**
 * Sets each diff's `after` at its path in `doc` (a missing `after` removes the field). A diff's path stops
 * where the two sides stop both being objects, so its parent is always there in `doc`.
 */
export function applyDiffs(doc: Record<string, unknown>, diffs: readonly FieldDiff[]): void {
  for (const d of diffs) {
    if (d.after === undefined) unsetAt(doc, d.path);
    else setAt(doc, d.path, d.after);
  }
}

/** Every object the plan changes still as planned; otherwise a ConflictError before any write. */
async function checkUnchanged(tgt: Side, plan: PromotionPlan, signal?: AbortSignal): Promise<void> {
  for (const c of plan.changes) {
    const now = (await apiOf(tgt, c.type).get(c.id, { signal })) as Doc;
    if (now.lastModified !== c.lastModified) throw new ConflictError(c.type, c.id, c.lastModified ?? '(none)', now.lastModified ?? '(none)');
  }
}

export async function applyPromotion(ctx: OpContext, src: Side, tgt: Side, m: Matches, plan: PromotionPlan, o: ApplyOptions): Promise<Applied> {
  const signal = ctx.signal;
  const tctx: OpContext = { ...ctx, api: tgt.api, production: tgt.production };
  await checkUnchanged(tgt, plan, signal);
  const scope = { resourceType: 'integrations' as const, id: tgt.integration._id };
  const rec = await backup(tctx, [{ type: 'integration', id: tgt.integration._id }, { type: 'state', id: `integrations/${tgt.integration._id}/${MATCHES_KEY}` }], `promote "${plan.from.name}" from ${src.label} to ${tgt.label}`);
  const created = new Map<string, string>();
  const out: Applied = { backupId: rec.id, created: [], changed: [] };
  const idOf = (id: string) => targetIdOf(m, id, created);
  const connectionOf = (id: string) => m.connections.get(id) ?? id;
  try {
    // Steps before the flows that use them.
    for (const type of ['export', 'import', 'flow'] as const) {
      for (const a of plan.additions.filter((x) => x.type === type)) {
        const source = type === 'flow' ? (src.flows.find((f) => f._id === a.sourceId) as Doc) : src.steps.get(a.sourceId)!.doc;
        // A new object takes the source's schedule (there is none to keep), and a new flow is off unless asked.
        const body = comparable(type, source, { keepSchedules: false }, idOf, connectionOf);
        if (type === 'flow' || source._integrationId) body._integrationId = tgt.integration._id;
        if (type === 'flow') body.disabled = !o.enable;
        // At most once: after an ambiguous failure, a new object of this name is looked for before posting again.
        const api = apiOf(tgt, type) as { create(b: object, c: object): Promise<Doc>; list(q: object, c: object): Promise<Doc[]> };
        const named = async () =>
          ((type === 'flow' ? await tgt.api.integrations.flows(tgt.integration._id, { signal }) : await api.list({}, { signal })) as Doc[]).filter((d) => d.name === body.name);
        const made = await createOnce(ctx, `${type} "${String(body.name)}" in ${tgt.label}`, () => api.create(body, { signal }), named);
        created.set(a.sourceId, made._id);
        await recordCreated(tctx, rec.id, { type, id: made._id, ...(a.name ? { name: a.name } : {}) });
        out.created.push({ type, id: made._id, name: a.name });
      }
    }
    for (const c of plan.changes) {
      const source = c.type === 'flow' ? (src.flows.find((f) => m.flows.get(f._id) === c.id) as Doc) : [...src.steps].find(([id]) => m.steps.get(id) === c.id)![1].doc;
      const desired = comparable(c.type, source, o, idOf, connectionOf);
      const api = apiOf(tgt, c.type) as { update(id: string, mutate: (d: Doc) => Doc | void, opts: object): Promise<Doc> };
      const written = await api.update(c.id, (draft) => applyDiffs(draft, diffValues(comparable(c.type, draft, o), desired)), { expectLastModified: c.lastModified, signal });
      await recordChanged(tctx, rec.id, { type: c.type, id: c.id }, written);
      out.changed.push({ type: c.type, id: c.id, name: c.name });
    }
    const ids = Object.fromEntries([...m.flows, ...m.steps, ...created]);
    const stateId = `integrations/${tgt.integration._id}/${MATCHES_KEY}`;
    // Noted like any object the change made or changed, so that restoring the backup removes or resets it too.
    const how = await tgt.api.state.put(MATCHES_KEY, { source: src.integration._id, ids }, scope, { signal });
    if (how === 'created') await recordCreated(tctx, rec.id, { type: 'state', id: stateId });
    else await recordChanged(tctx, rec.id, { type: 'state', id: stateId }, undefined);
    await markApplied(tctx, rec.id);
    return out;
  } catch (err) {
    await forgetUnapplied(tctx, rec.id, err);
    throw err;
  }
}
