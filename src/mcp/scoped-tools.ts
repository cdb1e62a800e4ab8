// OAuth mode (issue 18 item 4): the tools each person may use. A token with the write scope gets the
// server's whole selection; one with only the read scope gets its read-only tools, and a call to any of the
// others is answered with why, as --read-only answers. The HTTP layer runs each request as its actor
// (runAs), so the factory reads currentActor() when it builds the instance of a request (2026-07-28) or of a
// session (2025-11-25, which is bound to its owner and scopes: http-sessions.ts).
import type { McpServer } from '@modelcontextprotocol/server';
import { currentActor, type Actor } from '../app/actor.js';
import { createServerFactory, type ServerFactoryOptions } from './server.js';

/** Whether the actor may use tools that change the account: an OAuth token needs the write scope. */
export function mayWrite(actor: Actor, writeScope: string): boolean {
  return actor.via !== 'oauth' || actor.scopes.includes(writeScope);
}

/** Said to a model that calls a tool its person's token does not allow. */
export function scopeWithheldReason(tool: string, writeScope: string): string {
  return (
    `${tool} changes the account, and the access token of the person you act for does not grant the ${writeScope} scope, ` +
    'so this server does not offer it to them; nothing was changed. Tell the person what you would change; to make changes ' +
    `they need ${writeScope} from whoever runs their sign-in (the authorization server), then to sign in again.`
  );
}

/** A server factory whose instances serve the tools the current actor may use (see the file comment). */
export function scopedServerFactory(o: ServerFactoryOptions, writeScope: string): () => McpServer {
  const full = createServerFactory(o);
  const served = new Set(o.tools.map((t) => t.name));
  const readOnly = createServerFactory({
    ...o,
    tools: o.tools.filter((t) => t.annotations.readOnlyHint),
    known: o.known ?? [...served],
    withheldReason: (name) => (served.has(name) || !o.withheldReason ? scopeWithheldReason(name, writeScope) : o.withheldReason(name)),
  });
  return () => (mayWrite(currentActor(), writeScope) ? full() : readOnly());
}
