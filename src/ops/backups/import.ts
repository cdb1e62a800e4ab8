// `backups import` (issue 18): local backup files into the team's database store, so that a team that
// moves to shared servers keeps the backups its members took before. Each file is read as the local
// store reads it (store/record.ts); a backup the database already holds (same id) is left as it is. The
// files stay where they are.
import { stat } from 'node:fs/promises';
import { UsageError } from '../../core/errors.js';
import type { BackupStore } from '../../store/types.js';
import { addBackup, fileStore, type SkippedFile } from './store.js';

export interface ImportReport {
  summary: string;
  /** The folder read. */
  from: string;
  /** The database written to (host:port/database). */
  into: string;
  imported: string[];
  /** Backups the database held already (same id): left as they were. */
  alreadyThere: string[];
  /** Files that are not readable backups, with why. */
  skipped: SkippedFile[];
  /** The local files are never removed. */
  filesLeftInPlace: true;
}

async function folderExists(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new UsageError(`Cannot read ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
  }
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Copies every readable backup of `dir` into `target` that it does not hold yet. `explicit`: the folder
 * was named (--from), so a missing one is an error rather than nothing to import.
 */
export async function importBackups(dir: string, target: BackupStore, o: { explicit?: boolean; progress?: (done: number, total: number) => void } = {}): Promise<ImportReport> {
  if (target.kind === 'file') throw new UsageError('backups import copies local backups into the team database, and this session has none. Set CELIGO_MANAGE_DATABASE_URL.');
  await target.ready();
  const report: ImportReport = { summary: '', from: dir, into: target.where, imported: [], alreadyThere: [], skipped: [], filesLeftInPlace: true };
  if (!(await folderExists(dir))) {
    if (o.explicit) throw new UsageError(`No folder ${dir}. Name the folder that holds the backup files (bk-….json) with --from.`);
    report.summary = `No local backups at ${dir}: nothing to import.`;
    return report;
  }
  const source = fileStore(dir);
  const { records, skipped } = await source.list();
  report.skipped.push(...skipped);
  for (const [i, rec] of records.entries()) {
    if (Number.isNaN(Date.parse(rec.createdAt))) {
      report.skipped.push({ path: source.file(rec.id), reason: `its createdAt ${JSON.stringify(rec.createdAt.slice(0, 40))} is not a date` });
      continue;
    }
    if (await addBackup(target, rec)) report.imported.push(rec.id);
    else report.alreadyThere.push(rec.id);
    o.progress?.(i + 1, records.length);
  }
  report.summary =
    `Imported ${plural(report.imported.length, 'backup')} from ${dir} into the database at ${target.where}; ` +
    `${plural(report.alreadyThere.length, 'was', 'were')} already there, ${plural(report.skipped.length, 'file')} skipped. ` +
    'The local files were left in place.';
  return report;
}
