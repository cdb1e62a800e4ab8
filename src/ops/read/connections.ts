// Reads of connections: the list, and a ping of one.
import type { OpContext } from '../context.js';
import type { Connection } from '../../core/schemas.js';
import { resolveConnection } from '../resolve.js';
import { compact } from '../project.js';

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
  let rows: Connection[] = await ctx.api.connections.list(q.type ? { type: q.type } : {}, { signal: ctx.signal });
  if (q.name) rows = rows.filter((c) => c.name.toLowerCase().includes(q.name!.toLowerCase()));
  return rows.map((c) => ({ id: c._id, name: c.name, type: c.type, offline: !!c.offline, status: c.offline ? 'offline' : 'online' }));
}

export async function testConnection(ctx: OpContext, idOrName: string) {
  const c = await resolveConnection(ctx.api, idOrName);
  const r = await ctx.api.connections.ping(c._id, { signal: ctx.signal });
  return compact({
    id: c._id,
    name: c.name,
    type: c.type,
    healthy: r.ok,
    offline: !!c.offline,
    latencyMs: r.latencyMs,
    code: r.code,
    error: r.ok ? undefined : `${r.errorCode ? r.errorCode + ': ' : ''}${r.message ?? 'failed'}`,
  });
}
