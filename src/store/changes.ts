// The change log's filter, one meaning for every store (the database applies the same in SQL: postgres.ts).
import type { ChangeFilter, ChangeRow } from './types.js';

export const DEFAULT_CHANGES_LIMIT = 100;

/**
 * A name as the target filter compares it: ASCII letters in lower case, nothing else changed. The
 * database does the same with translate() (postgres.ts), so both stores agree whatever their locale.
 */
export function foldAscii(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** Whether the change backed up, wrote, created or deleted the resource `target` (id, or name as recorded). */
export function touches(row: ChangeRow, target: string): boolean {
  const name = foldAscii(target);
  const objects: { id: string; name?: string }[] = [...row.before, ...row.after, ...row.created, ...row.deleted];
  return objects.some((o) => o.id === target || (o.name !== undefined && foldAscii(o.name) === name));
}

function passes(r: ChangeRow, f: ChangeFilter, since: number | undefined, until: number | undefined): boolean {
  const at = Date.parse(r.at);
  return (
    (since === undefined || at >= since) &&
    (until === undefined || at < until) &&
    (!f.subject || r.subject === f.subject) &&
    (!f.baseUrl || r.baseUrl === f.baseUrl) &&
    (f.tools === undefined || (r.tool !== undefined && f.tools.includes(r.tool))) &&
    (!f.target || touches(r, f.target))
  );
}

/** The rows that pass the filter, newest first, at most filter.limit of them. */
export function newestChanges(rows: ChangeRow[], f: ChangeFilter = {}): ChangeRow[] {
  const since = f.since ? Date.parse(f.since) : undefined;
  const until = f.until ? Date.parse(f.until) : undefined;
  return rows
    .filter((r) => passes(r, f, since, until))
    .sort((a, b) => b.at.localeCompare(a.at) || b.backupId.localeCompare(a.backupId))
    .slice(0, f.limit ?? DEFAULT_CHANGES_LIMIT);
}
