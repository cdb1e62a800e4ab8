import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where celigo-manage keeps profiles and backups: CELIGO_MANAGE_HOME, default ~/.celigo-manage. */
export function manageHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.CELIGO_MANAGE_HOME || join(homedir(), '.celigo-manage');
}
