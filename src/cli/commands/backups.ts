// The backups noun: list, diff and restore are derived from their operations (operations/backups.ts);
// `import` is a terminal command only (it moves local files into the team database, which is no work
// for an agent), written here.
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

/** The derived verbs, then import. */
export async function backupsNoun(): Promise<NounSpec> {
  const noun = await nounWith('backups');
  return { ...noun, verbs: [...(noun.verbs ?? []), importVerb] };
}
