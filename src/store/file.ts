// The local store (the default): one JSON file per backup under <home>/backups/ (issue 4 item 8), exactly
// as before issue 18. Its change log is derived from those files rather than kept in a file of its own:
// each backup record already holds who, when, what, the before-state and the after-digests, and is
// updated in place as the change proceeds, so a second file would only repeat it (and could disagree
// with it after a crash between the two writes). A person's home then holds the same files as before.
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { UsageError } from '../core/errors.js';
import { noSuchBackup, parseRecord, validBackupId, type BackupRecord, type SkippedFile } from './record.js';
import { newestChanges } from './changes.js';
import type { BackupStore, ChangeFilter, ChangeRow } from './types.js';

const SKIP_FIX = 'move it out of the backups folder';
/** A backup file's text: the record, one key a line, as every version wrote it. */
const fileText = (rec: BackupRecord) => JSON.stringify(rec, null, 1) + '\n';

export class FileStore implements BackupStore {
  readonly kind = 'file';
  /**
   * @param dir the backups folder (`<home>/backups`, or the folder `backups import --from` names)
   * @param changeOf a record's row of the change log (ops/backups/change-log.ts: it digests the items)
   */
  constructor(readonly where: string, private readonly changeOf: (rec: BackupRecord) => ChangeRow) {}

  /** The file of a backup id (an id that could leave the folder is a usage error). */
  file(id: string): string {
    return join(this.where, `${validBackupId(id)}.json`);
  }

  async ready(): Promise<void> {}

  async save(rec: BackupRecord): Promise<void> {
    await mkdir(this.where, { recursive: true, mode: 0o700 });
    const file = this.file(rec.id);
    const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(tmp, fileText(rec), { mode: 0o600 });
    await rename(tmp, file);
  }

  async add(rec: BackupRecord): Promise<boolean> {
    await mkdir(this.where, { recursive: true, mode: 0o700 });
    try {
      await writeFile(this.file(rec.id), fileText(rec), { mode: 0o600, flag: 'wx' });
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
  }

  async load(id: string): Promise<BackupRecord> {
    const file = this.file(id);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw noSuchBackup(id);
      throw err;
    }
    const rec = parseRecord(text, id);
    if (typeof rec === 'string') throw new UsageError(`${file} cannot be read as a backup: ${rec}. Restore another backup, or ${SKIP_FIX}.`);
    return rec;
  }

  async list(): Promise<{ records: BackupRecord[]; skipped: SkippedFile[] }> {
    let names: string[];
    try {
      names = await readdir(this.where);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], skipped: [] };
      throw err;
    }
    const records: BackupRecord[] = [];
    const skipped: SkippedFile[] = [];
    for (const n of names.filter((f) => f.endsWith('.json')).sort()) {
      const path = join(this.where, n);
      const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : err));
      if (text === undefined) continue; // removed since the folder was read
      const rec = typeof text === 'string' ? parseRecord(text, n.slice(0, -'.json'.length)) : `unreadable (${text.code ?? text.message})`;
      if (typeof rec === 'string') skipped.push({ path, reason: `${rec}; ${SKIP_FIX}` });
      else records.push(rec);
    }
    records.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    return { records, skipped };
  }

  async remove(id: string): Promise<void> {
    await rm(this.file(id), { force: true });
  }

  async removeMany(ids: string[]): Promise<string[]> {
    const files = ids.map((id) => this.file(id));
    const removed: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const gone = await rm(files[i]!).then(
        () => true,
        (err: NodeJS.ErrnoException) => {
          if (err.code === 'ENOENT') return false;
          throw err;
        },
      );
      if (gone) removed.push(ids[i]!);
    }
    return removed;
  }

  async listChanges(filter: ChangeFilter = {}): Promise<ChangeRow[]> {
    return newestChanges((await this.list()).records.map(this.changeOf), filter);
  }

  async confirmKey(): Promise<undefined> {
    return undefined;
  }

  async close(): Promise<void> {}
}
