// When an op must ask before it acts (issue 4 item 10, design.md §3 "Destructive work ... asks").
import { Cancelled, type ConfirmPlan, type OpContext } from './context.js';
import { digestOf } from './util.js';

/**
 * - `change`: an ordinary mutating workflow (mapping update, setup, run): asks only on a production profile.
 * - `mass`: touches more than one job or flow (bulk retry): always asks.
 * - `destructive`: cannot be undone by re-running (clear errors, restore, delete): always asks.
 */
export type ConfirmKind = 'change' | 'mass' | 'destructive';
/** Object form, for callers that describe the work by flags: `{mutating: true}` is a `change`. */
export type ConfirmOptions = ConfirmKind | { mutating?: boolean; mass?: boolean; destructive?: boolean };

function kindOf(o: ConfirmOptions | undefined): ConfirmKind {
  if (o === undefined) return 'destructive';
  if (typeof o === 'string') return o;
  return o.destructive ? 'destructive' : o.mass ? 'mass' : 'change';
}

/** True when `kind` of work needs a person's yes in this context (before `yes` is considered). */
export function needsConfirmation(ctx: OpContext, kind: ConfirmKind): boolean {
  return kind !== 'change' || !!ctx.production;
}

/**
 * Asks the person (through the front end's `ctx.confirm`) when the rules say so, and returns only when
 * the work may go ahead. `--yes` skips every question. With no way to ask, throws `Cancelled` saying how
 * to proceed; a front end's `ConfirmationRequired` (preview + token) passes through unchanged.
 */
export async function mustConfirm(ctx: OpContext, plan: ConfirmPlan, options: ConfirmOptions = 'destructive'): Promise<void> {
  const kind = kindOf(options);
  if (!needsConfirmation(ctx, kind) || ctx.yes) return;
  const why = kind === 'change' ? ' on a production profile' : '';
  if (!ctx.confirm) {
    throw new Cancelled(
      `${plan.action}: this needs confirmation${why} and there is no one to ask. Nothing was changed. ` +
        'Re-run with --yes, or from an MCP client confirm the preview (pass its confirm token).',
    );
  }
  const ok = await ctx.confirm(plan);
  if (!ok) throw new Cancelled(`${plan.action}: declined. Nothing was changed.`);
}

/** Builds a plan whose digest covers exactly what will be touched. */
export function makePlan(action: string, details: string[], touched: unknown): ConfirmPlan {
  return { action, details: details.slice(0, 40).concat(details.length > 40 ? [`… and ${details.length - 40} more`] : []), digest: digestOf({ action, touched }) };
}
