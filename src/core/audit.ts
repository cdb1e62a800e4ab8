// The audit log: GET /audit (account) and GET /{resources}/{id}/audit (one resource).
// Celigo's web app reads entries as {event, byUser:{_id,name,email}, …} and pages them with Link
// (celigo-api.md W4). Older sources say `action` and `_byUserId`, a bare array or {auditLogs:[…]}.
// The evidence is from 2023, so both forms are read and normalised to the web app's.
import type { HttpClient, RequestOptions } from './http.js';
import { UnexpectedShapeError, describeShape } from './errors.js';
import { listAll, type ListOptions } from './paging.js';

export interface AuditUser {
  _id?: string;
  name?: string;
  email?: string;
}

export interface AuditEntry {
  _id?: string;
  resourceType?: string;
  _resourceId?: string;
  source?: string;
  /** What happened: create, update, delete … (the entry's `event`; `action` in older sources). */
  event?: string;
  /** Who did it (`byUser`; only `_byUserId` in older sources). */
  byUser?: AuditUser;
  time?: string;
  fieldChanges?: { fieldPath: string; oldValue?: unknown; newValue?: unknown }[];
  [k: string]: unknown;
}

/** Query of GET /audit. The parameter is still `action=` although the entry field is `event` (W4). */
export interface AuditQuery {
  resourceType?: string;
  _resourceId?: string;
  _byUserId?: string;
  source?: string;
  action?: string;
  from?: string;
  to?: string;
}

/** One entry in the web app's form, whichever form it came in. */
export function normaliseAuditEntry(raw: Record<string, unknown>): AuditEntry {
  const e: AuditEntry = { ...raw };
  if (typeof e.event !== 'string' && typeof raw.action === 'string') e.event = raw.action;
  const by = raw.byUser;
  if (by && typeof by === 'object') e.byUser = by as AuditUser;
  else if (typeof raw._byUserId === 'string') e.byUser = { _id: raw._byUserId };
  return e;
}

/** The entries of one page: a bare array (W4, and the account log of §9.4) or {auditLogs:[…]} (§3.4). */
export function auditPage(body: unknown, endpoint: string): AuditEntry[] {
  if (body === undefined || body === null || body === '') return [];
  const rows = Array.isArray(body) ? body : body && typeof body === 'object' && Array.isArray((body as { auditLogs?: unknown }).auditLogs) ? (body as { auditLogs: unknown[] }).auditLogs : undefined;
  if (!rows) throw new UnexpectedShapeError(endpoint, 'an array of audit entries or {auditLogs:[…]}', describeShape(body));
  return rows.filter((r): r is Record<string, unknown> => !!r && typeof r === 'object').map(normaliseAuditEntry);
}

/** Every page of an audit log, following Link rel="next" (W4). */
export function listAudit(http: HttpClient, path: string, query: RequestOptions['query'] = {}, opts: ListOptions = {}): Promise<AuditEntry[]> {
  return listAll<AuditEntry>(http, path, query, { ...opts, rows: (body) => auditPage(body, `GET ${path}`) });
}

/** "Ana Ruiz <ana@example.com>", the email, the name, or the user id: who made a change, for people. */
export function auditUserLabel(u: AuditUser | undefined): string | undefined {
  if (!u) return undefined;
  if (u.name && u.email) return `${u.name} <${u.email}>`;
  return u.name ?? u.email ?? u._id;
}
