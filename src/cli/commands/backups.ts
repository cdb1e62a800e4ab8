import type { NounSpec, RunContext } from '../spec.js';
import { LIMIT, opt } from '../spec.js';
import { arg, limitOf, optStr } from './common.js';
import { renderTable, colorStatus, type Colors } from '../output.js';
import { cliWords } from '../words.js';
import type { OpContext } from '../../ops/context.js';
import type { BackupDiff } from '../../ops/backups/diff.js';
import type { RestoreReport } from '../../ops/backups/restore.js';

export const BACKUP_FIELDS = ['id', 'createdAt', 'reason', 'targets', 'items', 'created'] as const;

/** Listing backups reads only local files: no session, no token needed. */
function localCtx(rc: RunContext): OpContext {
  return { api: undefined as never, signal: rc.signal, home: rc.home() };
}

function renderDiff(d: BackupDiff, c: Colors, width: number): string {
  const lines = [c.bold(cliWords(d.summary)), c.dim(`${d.id} · ${d.createdAt} · ${d.reason}`)];
  const items = d.items.map((i) => ({ type: i.type, name: i.name ?? i.id, id: i.id, status: i.status, changes: i.changeCount, byOthers: i.changedByOthers ? 'yes' : '' }));
  if (items.length) lines.push('', renderTable(items, ['type', 'name', 'status', 'changes', 'byOthers', 'id'], c, width));
  for (const i of d.items.filter((x) => x.changes.length)) {
    lines.push('', c.bold(`${i.type} ${i.name ?? i.id}`));
    for (const ch of i.changes) lines.push(`  ${ch.path}: ${c.red(JSON.stringify(ch.before) ?? 'undefined')} -> ${c.green(JSON.stringify(ch.after) ?? 'undefined')}`);
    if (i.changeCount > i.changes.length) lines.push(c.dim(`  … and ${i.changeCount - i.changes.length} more`));
  }
  if (d.created.length) {
    lines.push('', c.bold('Created by the change (a restore deletes those that still exist)'));
    for (const x of d.created) lines.push(`  ${x.type} ${x.name ?? x.id} ${x.exists ? colorStatus(c, 'exists') : c.dim('(gone)')}`);
  }
  return lines.join('\n');
}

function renderRestore(r: RestoreReport, c: Colors): string {
  const lines = [`${r.verified && !r.problems.length ? c.green('✓') : c.red('✗')} ${cliWords(r.summary)}`];
  for (const x of r.restored) lines.push(`  ${c.green('restored')} ${x.type} ${x.name ?? x.id}`);
  for (const x of r.deleted) lines.push(`  ${c.yellow('deleted')} ${x.type} ${x.name ?? x.id}`);
  for (const x of r.skipped) lines.push(`  ${c.dim('skipped')} ${x.type} ${x.name ?? x.id}: ${cliWords(x.reason)}`);
  for (const p of r.problems) lines.push(`  ${c.red('problem')} ${cliWords(p)}`);
  if (r.preRestoreBackupId) lines.push('', c.dim(`The state before this restore is saved as ${r.preRestoreBackupId}.`));
  return lines.join('\n');
}

export const backups: NounSpec = {
  name: 'backups',
  verbs: [
    {
      name: 'list',
      summary: 'List backups, newest first (local files; no token needed)',
      options: [opt('--target <id-or-name>', 'Only backups that hold this resource'), LIMIT],
      examples: ['backups list', 'backups list --target "Shopify Customers to NetSuite"', 'backups list --json id,reason'],
      async run(rc) {
        rc.out.expectFields(BACKUP_FIELDS);
        const { listBackups } = await import('../../ops/backups/store.js');
        const r = await listBackups(localCtx(rc), { target: optStr(rc, 'target'), limit: 100_000 });
        const rows = r.backups.map((b) => ({ ...b, targets: b.targets.map((t) => `${t.type}:${t.id}`) }));
        rc.out.list(rows, { noun: 'backups', fields: BACKUP_FIELDS, columns: ['id', 'createdAt', 'reason', 'items', 'created'], limit: limitOf(rc), total: r.total });
      },
    },
    {
      name: 'diff',
      summary: 'What changed in the account since a backup',
      args: ['<id>'],
      argHelp: { id: 'Backup id (see: backups list)' },
      examples: ['backups diff bk-20261120-020000Z-a1b2c3'],
      async run(rc) {
        const { diffBackup } = await import('../../ops/backups/diff.js');
        const d = await diffBackup(await rc.ctx(), arg(rc, 0));
        rc.out.object(d as unknown as Record<string, unknown>, { human: (c) => renderDiff(d, c, rc.out.width) });
      },
    },
    {
      name: 'restore',
      summary: 'Put back what a backup holds (and delete what the change created)',
      args: ['<id>'],
      argHelp: { id: 'Backup id (see: backups list)' },
      options: [opt('--force', 'Restore even objects someone else changed since the backup')],
      details: 'Asks first (--yes to skip). Refuses objects changed by someone else since the backup unless --force. The state just before the restore is itself backed up.',
      mutating: true,
      examples: ['backups restore bk-20261120-020000Z-a1b2c3', 'backups restore bk-20261120-020000Z-a1b2c3 --force --yes'],
      async run(rc) {
        const { restoreBackup } = await import('../../ops/backups/restore.js');
        const r = await restoreBackup(await rc.ctx(), { id: arg(rc, 0), force: !!rc.opts.force });
        rc.out.object(r as unknown as Record<string, unknown>, { human: (c) => renderRestore(r, c) });
        return r.problems.length || !r.verified ? 1 : 0;
      },
    },
  ],
};
