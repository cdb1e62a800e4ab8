// Who a tool call acts for (issue 18): the person behind the agent, as the HTTP server authenticated them
// (an OAuth access token's subject), or the local user for stdio and the CLI. The HTTP layer runs each
// request inside `runAs`; the server factory and the operations read it with `currentActor`. Written into
// every backup and every row of the change log.
import { AsyncLocalStorage } from 'node:async_hooks';
import { userInfo } from 'node:os';

export interface Actor {
  /** Stable id: the token's `sub`, or `local:<user>` for a local session. */
  subject: string;
  /** The token's issuer (absent for a local session). */
  issuer?: string;
  /** A display name when the token carries one (name, preferred_username, email). */
  name?: string;
  /** Scopes granted (OAuth `scope`/`scp`); a local session has every scope. */
  scopes: string[];
  via: 'oauth' | 'bearer' | 'local';
}

const store = new AsyncLocalStorage<Actor>();

/** Runs `fn` on behalf of `actor`: everything it calls (and awaits) sees that actor. */
export function runAs<T>(actor: Actor, fn: () => T): T {
  return store.run(actor, fn);
}

let local: Actor | undefined;
/** The local user: stdio, the CLI, and an HTTP server without per-user identity. */
export function localActor(): Actor {
  if (!local) {
    let user = 'unknown';
    try {
      user = userInfo().username || user;
    } catch {
      // no passwd entry (some containers): keep "unknown"
    }
    local = { subject: `local:${user}`, scopes: [], via: 'local' };
  }
  return local;
}

/** The actor of the current call; the local user when nothing set one. */
export function currentActor(): Actor {
  return store.getStore() ?? localActor();
}
