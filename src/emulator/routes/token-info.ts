// GET /tokenInfo (celigo-api.md §1.2).
import type { RouteDef } from '../router.js';

export const tokenInfoRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: '/tokenInfo',
    access: 'any',
    note: '{_userId, scope}: "*" full access, "custom" for the scoped demo token',
    handler: (ctx) => ({ status: 200, body: { _userId: ctx.caller.userId, scope: ctx.caller.scope } }),
  },
];
