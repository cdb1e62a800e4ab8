// Deleting old backups (`backups prune`): every backup is kept until someone prunes it, so a team's
// database or a person's home grows with every change ever made. Pruning removes the backups taken more
// than N days ago, each with its row of the change log (the file store's log is those files; the
// database's rows go with them, so both stores keep the same history). The age is always given: there is
// no default, and no age that means "everything" (at least one day, so a change in progress is never hit).
import { UsageError } from '../../core/errors.js';
import type { SkippedFile } from '../../store/record.js';
import type { BackupStore } from '../../store/types.js';

const DAY_MS = 86_400_000;
/** The largest age accepted (about a hundred years): more is a typo, not a retention. */
const MAX_DAYS = 36_500;
const GIVE = 'give a whole number of days, at least 1 (e.g. --older-than 90 keeps the last 90 days)';

/** The days of `--older-than` ("90" or "90d"); anything else is a usage error saying what to give. */
export function olderThanDays(text: unknown): number {
  if (text === undefined || text === null || (typeof text === 'string' && text.trim() === '')) {
    throw new UsageError(`backups prune needs --older-than: ${GIVE}. Nothing was deleted.`);
  }
  const m = /^\s*(\d+)\s*d?\s*$/i.exec(String(text));
  const days = m ? Number(m[1]) : NaN;
  if (!Number.isSafeInteger(days) || days < 1 || days > MAX_DAYS) {
    throw new UsageError(`--older-than ${JSON.stringify(String(text))} is not an age in days: ${GIVE}. Nothing was deleted.`);
  }
  return days;
}

export interface PrunedBackup {
  id: string;
  createdAt: string;
  reason: string;
  /** False: the change it was taken for failed or was cut short. */
  applied?: boolean;
}

export interface PrunePlan {
  /** Backups taken before this time (ISO 8601) are deleted. */
  before: string;
  days: number;
  /** The store: a folder, or host:port/database. */
  where: string;
  /** The backups to delete, oldest first. */
  backups: PrunedBackup[];
  /** Backups taken since `before`, left as they are. */
  kept: number;
  /** Stored items that are not readable backups: never deleted here. */
  skipped: SkippedFile[];
}

/** What pruning backups older than `days` would delete from `store`, read now; nothing is deleted. */
export async function planPrune(store: BackupStore, days: number, now: Date): Promise<PrunePlan> {
  const before = new Date(now.getTime() - days * DAY_MS).toISOString();
  const cutoff = Date.parse(before);
  const { records, skipped } = await store.list();
  const old = records.filter((r) => Date.parse(r.createdAt) < cutoff);
  return {
    before,
    days,
    where: store.where,
    backups: old.map((r) => ({ id: r.id, createdAt: r.createdAt, reason: r.reason, ...(r.applied === undefined ? {} : { applied: r.applied }) })),
    kept: records.length - old.length,
    skipped,
  };
}

/** The question asked before deleting: how many, taken before when, from where, and the first few. */
export function pruneQuestion(plan: PrunePlan): { action: string; details: string[] } {
  const n = plan.backups.length;
  const action = `Delete ${n} backup${n === 1 ? '' : 's'} taken before ${plan.before} (more than ${plan.days} day${plan.days === 1 ? '' : 's'} ago) from ${plan.where}`;
  const shown = plan.backups.slice(0, 5).map((b) => `${b.id} (${b.createdAt}): ${b.reason}`);
  if (n > shown.length) shown.push(`and ${n - shown.length} more`);
  shown.push(`their rows of the change log go with them; ${plan.kept} newer backup${plan.kept === 1 ? '' : 's'} kept. A deleted backup cannot be restored.`);
  return { action, details: shown };
}

/** Deletes exactly the backups of the plan (with their change-log rows); the ids that were still there. */
export async function applyPrune(store: BackupStore, plan: PrunePlan): Promise<string[]> {
  return plan.backups.length ? store.removeMany(plan.backups.map((b) => b.id)) : [];
}
