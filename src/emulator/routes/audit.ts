// GET /audit (celigo-api.md §9.4): filters resourceType, _resourceId, _byUserId, source, action, from, to,
// limit, offset; an array, newest first. Entry shape is a best guess (§11).
import { renderAudit } from '../audit.js';
import type { RouteDef } from '../router.js';
import { RESOURCE_TYPE, type Kind } from '../store.js';
import { parseDateParam, parseIntParam } from '../validate.js';

function singular(t: string | null): string | undefined {
  if (!t) return undefined;
  return (RESOURCE_TYPE as Record<string, string>)[t] ?? (t.endsWith('s') && RESOURCE_TYPE[t as Kind] ? RESOURCE_TYPE[t as Kind] : t);
}

export const auditRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: '/audit',
    note: 'array, newest first; resourceType accepts "flow" or "flows"',
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
      const offset = q.get('offset') ? parseIntParam('offset', q.get('offset')!, 0) : 0;
      const limit = q.get('limit') ? parseIntParam('limit', q.get('limit')!, 1) : 1000;
      return { status: 200, body: all.slice(offset, offset + limit).map(renderAudit) };
    },
  },
];
