// The change log as people and agents read it (issue 18): who changed what, when, through which tool,
// newest first, filtered by time, person, resource and tool. It reads the store only (the local backup
// files, or the team's database), never the account. A blank filter is refused: it never means "all".
import { UsageError } from '../../core/errors.js';
import type { ChangeFilter, ChangeRow } from '../../store/types.js';
import type { OpContext } from '../context.js';
import { endsOf, rangeOf } from '../timerange.js';
import { listChanges, type ItemType } from './store.js';

export interface ChangeQuery {
  /** A time phrase (timerange.ts): changes from its start on; an "A..B" range also ends at B. */
  since?: string;
  /** An actor's subject, exactly as the log holds it (e.g. `local:alice`, an OAuth `sub`). */
  by?: string;
  /** A resource id, or its name as the log recorded it. */
  target?: string;
  /** Tool or command names, any of which matches (operations/backups.ts expands one name to its tool and commands). */
  tools?: string[];
}

/** One object a change touched, and its content digests before and after (short forms). */
export interface ChangeTarget {
  type: ItemType;
  id: string;
  name?: string;
  /** changed (written), created, deleted, or `backed up`: saved before the change, which recorded no write to it. */
  change: 'changed' | 'created' | 'deleted' | 'backed up';
  /** The first 8 characters of the content's digest before the change (absent: the object did not exist). */
  before?: string;
  /** The same of what the change's last write returned. */
  after?: string;
}

export interface ChangeEntry {
  at: string;
  /** Who: the actor's subject. */
  by: string;
  /** Their display name, when their token carried one. */
  byName?: string;
  via: string;
  /** The MCP tool or CLI command that made the change (absent for changes from before it was recorded). */
  operation?: string;
  /** What the change was, in the words of its backup. */
  reason: string;
  backupId: string;
  applied: boolean;
  targets: ChangeTarget[];
  /** The account's API base URL. */
  account: string;
}

export interface ChangeLog {
  rows: ChangeEntry[];
  /**
   * When `by` found nothing: the people the log does hold changes of (at most 10), so that a misspelled
   * subject reads as one, not as "nobody changed anything".
   */
  knownBy?: string[];
  /** How `since` was read, e.g. "from 2026-11-30T23:00:00.000Z on (yesterday, Europe/Paris)". */
  since?: string;
}

const short = (digest: string | undefined) => digest?.slice(0, 8);

/**
 * What the change touched: the objects it wrote (before and after digests), created and deleted; when it
 * recorded none of those (not applied, or a backup from before writes were recorded), what it backed up.
 */
export function targetsOf(row: ChangeRow): ChangeTarget[] {
  const written = new Map(row.after.map((a) => [`${a.type}:${a.id}`, a.digests]));
  const deleted = new Set(row.deleted.map((d) => `${d.type}:${d.id}`));
  const named = (o: { type: ItemType; id: string; name?: string }) => ({ type: o.type, id: o.id, ...(o.name !== undefined ? { name: o.name } : {}) });
  const out: ChangeTarget[] = [];
  for (const b of row.before) {
    const key = `${b.type}:${b.id}`;
    const digests = written.get(key);
    if (digests) out.push({ ...named(b), change: 'changed', ...(b.digest ? { before: short(b.digest) } : {}), after: short(digests[digests.length - 1]) });
    else if (deleted.has(key)) out.push({ ...named(b), change: 'deleted', ...(b.digest ? { before: short(b.digest) } : {}) });
  }
  const listed = new Set(row.before.map((b) => `${b.type}:${b.id}`));
  for (const d of row.deleted) if (!listed.has(`${d.type}:${d.id}`)) out.push({ ...named(d), change: 'deleted' });
  for (const c of row.created) out.push({ ...named(c), change: 'created' });
  if (out.length) return out;
  // Connection references are never written by a change: they only say which connections a flow uses.
  return row.before.filter((b) => b.type !== 'connectionRef').map((b) => ({ ...named(b), change: 'backed up', ...(b.digest ? { before: short(b.digest) } : {}) }));
}

function entryOf(row: ChangeRow): ChangeEntry {
  return {
    at: row.at,
    by: row.subject,
    ...(row.name !== undefined ? { byName: row.name } : {}),
    via: row.via,
    ...(row.tool !== undefined ? { operation: row.tool } : {}),
    reason: row.operation,
    backupId: row.backupId,
    applied: row.applied,
    targets: targetsOf(row),
    account: row.baseUrl,
  };
}

/** A filter value that was given but holds nothing: refused, with what to pass instead. */
function notBlank(value: string | undefined, what: string): string | undefined {
  if (value !== undefined && value.trim() === '') throw new UsageError(what);
  return value;
}

/** The store's filter for a query (a blank value is a usage error saying what to pass). */
export function changeFilter(ctx: Pick<OpContext, 'now' | 'timeZone'>, q: ChangeQuery): { filter: ChangeFilter; since?: string } {
  const by = notBlank(q.by, 'by needs the subject of the person whose changes to list, as the log shows it (e.g. "local:alice"); leave it out for everyone\'s changes.');
  const target = notBlank(q.target, 'target needs a resource id or name (e.g. "Shopify Orders to NetSuite"); leave it out for changes to any resource.');
  const since = notBlank(q.since, 'since needs a time (e.g. yesterday, last 7 days, 2026-12-01); leave it out for the whole log.');
  const filter: ChangeFilter = { limit: Number.MAX_SAFE_INTEGER };
  if (by !== undefined) filter.subject = by;
  if (target !== undefined) filter.target = target;
  if (q.tools) filter.tools = q.tools;
  if (since === undefined) return { filter };
  const range = rangeOf(ctx, since);
  if (range.from) filter.since = range.from.toISOString();
  // `since: yesterday` means from yesterday on, as in `git log --since`; only a range that names its own
  // end ("A..B") stops there.
  if (range.to && endsOf(since)) filter.until = range.to.toISOString();
  const read = `from ${filter.since ?? 'the start'}${filter.until ? ` to ${filter.until}` : ' on'} (${range.label}${range.zoned ? `, ${range.zone}` : ''})`;
  return { filter, since: read };
}

/** The change log, newest first: every change that passes the query (the front end pages it). */
export async function readChangeLog(ctx: OpContext, q: ChangeQuery = {}): Promise<ChangeLog> {
  const { filter, since } = changeFilter(ctx, q);
  const rows = (await listChanges(ctx, filter)).map(entryOf);
  const knownBy = !rows.length && filter.subject !== undefined ? [...new Set((await listChanges(ctx, { limit: 10_000 })).map((r) => r.subject))].slice(0, 10) : undefined;
  return { rows, ...(since ? { since } : {}), ...(knownBy ? { knownBy } : {}) };
}
