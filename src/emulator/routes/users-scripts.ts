// Read-only lists peers and Celigo's web app call (celigo-api.md §9.1, §9.3, corrections section):
// GET /ashares (the account's users, owner excluded, Link-paged) and GET /scripts (no `content` in lists).
import { iso } from '../clock.js';
import { listReply } from '../lists.js';
import { notFound, ok } from '../respond.js';
import type { RouteDef } from '../router.js';
import { DEMO_USER_ID, USERS } from '../tokens.js';

/** A share id derived from the user id, so it is stable across resets. */
const shareId = (userId: string): string => `${userId.slice(0, 20)}5a4e`;

export const userAndScriptRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: '/ashares',
    note: 'users of the account (not the owner), Link-paged; read-only in the emulator',
    handler: (ctx) => {
      const since = iso(Date.parse('2025-01-15T09:00:00.000Z'));
      const rows = Object.entries(USERS)
        .filter(([id]) => id !== DEMO_USER_ID)
        .map(([id, u]) => ({
          _id: shareId(id),
          accessLevel: 'manage',
          accepted: true,
          disabled: false,
          sharedWithUser: { _id: id, name: u.name, email: u.email },
          createdAt: since,
          lastModified: since,
        }));
      return listReply(ctx, rows);
    },
  },
  {
    method: 'GET',
    path: '/scripts',
    note: 'Link-paged; lists leave out `content` (§9.3); read-only in the emulator',
    handler: (ctx) => listReply(ctx, [...ctx.store.scripts.values()].map(({ content: _content, ...rest }) => ({ ...rest, _id: rest._id as string }))),
  },
  {
    method: 'GET',
    path: '/scripts/:id',
    note: 'with `content`',
    handler: (ctx) => {
      const rec = ctx.store.scripts.get(ctx.params.id);
      if (!rec) throw notFound('Script');
      return ok(rec);
    },
  },
];
