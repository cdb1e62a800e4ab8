// Promote an integration's changes from one account (profile) to another (issue 16): read both sides
// through their own profiles, match objects by name and position (read.ts, match.ts), plan the
// difference field by field (plan.ts), and only when asked apply it after a backup (apply.ts), then read
// the target back and compare it with the source again.
import { UsageError } from '../../core/errors.js';
import type { OpContext } from '../context.js';
import { makePlan, mustConfirm } from '../confirm.js';
import { plural } from '../util.js';
import { applyPromotion, type Applied } from './apply.js';
import { mapPairs, matchConnections, matchObjects, type Matches } from './match.js';
import { planPromotion, type PromotionPlan } from './plan.js';
import type { Integration } from '../../core/schemas.js';
import { findIntegrations, MATCHES_KEY, readSide, type Account, type Side, type StoredMatches } from './read.js';

export type { PromotionPlan } from './plan.js';

export interface PromoteInput {
  integration: string;
  from: string;
  to: string;
  /** "source=target" connection pairs (names or ids). */
  map?: string[];
  keepSchedules?: boolean;
  enable?: boolean;
  /** Write the plan (default: only plan). */
  apply?: boolean;
  /** The digest of the plan that was reviewed: applying stops if the plan is no longer that one. */
  plan?: string;
}

export interface PromoteReport {
  plan: PromotionPlan;
  applied: boolean;
  /** Nothing differs: nothing to promote. */
  upToDate: boolean;
  result?: Applied & { verified: boolean; remaining: number };
}

async function accountOf(ctx: OpContext, name: string, role: string): Promise<Account> {
  if (!ctx.accounts) throw new UsageError('This front end cannot open another account; run `celigo-manage integrations promote` at a terminal.');
  if (!name?.trim()) throw new UsageError(`Name the ${role} profile (e.g. --${role} sandbox).`);
  return ctx.accounts(name.trim());
}

/**
 * The target read and planned against a source already read. `known`: the matches the target keeps, as
 * findIntegrations read them; without it (the read-back after an apply) they are read again.
 */
async function planAgainst(ctx: OpContext, source: Side | Promise<Side>, target: Account, to: Integration, input: PromoteInput, known?: { stored?: StoredMatches }) {
  // The source (when still being read) and the target are read side by side.
  const [src, tgt, stored] = await Promise.all([
    source,
    readSide(target, to, ctx.signal),
    known ? known.stored : target.api.state.get<StoredMatches>(MATCHES_KEY, { resourceType: 'integrations', id: to._id }, { signal: ctx.signal }),
  ]);
  const objects = matchObjects(src, tgt, stored?.source === src.integration._id ? stored : undefined);
  const m: Matches = { ...objects, ...matchConnections(src, tgt, mapPairs(input.map ?? [])) };
  return { src, tgt, m, plan: planPromotion(src, tgt, m, { keepSchedules: input.keepSchedules }) };
}

/** Both sides read, matched and planned. A side that cannot be read stops here, before any write. */
async function planBoth(ctx: OpContext, input: PromoteInput): Promise<{ src: Side; tgt: Side; target: Account; m: Matches; plan: PromotionPlan }> {
  const [source, target] = await Promise.all([accountOf(ctx, input.from, 'from'), accountOf(ctx, input.to, 'to')]);
  if (source.api === target.api) throw new UsageError(`--from and --to name the same account ("${source.label}"); promote from one profile to another.`);
  const { from, to, stored } = await findIntegrations(source, target, input.integration, ctx.signal);
  return { target, ...(await planAgainst(ctx, readSide(source, from, ctx.signal), target, to, input, { stored })) };
}

/** One line per planned change, as the confirmation shows it. */
export function planLines(plan: PromotionPlan): string[] {
  return [
    ...plan.additions.map((a) => `add ${a.type} "${a.name ?? a.sourceId}"${a.type === 'flow' ? ' (disabled)' : ''}`),
    ...plan.changes.flatMap((c) => c.fields.map((f) => `change ${c.type} "${c.name ?? c.id}": ${f.path}`)),
  ];
}

export async function promoteIntegration(ctx: OpContext, input: PromoteInput): Promise<PromoteReport> {
  // Read-only mode covers every account of the session: an apply is refused before anything is read.
  if (input.apply && ctx.api.http.readOnly) throw new UsageError('Read-only mode allows no changes: nothing was promoted. Run without read-only mode to apply; without apply the plan is shown.');
  const { src, tgt, target, m, plan } = await planBoth(ctx, input);
  const upToDate = !plan.changes.length && !plan.additions.length;
  if (!input.apply || upToDate) return { plan, applied: false, upToDate };
  if (input.plan && input.plan !== plan.digest) {
    throw new UsageError(
      `The plan reviewed (${input.plan}) is no longer what a promotion would do: one side changed since (the plan is now ${plan.digest}). ` +
        'Nothing was written. Review the new plan, then apply it with its digest.',
    );
  }
  const enable = !!input.enable;
  const what = `${plural(plan.additions.length, 'new object')}, ${plural(plan.changes.length, 'changed object')}`;
  await mustConfirm({ ...ctx, production: tgt.production }, makePlan(`Promote "${plan.from.name}" from ${src.label} to ${tgt.label} (${what})`, planLines(plan), { digest: plan.digest, enable }), 'change');
  const applied = await applyPromotion(ctx, src, tgt, m, plan, { keepSchedules: input.keepSchedules, enable });
  // Read back: the target read again and planned against the same source finds nothing left to do.
  const again = (await planAgainst(ctx, src, target, tgt.integration, input)).plan;
  const remaining = again.changes.length + again.additions.length;
  return { plan, applied: true, upToDate: false, result: { ...applied, verified: remaining === 0, remaining } };
}
