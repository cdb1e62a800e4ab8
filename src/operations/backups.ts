// Backups: every change celigo-manage makes is backed up first (local files, or a team's database); these
// list them, show what changed since one, and put one back. A restore's outcome and next steps (finish
// it, undo it) come from the restore itself.
import { z } from 'zod';
import type { BackupDiff } from '../ops/backups/diff.js';
import type { RestoreReport } from '../ops/backups/restore.js';
import type { BackupSummary, SkippedFile } from '../ops/backups/store.js';
import { truncate } from '../ops/util.js';
import { wholeNumber } from './args.js';
import { json, LOCAL_READ, READ, tsv } from './format.js';
import { changeOperations } from './changes.js';
import { defineOperation, entry, type Colors, type Operation, type Terminal } from './types.js';
import { toolView } from './terminal-input.js';

export const BACKUP_FIELDS = ['id', 'createdAt', 'reason', 'applied', 'targets', 'items', 'created'] as const;
const ID_HELP = 'Backup id (see: backups list)';

/** Every backup that matches (newest first); the model's page is cut in forModel, a terminal's by --limit. */
interface BackupList {
  total: number;
  backups: BackupSummary[];
  /** Files in the backups folder that are not readable backups (listed, never fatal). */
  skipped: SkippedFile[];
}

/** One line per file that is not a readable backup. */
const skippedLines = (skipped: SkippedFile[]) => skipped.map((s) => `Warning: skipped ${s.path}: ${s.reason}.`);

function listForTerminal(r: BackupList, t: Terminal, limit: number | undefined): void {
  t.expectFields(BACKUP_FIELDS);
  for (const line of skippedLines(r.skipped)) t.note(line);
  const rows = r.backups.map((b) => ({ ...b, targets: b.targets.map((x) => `${x.type}:${x.id}`) }));
  t.list(rows, { noun: 'backups', fields: BACKUP_FIELDS, columns: ['id', 'createdAt', 'reason', 'applied', 'items', 'created'], limit });
}

function statusColor(c: Colors, s: string): string {
  return s === 'unchanged' ? c.green(s) : s === 'deleted' ? c.red(s) : s === 'changed' ? c.yellow(s) : s;
}

function diffText(d: BackupDiff, t: Terminal, c: Colors): string {
  const out = [c.bold(d.summary), c.dim(`${d.id} · ${d.createdAt} · ${d.reason}`)];
  const items = d.items.map((i) => ({ type: i.type, name: i.name ?? i.id, id: i.id, status: i.status, changes: i.changeCount, byOthers: i.changedByOthers ? 'yes' : '' }));
  if (items.length) out.push('', t.table(items, ['type', 'name', 'status', 'changes', 'byOthers', 'id']));
  for (const i of d.items.filter((x) => x.changes.length)) {
    out.push('', c.bold(`${i.type} ${i.name ?? i.id}`));
    // An excerpt is JSON text already: shown as it is, like the JSON of a short value.
    const show = (v: unknown, excerpt?: boolean) => (v === undefined ? '(none)' : excerpt ? String(v) : JSON.stringify(v));
    for (const ch of i.changes) out.push(`  ${ch.path}: ${c.red(show(ch.before, ch.excerpt))} -> ${c.green(show(ch.after, ch.excerpt))}`);
    if (i.changeCount > i.changes.length) out.push(c.dim(`  … and ${i.changeCount - i.changes.length} more`));
  }
  if (d.created.length) {
    out.push('', c.bold('Created by the change (a restore deletes those that still exist)'));
    for (const x of d.created) out.push(`  ${x.type} ${x.name ?? x.id} ${x.exists ? statusColor(c, 'exists') : c.dim('(gone)')}`);
  }
  return out.join('\n');
}

function restoreText(r: RestoreReport, c: Colors): string {
  const out = [`${r.verified && !r.problems.length && !r.outcome ? c.green('✓') : c.red('✗')} ${r.summary}`];
  for (const x of r.restored) out.push(`  ${c.green('restored')} ${x.type} ${x.name ?? x.id}`);
  for (const x of r.deleted) out.push(`  ${c.yellow('deleted')} ${x.type} ${x.name ?? x.id}`);
  for (const x of r.skipped) out.push(`  ${c.dim('skipped')} ${x.type} ${x.name ?? x.id}: ${x.reason}`);
  for (const p of r.problems) out.push(`  ${c.red('problem')} ${p}`);
  if (r.preRestoreBackupId) out.push('', c.dim(`The state before this restore is saved as ${r.preRestoreBackupId}.`));
  return out.join('\n');
}

const BACKUP_ID = 'Backup id, e.g. "bk-20261201-081500Z-a1b2c3"';

const listBackups = defineOperation({
  name: 'list_backups',
  toolset: 'backups',
  title: 'List backups',
  description: 'Backups taken before each change, newest first. restore_backup undoes one.',
  input: {
    target: z.string().optional().describe('Only backups of this resource (id or name), e.g. "Orders to NetSuite"'),
    limit: wholeNumber(1, 200).optional().describe('Rows (default 50)'),
  },
  annotations: LOCAL_READ,
  cli: {
    noun: 'backups',
    verb: 'list',
    summary: 'List backups, newest first (local files, or the team database)',
    flags: {
      target: { flags: '--target <id-or-name>', description: 'Only backups that hold this resource' },
      limit: { flags: '--limit <n>', description: 'Show at most N rows (default: 50 on a terminal, all when piped or with --json)' },
    },
    examples: ['backups list', 'backups list --target "Shopify Customers to NetSuite"', 'backups list --json id,reason'],
  },
  async run(ctx, input): Promise<BackupList> {
    const { listBackups: list } = await import('../ops/backups/store.js');
    return list(ctx, { target: input.target, limit: Number.MAX_SAFE_INTEGER });
  },
  forModel(r, input) {
    const page = r.backups.slice(0, input.limit ?? 50);
    const head = [r.total === 0 ? 'No backups yet.' : `Showing ${page.length} of ${r.total} backups.`, ...skippedLines(r.skipped)].join('\n');
    const rows = page.map((b) => ({ id: b.id, createdAt: b.createdAt, reason: truncate(b.reason, 100), applied: b.applied, objects: b.items, created: b.created }));
    const structured = { total: r.total, truncated: page.length < r.total, backups: page, ...(r.skipped.length ? { skipped: r.skipped } : {}) };
    return { text: rows.length ? `${head}\n${tsv(rows)}` : head, structured };
  },
  forTerminal: (r, t, input) => listForTerminal(r, t, input.limit),
});

const diffBackup = defineOperation({
  name: 'diff_backup',
  toolset: 'backups',
  title: 'Diff a backup',
  description: 'What differs now from a backup, field by field.',
  input: { id: z.string().min(1).describe(BACKUP_ID) },
  annotations: READ,
  cli: {
    noun: 'backups',
    verb: 'diff',
    summary: 'What changed in the account since a backup',
    args: ['id'],
    flags: { id: { description: ID_HELP } },
    examples: ['backups diff bk-20261120-020000Z-a1b2c3'],
  },
  run: async (ctx, input) => (await import('../ops/backups/diff.js')).diffBackup(ctx, input.id),
  forModel(r) {
    const changed = r.items.filter((i) => i.status !== 'unchanged');
    const rows = changed.flatMap((i) =>
      i.changes.length
        ? i.changes.slice(0, 10).map((c) => ({ object: `${i.type} ${i.name ?? i.id}`, status: i.status, byOthers: i.changedByOthers, path: c.path, before: truncate(json(c.before), 80), after: truncate(json(c.after), 80) }))
        : [{ object: `${i.type} ${i.name ?? i.id}`, status: i.status, byOthers: i.changedByOthers }],
    );
    const created = r.created.filter((c) => c.exists);
    const text = [r.summary, rows.length ? tsv(rows) : '', created.length ? `Created since (restore deletes them): ${created.map((c) => `${c.type} ${c.name ?? c.id}`).join(', ')}` : ''].filter(Boolean).join('\n');
    return { text, structured: { ...r } };
  },
  forTerminal(r, t) {
    t.object({ ...r }, { human: (c) => diffText(r, t, c) });
  },
});

// The tool's input: `force` passes newer edits only. The account guard has no override on MCP (a model
// must not write one account's backup into another); the command adds --other-account.
const restoreToolInput = {
  id: z.string().min(1).describe(BACKUP_ID),
  force: z.boolean().optional().describe("Also overwrite others' changes since the backup"),
  confirm: z.string().optional().describe('Preview token'),
};

const restoreBackup = defineOperation({
  name: 'restore_backup',
  toolset: 'backups',
  title: 'Restore a backup',
  description: 'Undo a change: restore objects from a backup, delete what it created. Refuses others\' later edits unless force.',
  input: {
    ...restoreToolInput,
    otherAccount: z.boolean().optional().describe('Restore a backup taken from another account or region'),
  },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  cli: {
    noun: 'backups',
    verb: 'restore',
    summary: 'Put back what a backup holds (and delete what the change created)',
    args: ['id'],
    flags: {
      id: { description: ID_HELP },
      force: { description: 'Restore even objects changed since the backup\'s own change (by someone else or a later change)' },
      otherAccount: { description: 'Restore a backup taken from another account or region (API base URL) into this one' },
    },
    details:
      'Asks first (--yes to skip). Two guards, each with its own override: objects changed since the backup\'s own change are refused unless --force; ' +
      'a backup taken from another account or region is refused unless --other-account. The state just before the restore is itself backed up.',
    examples: ['backups restore bk-20261120-020000Z-a1b2c3', 'backups restore bk-20261120-020000Z-a1b2c3 --force --yes'],
  },
  run: async (ctx, input) => (await import('../ops/backups/restore.js')).restoreBackup(ctx, { id: input.id, force: input.force, otherAccount: input.otherAccount }),
  forModel(r) {
    const text = [
      r.summary,
      r.skipped.length ? `Skipped:\n- ${r.skipped.map((s) => `${s.type} ${s.name ?? s.id}: ${s.reason}`).join('\n- ')}` : '',
      r.problems.length ? `Problems:\n- ${r.problems.join('\n- ')}` : '',
    ]
      .filter(Boolean)
      .join('\n');
    return { text, structured: { ...r } };
  },
  forTerminal(r, t) {
    t.object({ ...r }, { human: (c) => restoreText(r, c) });
  },
});

// list_changes (changes.ts) sits beside list_backups at the terminal (`backups changes`), in the manage toolset.
export const backupOperations: Operation[] = [entry(listBackups), ...changeOperations, entry(diffBackup), toolView(restoreToolInput, restoreBackup)];
