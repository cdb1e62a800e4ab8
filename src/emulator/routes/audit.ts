// GET /audit (celigo-api.md W4, §9.4): filters resourceType, _resourceId, _byUserId, source, action, from,
// to; newest first; entries as Celigo's web app reads them ({event, byUser}), Link-paged like other lists.
import { type AuditEntry, renderAudit } from '../audit.js';
import { otherForm } from '../config.js';
import type { Reply } from '../respond.js';
import type { Ctx, RouteDef } from '../router.js';
import { RESOURCE_TYPE, type Kind } from '../store.js';
import { parseDateParam, parseIntParam } from '../validate.js';

function singular(t: string | null): string | undefined {
  if (!t) return undefined;
  return (RESOURCE_TYPE as Record<string, string>)[t] ?? (t.endsWith('s') && RESOURCE_TYPE[t as Kind] ? RESOURCE_TYPE[t as Kind] : t);
}

/**
 * One page of audit entries. Page size: `limit`, default config.auditPageSize (DEV's parameter table
 * gives `limit` a default of 100; the audit log is not one of the resource lists its prose says hold
 * 1000). `skip` (Link URLs) or `offset` (AI's name) start the page. With `audit-paging` in its other
 * form, the whole log comes in one answer without a Link header.
 */
export function auditReply(ctx: Ctx, entries: AuditEntry[]): Reply {
  const q = ctx.query;
  const legacy = otherForm(ctx.config, 'audit-entries');
  if (otherForm(ctx.config, 'audit-paging')) return { status: 200, body: entries.map((e) => renderAudit(e, legacy)) };
  const start = q.get('skip') ?? q.get('offset');
  const skip = start !== null ? parseIntParam('skip', start, 0) : 0;
  const limit = q.get('limit') !== null ? parseIntParam('limit', q.get('limit')!, 1) : ctx.config.auditPageSize;
  const page = entries.slice(skip, skip + limit);
  const link = (s: number, rel: string): string => {
    const next = new URLSearchParams(q);
    next.delete('offset');
    next.set('skip', String(s));
    next.set('limit', String(limit));
    return `<${ctx.origin}/v1${ctx.path}?${next.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (skip + limit < entries.length) links.push(link(skip + limit, 'next'));
  if (skip > 0) links.push(link(Math.max(0, skip - limit), 'prev'));
  return { status: 200, body: page.map((e) => renderAudit(e, legacy)), headers: links.length ? { Link: links.join(', ') } : undefined };
}

export const auditRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: '/audit',
    note: 'entries {event, byUser{_id,name,email}} (W4), newest first, Link-paged (limit default 100, skip/offset); resourceType accepts "flow" or "flows"',
    handler: (ctx) => {
      const q = ctx.query;
      const from = q.get('from');
      const to = q.get('to');
      const all = ctx.store.audit.query({
        resourceType: singular(q.get('resourceType')),
        resourceId: q.get('_resourceId') ?? undefined,
        byUserId: q.get('_byUserId') ?? undefined,
        source: q.get('source') ?? undefined,
        action: q.get('action') ?? undefined,
        from: from ? parseDateParam('from', from, 'invalid_query_params') : undefined,
        to: to ? parseDateParam('to', to, 'invalid_query_params') : undefined,
      });
      return auditReply(ctx, all);
    },
  },
];
