// The bearer token of the HTTP endpoint (CELIGO_MANAGE_HTTP_TOKEN): strong enough at start-up, compared in
// constant time, and failed attempts slowed per client address. Each failure locks the address out for a
// delay that doubles (1 s, 2 s, 4 s … up to 5 minutes); while locked, its requests get 429 with
// Retry-After and their token is not even compared, so guessing in parallel gains nothing. The right
// token ends the lock-out. The table of addresses is bounded (oldest forgotten first) and an address is
// forgotten 15 minutes after its last failure. Behind a reverse proxy every client shares the proxy's
// address: bind the proxy's side to loopback, or accept that failures there slow everyone.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Actor } from '../app/actor.js';
import { rpcError } from './http-respond.js';

export const MIN_BEARER_LENGTH = 32;

/**
 * Who a request with the static bearer token acts for: whoever holds the shared token, with every scope
 * (the default scope names of OAuth mode, oauth-config.ts). Per-person names need OAuth mode.
 */
export const BEARER_ACTOR: Actor = Object.freeze({ subject: 'bearer', via: 'bearer', scopes: Object.freeze(['celigo:read', 'celigo:write']) as string[] });

/** Refuses a token a guesser could find: it must be at least MIN_BEARER_LENGTH characters. */
export function checkBearerToken(token: string | undefined): void {
  if (token === undefined || token.length >= MIN_BEARER_LENGTH) return;
  throw new Error(
    `CELIGO_MANAGE_HTTP_TOKEN is ${token.length} characters; it must be at least ${MIN_BEARER_LENGTH} characters of random text. ` +
      'Make one with `openssl rand -hex 32` (or `node -p "require(\'crypto\').randomBytes(32).toString(\'hex\')"`).',
  );
}

export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!m) return false;
  const a = createHash('sha256').update(m[1]!.trim()).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

export interface AuthThrottleOptions {
  /** Lock-out after the first failure, ms (default 1 000); it doubles with each further failure. */
  baseMs?: number;
  /** Longest lock-out, ms (default 300 000). */
  maxMs?: number;
  /** An address is forgotten this long after its last failure, ms (default 900 000). */
  forgetMs?: number;
  /** Addresses remembered at most (default 10 000); the one whose last failure is oldest goes first. */
  maxAddresses?: number;
  now?: () => number;
}

interface Failures {
  count: number;
  last: number;
  lockedUntil: number;
}

export class AuthThrottle {
  private readonly failures = new Map<string, Failures>();
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly forgetMs: number;
  private readonly maxAddresses: number;
  private readonly now: () => number;

  constructor(o: AuthThrottleOptions = {}) {
    this.baseMs = o.baseMs ?? 1000;
    this.maxMs = o.maxMs ?? 300_000;
    this.forgetMs = o.forgetMs ?? 900_000;
    this.maxAddresses = Math.max(1, o.maxAddresses ?? 10_000);
    this.now = o.now ?? Date.now;
  }

  get size(): number {
    return this.failures.size;
  }

  /** How long the address stays locked out, ms (0: its token may be checked). */
  lockedFor(address: string): number {
    const f = this.failures.get(address);
    return f ? Math.max(0, f.lockedUntil - this.now()) : 0;
  }

  failed(address: string): void {
    const now = this.now();
    const before = this.failures.get(address);
    const count = before && now - before.last <= this.forgetMs ? before.count + 1 : 1;
    const delay = Math.min(this.maxMs, this.baseMs * 2 ** Math.min(30, count - 1));
    // Re-inserted, so the Map's order is the order of last failures: the stalest entries come first.
    this.failures.delete(address);
    this.failures.set(address, { count, last: now, lockedUntil: now + delay });
    this.prune(now);
  }

  succeeded(address: string): void {
    this.failures.delete(address);
  }

  private prune(now: number): void {
    for (const [address, f] of this.failures) {
      if (this.failures.size <= this.maxAddresses && now - f.last <= this.forgetMs) break;
      this.failures.delete(address);
    }
  }
}

/**
 * The bearer check in front of /mcp: false when it has answered the request (401, or 429 while the
 * client's address is locked out).
 */
export function bearerGuard(token: string, throttle: AuthThrottle): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const address = req.socket.remoteAddress ?? 'unknown';
    const locked = throttle.lockedFor(address);
    if (locked > 0) {
      const seconds = Math.ceil(locked / 1000);
      rpcError(res, 429, -32000, `Too many failed bearer attempts from this address; try again in ${seconds} s.`, { 'retry-after': String(seconds) });
      return false;
    }
    if (bearerMatches(req.headers.authorization, token)) {
      throttle.succeeded(address);
      return true;
    }
    throttle.failed(address);
    rpcError(res, 401, -32000, 'Unauthorized: send "Authorization: Bearer <CELIGO_MANAGE_HTTP_TOKEN>".', {
      'www-authenticate': 'Bearer realm="celigo-manage"',
    });
    return false;
  };
}
