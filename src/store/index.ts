// Which store a process uses: PostgreSQL when CELIGO_MANAGE_DATABASE_URL is set (a team's servers share
// backups, the change log and the confirmation key), otherwise none here, and ops/backups/store.ts uses
// the local files of the session's home exactly as before.
import type { BackupStore } from './types.js';
import { databaseUrlOf } from './url.js';

export type { BackupStore, ChangeFilter, ChangeRow } from './types.js';
export { StoreError } from './types.js';
export { DATABASE_URL_VAR, databaseSecrets, databaseTarget, databaseUrlOf } from './url.js';

/** The shared store of the environment, or undefined (local files). `pg` is loaded only when one is set. */
export async function storeFromEnv(env: NodeJS.ProcessEnv, log?: (line: string) => void): Promise<BackupStore | undefined> {
  const url = databaseUrlOf(env);
  if (!url) return undefined;
  const { openPostgresStore } = await import('./postgres.js');
  return openPostgresStore({ url, log });
}
