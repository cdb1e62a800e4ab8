// Reads of connections: the list, one connection (secrets never shown), and a ping of one.
import type { OpContext } from '../context.js';
import type { Connection } from '../../core/schemas.js';
import type { Outcome } from '../outcome.js';
import { resolveConnection } from '../resolve.js';
import { compact } from '../project.js';
import { containsText, filterText } from './filter.js';
import { stripSecrets } from '../backups/content.js';
import { connectionInApp } from '../web-app.js';

export interface ConnectionRow {
  id: string;
  name: string;
  type: string;
  status: 'online' | 'offline';
  offline: boolean;
  [k: string]: unknown;
}
export const CONNECTION_FIELDS = ['id', 'name', 'type', 'status', 'offline'] as const;

export async function listConnections(ctx: OpContext, q: { type?: string; name?: string } = {}): Promise<ConnectionRow[]> {
  const name = containsText(q.name, 'name', 'connection', 'netsuite');
  const type = filterText(q.type, 'type', 'a connection type, e.g. "http" or "netsuite"', 'every type');
  let rows: Connection[] = await ctx.api.connections.list(type !== undefined ? { type } : {}, { signal: ctx.signal });
  if (name !== undefined) rows = rows.filter((c) => c.name.toLowerCase().includes(name));
  return rows.map((c) => ({ id: c._id, name: c.name, type: c.type, offline: !!c.offline, status: c.offline ? 'offline' : 'online' }));
}

/** One connection's settings, with every secret left out (`secretsHidden` names where they were). */
export interface ConnectionView {
  id: string;
  name: string;
  type: string;
  status: 'online' | 'offline';
  secretsHidden?: string[];
  [k: string]: unknown;
}

export async function getConnection(ctx: OpContext, idOrName: string): Promise<ConnectionView> {
  const conn = await resolveConnection(ctx.api, idOrName);
  const { data, stripped } = stripSecrets(conn);
  const { _id: _i, name: _n, type: _t, offline, ...rest } = data as Record<string, unknown>;
  return { id: conn._id, name: conn.name, type: conn.type, status: offline ? 'offline' : 'online', ...rest, ...(stripped.length ? { secretsHidden: stripped } : {}) };
}

export type ConnectionTest = {
  id: string;
  name: string;
  type: string;
  healthy: boolean;
  offline: boolean;
  latencyMs?: number;
  code?: number;
  error?: string;
  /** When it failed: what to do, and where in the web app. */
  fix?: string;
  /** failed when the connection did not pass the test. */
  outcome?: Outcome;
};

/** What to do about a connection that failed its test: credentials (401/403) or its settings and online state. */
export function connectionFix(name: string, code: number | undefined): string {
  const what = code === 401 || code === 403 ? 'update its credentials (an OAuth connection: Save & authorize)' : 'check its settings (host, endpoint) and Save, which tests it and brings it back online';
  return `Fix it ${connectionInApp(name)}: ${what}; then test it again.`;
}

export async function testConnection(ctx: OpContext, idOrName: string): Promise<ConnectionTest> {
  const c = await resolveConnection(ctx.api, idOrName);
  const r = await ctx.api.connections.ping(c._id, { signal: ctx.signal });
  return compact<ConnectionTest>({
    id: c._id,
    name: c.name,
    type: c.type,
    healthy: r.ok,
    offline: !!c.offline,
    latencyMs: r.latencyMs,
    code: r.code,
    error: r.ok ? undefined : `${r.errorCode ? r.errorCode + ': ' : ''}${r.message ?? 'failed'}`,
    fix: r.ok ? undefined : connectionFix(c.name, r.code),
    outcome: r.ok ? undefined : 'failed',
  });
}
