// promote_integration (issue 16): carry an integration's changes from one profile's account to another's
// (sandbox first, then production), as a field-by-field plan, applied only when asked, after a backup.
// In the `manage` toolset, not served by default: the default tools/list has no room for it.
import { z } from 'zod';
import type { PromoteReport } from '../ops/promote/index.js';
import { idOrName } from './args.js';
import { json } from './format.js';
import { defineOperation, entry, type Operation, type Terminal, type ToolResult } from './types.js';

const promoteOps = () => import('../ops/promote/index.js');

const profile = (role: string, example: string) => z.string().describe(`Profile of the account to promote ${role}, e.g. "${example}"`);

function headline(r: PromoteReport): string {
  const { from, to } = r.plan;
  if (r.upToDate) return `"${to.name}" in ${to.account} already matches ${from.account}: nothing to promote.`;
  if (!r.applied) return `Plan to promote "${from.name}" from ${from.account} to ${to.account} (nothing written; digest ${r.plan.digest}).`;
  const res = r.result!;
  return `Promoted "${from.name}" from ${from.account} to ${to.account}: ${res.created.length} created, ${res.changed.length} changed; ${res.verified ? 'read back: matches the source' : `read back: ${res.remaining} difference(s) left`}. Undo: backups restore ${res.backupId}.`;
}

/** The plan as lines: additions, then each changed field with its before and after. */
function planText(r: PromoteReport): string[] {
  const p = r.plan;
  const show = (v: unknown) => (v === undefined ? '(none)' : JSON.stringify(v).slice(0, 200));
  return [
    ...p.connections,
    ...p.additions.map((a) => `+ ${a.type} "${a.name ?? a.sourceId}"${a.type === 'flow' ? ' (arrives disabled)' : ''}`),
    ...p.changes.flatMap((c) => c.fields.map((f) => `~ ${c.type} "${c.name ?? c.id}" ${f.path}: ${show(f.before)} -> ${show(f.after)}`)),
    ...p.onlyOnTarget.map((f) => `= flow "${f.name ?? f.id}" only in ${p.to.account}: left as it is`),
  ];
}

function forModel(r: PromoteReport): ToolResult {
  const next = !r.applied && !r.upToDate ? `\nTo write it: promote_integration with apply: true and plan: "${r.plan.digest}".` : '';
  return { text: `${headline(r)}\n${planText(r).join('\n')}${next}\n${json({ digest: r.plan.digest, ...(r.result ? { result: r.result } : {}) })}`, structured: { ...r } };
}

function forTerminal(r: PromoteReport, t: Terminal): void {
  if (t.jsonMode) return t.object({ ...r });
  t.print(headline(r));
  for (const line of planText(r)) t.print(`  ${line}`);
  if (!r.applied && !r.upToDate) t.note(t.c.dim('Dry run: nothing was written. Add --apply to write it.'));
}

const promoteIntegration = defineOperation({
  name: 'promote_integration',
  toolset: 'manage',
  title: 'Promote an integration between accounts',
  description: 'Carry an integration\'s changes from one profile\'s account to another (sandbox to production) as a field-by-field plan; writes only with apply.',
  input: {
    integration: idOrName('Integration'),
    from: profile('from', 'sandbox'),
    to: profile('to', 'production'),
    map: z.array(z.string()).optional().describe('Connection pairs "source=target" (names or ids) where names differ'),
    keepSchedules: z.boolean().optional().describe('Leave the target flows\' schedules as they are'),
    enable: z.boolean().optional().describe('New flows arrive enabled (default: disabled)'),
    apply: z.boolean().optional().describe('Write the plan (default: only show it)'),
    plan: z.string().optional().describe('Digest of the plan reviewed: nothing is written if the plan changed since'),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  cli: {
    noun: 'integrations',
    verb: 'promote',
    summary: 'Promote an integration\'s changes from one profile\'s account to another (a dry run unless --apply)',
    args: ['integration'],
    flags: {
      integration: { description: 'Integration id or name in the --from account' },
      from: { flags: '--from <profile>', description: 'Profile to promote from (e.g. sandbox)' },
      to: { flags: '--to <profile>', description: 'Profile to promote to (e.g. production)' },
      map: { flags: '--map <source=target>', description: 'Map a connection whose name differs (repeatable)' },
      plan: { flags: '--plan <digest>', description: 'Apply only if the plan is still the one with this digest' },
    },
    details:
      'Reads both accounts through their own profiles; matches flows by name and steps by position; maps connections by name or type (never copies them or their secrets). ' +
      'Without --apply it only shows the plan. With it: a backup of the target integration first (undo: backups restore <id>), new flows disabled unless --enable, then it reads the target back. ' +
      'Left out of the comparison by rule: ids, lastModified, the integration id, a flow\'s enabled state, and with --keep-schedules its schedule. With --demo the accounts are "demo" and "sandbox".',
    examples: [
      'integrations promote "HubSpot - Salesforce Leads" --from sandbox --to demo --demo',
      'integrations promote "Shopify - NetSuite Orders" --from sandbox --to production --map "NetSuite Sandbox=NetSuite Production" --apply',
    ],
  },
  run: async (ctx, input) => (await promoteOps()).promoteIntegration(ctx, input),
  forModel,
  forTerminal,
});

export const promoteOperations: Operation[] = [entry(promoteIntegration)];
