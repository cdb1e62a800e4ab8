// The backups noun: list, diff and restore are derived from their operations (operations/backups.ts);
// `import` and `prune` are terminal commands only (moving local files into the team database, and
// deleting old backups, are housekeeping for a person or a cron job, not work for an agent), written here.
import { join } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { nounWith } from '../nouns.js';
import { opt, type CommandSpec, type NounSpec } from '../spec.js';
import { optStr } from './common.js';

const importVerb: CommandSpec = {
  name: 'import',
  summary: 'Copy local backup files into the team database (CELIGO_MANAGE_DATABASE_URL)',
  options: [opt('--from <dir>', 'Folder of backup files to import (default: <home>/backups)')],
  details:
    'For a team that moves to shared servers: every readable backup file is copied into the PostgreSQL database of ' +
    'CELIGO_MANAGE_DATABASE_URL, where every server and CLI of the team finds it. A backup the database already holds ' +
    '(same id) is left as it is; files that are not readable backups are listed with why. The local files stay where they are. ' +
    'Nothing in the account is read or changed.',
  examples: ['backups import', 'backups import --from /srv/old-home/backups', 'backups import --json imported,alreadyThere,skipped'],
  async run(rc) {
    if (rc.global.demo) throw new UsageError('backups import copies a real home\'s backup files; the demo account keeps none. Run it without --demo.');
    const from = optStr(rc, 'from');
    if (from !== undefined && (from.trim() === '' || from.startsWith('-'))) throw new UsageError('--from needs a folder (e.g. --from ~/.celigo-manage/backups).');
    const [{ storeFromEnv, DATABASE_URL_VAR }, { importBackups }] = await Promise.all([import('../../store/index.js'), import('../../ops/backups/import.js')]);
    const store = await storeFromEnv(rc.io.env, (line) => rc.out.note(line));
    if (!store) {
      throw new UsageError(`backups import copies local backups into the team database, and ${DATABASE_URL_VAR} is not set. Set it to the database's URL (postgres://USER:PASSWORD@HOST:5432/DATABASE) and run again.`);
    }
    try {
      const r = await importBackups(from ?? join(rc.home(), 'backups'), store, { explicit: from !== undefined });
      rc.out.object(r as unknown as Record<string, unknown>, {
        human: (c) => {
          const lines = [`${r.skipped.length ? c.yellow('!') : c.green('✓')} ${r.summary}`];
          for (const s of r.skipped) lines.push(`  ${c.dim('skipped')} ${s.path}: ${s.reason}`);
          return lines.join('\n');
        },
      });
    } finally {
      await store.close();
    }
  },
};

const pruneVerb: CommandSpec = {
  name: 'prune',
  summary: 'Delete the backups taken more than N days ago (asks first)',
  options: [
    opt('--older-than <days>', 'Delete backups taken more than this many days ago (required; at least 1)'),
    opt('--dry-run', 'List what would be deleted; delete nothing'),
  ],
  details:
    'Backups are kept until pruned, so the store grows with every change. This deletes the backups taken more than ' +
    '--older-than days ago from the store this command uses (the team database of CELIGO_MANAGE_DATABASE_URL, else ' +
    '<home>/backups), each with its row of the change log. A deleted backup cannot be ' +
    'restored or undone. It asks first (--yes to skip, e.g. from cron); --dry-run only lists. Files that are not ' +
    'readable backups are never deleted. Nothing in the account is read or changed.',
  examples: ['backups prune --older-than 90 --dry-run', 'backups prune --older-than 90', 'backups prune --older-than 180 --yes --json count,before'],
  async run(rc) {
    if (rc.global.demo) throw new UsageError('The demo account keeps its backups only for the run that took them: there is nothing to prune. Run backups prune without --demo.');
    const { olderThanDays, planPrune, pruneQuestion, applyPrune } = await import('../../ops/backups/prune.js');
    const days = olderThanDays(rc.opts.olderThan);
    const dryRun = rc.opts.dryRun === true;
    if (rc.global.readOnly && !dryRun) throw new UsageError('--read-only blocks every change, and backups prune deletes backups. Run it without --read-only, or add --dry-run to only list them.');
    const [{ storeFromEnv }, { fileStore }] = await Promise.all([import('../../store/index.js'), import('../../ops/backups/store.js')]);
    const store = (await storeFromEnv(rc.io.env, (line) => rc.out.note(line))) ?? fileStore(join(rc.home(), 'backups'));
    try {
      const plan = await planPrune(store, days, new Date());
      let deleted: string[] = [];
      if (plan.backups.length && !dryRun) {
        if (!rc.global.yes) {
          const [{ confirmOnTerminal }, { Cancelled }] = await Promise.all([import('../prompt.js'), import('../../ops/context.js')]);
          const q = pruneQuestion(plan);
          if (!(await confirmOnTerminal(rc.io, rc.out.errColors, { ...q, digest: '' }, rc.signal))) throw new Cancelled(`${q.action}: declined. Nothing was deleted.`);
        }
        deleted = await applyPrune(store, plan);
      }
      const gone = new Set(deleted);
      const n = dryRun ? plan.backups.length : deleted.length;
      const what = `${n} backup${n === 1 ? '' : 's'} taken before ${plan.before}`;
      const summary = dryRun ? `Would delete ${what} from ${plan.where}; ${plan.kept} kept (dry run: nothing deleted).` : n ? `Deleted ${what} from ${plan.where}; ${plan.kept} kept.` : `No backup was taken before ${plan.before}; nothing deleted (${plan.kept} kept).`;
      const result = { summary, dryRun, before: plan.before, where: plan.where, count: n, kept: plan.kept, backups: dryRun ? plan.backups : plan.backups.filter((b) => gone.has(b.id)), skipped: plan.skipped };
      rc.out.object(result, {
        human: (c) => {
          const lines = [`${dryRun || !n ? c.dim('·') : c.green('✓')} ${summary}`];
          for (const b of result.backups.slice(0, 20)) lines.push(`  ${c.dim(b.createdAt)} ${b.id} ${b.reason}`);
          if (result.backups.length > 20) lines.push(`  ${c.dim(`and ${result.backups.length - 20} more (--json backups lists them all)`)}`);
          for (const s of plan.skipped) lines.push(`  ${c.dim('not a backup, left alone')} ${s.path}: ${s.reason}`);
          return lines.join('\n');
        },
      });
    } finally {
      await store.close();
    }
  },
};

/** The derived verbs, then import and prune. */
export async function backupsNoun(): Promise<NounSpec> {
  const noun = await nounWith('backups');
  return { ...noun, verbs: [...(noun.verbs ?? []), importVerb, pruneVerb] };
}
