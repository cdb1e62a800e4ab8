// The change log's filter, one meaning for every store (the database applies the same in SQL).
import type { ChangeFilter, ChangeRow } from './types.js';

export const DEFAULT_CHANGES_LIMIT = 100;

/** The rows that pass the filter, newest first, at most filter.limit of them. */
export function newestChanges(rows: ChangeRow[], f: ChangeFilter = {}): ChangeRow[] {
  const since = f.since ? Date.parse(f.since) : undefined;
  return rows
    .filter((r) => (since === undefined || Date.parse(r.at) >= since) && (!f.subject || r.subject === f.subject) && (!f.baseUrl || r.baseUrl === f.baseUrl))
    .sort((a, b) => b.at.localeCompare(a.at) || b.backupId.localeCompare(a.backupId))
    .slice(0, f.limit ?? DEFAULT_CHANGES_LIMIT);
}
