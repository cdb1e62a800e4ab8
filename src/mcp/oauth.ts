// OAuth resource server mode of the HTTP endpoint (issue 18 item 4), after the MCP authorization spec:
// RFC 9728 protected resource metadata at /.well-known/oauth-protected-resource[/<path of the resource>],
// a 401 with `WWW-Authenticate: Bearer resource_metadata=...` that tells a client where to sign in, and
// JWT access tokens checked here (jose): signature against the issuer's key set, `iss`, `aud`, `exp`/`nbf`
// (30 s of clock tolerance), asymmetric algorithms only. Who the token names becomes the request's Actor.
// The token itself goes nowhere: not to integrator.io (the server's own API token does that), not to a
// log, not to a tool. Failed tokens slow the client's address down as a wrong static bearer token does.
// Imported only when CELIGO_MANAGE_OAUTH_ISSUER is set (main.ts), so jose costs a single-user start nothing.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Actor } from '../app/actor.js';
import { stripControls } from '../core/control-chars.js';
import type { AuthThrottle } from './http-auth.js';
import { rpcError, sendJson } from './http-respond.js';
import { checkedUrl, type OAuthConfig } from './oauth-config.js';

/** Asymmetric signatures only: never `none`, never HS* (a public key must not double as an HMAC secret). */
export const ALLOWED_ALGORITHMS = ['RS256', 'ES256', 'PS256', 'EdDSA'];
export const CLOCK_TOLERANCE_SEC = 30;
export const WELL_KNOWN_RESOURCE = '/.well-known/oauth-protected-resource';
/** After the issuer's metadata or keys could not be read, requests wait this long before it is tried again. */
const ISSUER_RETRY_MS = 10_000;
const FETCH_TIMEOUT_MS = 5000;

export interface OAuthGuardOptions {
  /** `resource_name` of the metadata. */
  resourceName?: string;
  log?: (line: string) => void;
  /** Clock of the retry pause after an unreachable issuer (tests). */
  now?: () => number;
}

export interface OAuthGuard {
  readonly config: OAuthConfig;
  /** Where the protected resource metadata is (the 401's resource_metadata). */
  readonly metadataUrl: string;
  /** Answers a request for the metadata document (true), or leaves the request alone (false). */
  serveMetadata(req: IncomingMessage, res: ServerResponse, path: string): boolean;
  /** The actor of a /mcp request, or undefined when it has been answered (401, 403, 429 or 503). */
  authenticate(req: IncomingMessage, res: ServerResponse, throttle: AuthThrottle): Promise<Actor | undefined>;
  /** Reads the issuer's metadata and keys now, so that a misconfiguration shows in the log at start-up. */
  warm(): Promise<void>;
}

/** The metadata's URL for a resource: the well-known prefix inserted before the resource's path (RFC 9728 §3). */
export function metadataUrlOf(resource: string): string {
  const u = new URL(resource);
  const path = u.pathname === '/' ? '' : u.pathname.replace(/\/$/, '');
  return `${u.origin}${WELL_KNOWN_RESOURCE}${path}`;
}

/** Where an issuer's metadata may be (RFC 8414 §3, then OpenID Connect Discovery), in the order tried. */
export function discoveryUrls(issuer: string): string[] {
  const u = new URL(issuer);
  const path = u.pathname.replace(/\/$/, '');
  if (!path) return [`${u.origin}/.well-known/oauth-authorization-server`, `${u.origin}/.well-known/openid-configuration`];
  return [
    `${u.origin}/.well-known/oauth-authorization-server${path}`,
    `${u.origin}/.well-known/openid-configuration${path}`,
    `${u.origin}${path}/.well-known/openid-configuration`,
  ];
}

async function readMetadata(url: string): Promise<{ doc?: Record<string, unknown>; failed?: string }> {
  try {
    const res = await fetch(url, { headers: { accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      return { failed: `HTTP ${res.status}` };
    }
    const doc: unknown = await res.json();
    return doc && typeof doc === 'object' ? { doc: doc as Record<string, unknown> } : { failed: 'not a JSON object' };
  } catch (err) {
    return { failed: (err as Error).message };
  }
}

/** The issuer's `jwks_uri`, from its metadata; the metadata must name the same issuer (RFC 8414 §3.3). */
export async function discoverJwksUri(issuer: string): Promise<string> {
  const tried: string[] = [];
  for (const url of discoveryUrls(issuer)) {
    const { doc, failed } = await readMetadata(url);
    if (!doc) {
      tried.push(`${url}: ${failed}`);
      continue;
    }
    if (doc.issuer !== issuer) {
      throw new Error(
        `${url} names the issuer ${JSON.stringify(doc.issuer)}, not ${JSON.stringify(issuer)}: set CELIGO_MANAGE_OAUTH_ISSUER to exactly ` +
          'the issuer your access tokens carry in "iss" (a trailing slash counts).',
      );
    }
    if (typeof doc.jwks_uri !== 'string') throw new Error(`${url} has no jwks_uri: set CELIGO_MANAGE_OAUTH_JWKS_URL to the issuer's key set URL.`);
    checkedUrl(`The jwks_uri of ${url}`, doc.jwks_uri);
    return doc.jwks_uri;
  }
  throw new Error(
    `Could not read the metadata of the issuer ${issuer} (${tried.join('; ')}): check CELIGO_MANAGE_OAUTH_ISSUER, ` +
      "or set CELIGO_MANAGE_OAUTH_JWKS_URL to the issuer's key set URL.",
  );
}

/** Scopes granted by a token: `scope` (RFC 9068, space-separated) and `scp` (a list or a string, as some issuers write it). */
export function scopesOf(p: JWTPayload): string[] {
  const out = new Set<string>();
  for (const v of [p.scope, p.scp]) {
    const list: unknown[] = typeof v === 'string' ? v.split(/\s+/) : Array.isArray(v) ? v : [];
    for (const s of list) if (typeof s === 'string' && s) out.add(s);
  }
  return [...out];
}

const shown = (v: string) => stripControls(v).slice(0, 256);

/** The person a verified token names. */
export function actorOf(p: JWTPayload): Actor {
  const name = [p.name, p.preferred_username, p.email].find((v): v is string => typeof v === 'string' && v.trim() !== '');
  return { subject: shown(p.sub ?? ''), ...(p.iss ? { issuer: p.iss } : {}), ...(name ? { name: shown(name) } : {}), scopes: scopesOf(p), via: 'oauth' };
}

/**
 * Why a token was refused, as an `error_description` (RFC 6750: no quote or backslash), or undefined when
 * the failure was not the token's (the issuer's keys could not be read).
 */
export function refusalOf(err: unknown): string | undefined {
  const e = err as { code?: string; claim?: string; reason?: string };
  switch (e.code) {
    case 'ERR_JWT_EXPIRED':
      return 'The access token has expired; sign in again.';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      const claim = String(e.claim ?? '').replace(/[^a-z_]/gi, '');
      if (claim === 'aud') return 'The access token was issued for another resource (aud).';
      if (claim === 'iss') return 'The access token was issued by another authorization server (iss).';
      if (claim === 'nbf') return 'The access token is not valid yet (nbf).';
      if (e.reason === 'missing') return `The access token has no ${claim} claim.`;
      return `The ${claim} claim of the access token is not valid.`;
    }
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return `The access token is signed with an algorithm this server does not accept (it accepts ${ALLOWED_ALGORITHMS.join(', ')}).`;
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return "The access token's signature does not verify against the issuer's keys.";
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return 'The access token is not a signed JWT this server can read.';
    default:
      return undefined;
  }
}

/** The issuer's key set, read once and again after ISSUER_RETRY_MS when reading it failed. */
function issuerKeys(config: OAuthConfig, now: () => number): { key: JWTVerifyGetKey; ready: () => Promise<JWTVerifyGetKey> } {
  let keys: Promise<JWTVerifyGetKey> | undefined;
  let failedAt = -Infinity;
  let lastError: unknown;
  const ready = (): Promise<JWTVerifyGetKey> => {
    if (keys) return keys;
    if (now() - failedAt < ISSUER_RETRY_MS) return Promise.reject(lastError);
    const made = (async () => {
      const set = createRemoteJWKSet(new URL(config.jwksUrl ?? (await discoverJwksUri(config.issuer))));
      // Read now: an unreachable or broken key set is the issuer's problem (503), not the token's (401).
      await set.reload();
      return set;
    })();
    keys = made;
    made.catch((err: unknown) => {
      if (keys === made) keys = undefined;
      failedAt = now();
      lastError = err;
    });
    return made;
  };
  return { ready, key: async (header, token) => (await ready())(header, token) };
}

/** jose checks the signature before the claims: a claim's failure means the issuer signed the token. */
function signedByIssuer(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return code === 'ERR_JWT_EXPIRED' || code === 'ERR_JWT_CLAIM_VALIDATION_FAILED';
}

function bearerOf(header: string | undefined): string | undefined {
  const m = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return m?.[1];
}

export function createOAuthGuard(config: OAuthConfig, o: OAuthGuardOptions = {}): OAuthGuard {
  const log = o.log ?? (() => {});
  const metadataUrl = metadataUrlOf(config.resource);
  const resourcePath = new URL(config.resource).pathname.replace(/\/$/, '');
  const paths = new Set([WELL_KNOWN_RESOURCE, `${WELL_KNOWN_RESOURCE}/mcp`, `${WELL_KNOWN_RESOURCE}${resourcePath}`]);
  const scopes = `${config.readScope} ${config.writeScope}`;
  const document = {
    resource: config.resource,
    authorization_servers: [config.issuer],
    scopes_supported: [config.readScope, config.writeScope],
    bearer_methods_supported: ['header'],
    resource_name: o.resourceName ?? 'celigo-manage',
  };
  const keys = issuerKeys(config, o.now ?? Date.now);

  const challenge = (error?: { code: 'invalid_token' | 'insufficient_scope'; description: string }) => {
    const parts = error ? [`error="${error.code}"`, `error_description="${error.description}"`] : [];
    parts.push(`resource_metadata="${metadataUrl}"`, `scope="${scopes}"`);
    return { 'www-authenticate': `Bearer ${parts.join(', ')}` };
  };

  async function verify(token: string, res: ServerResponse, address: string, throttle: AuthThrottle): Promise<Actor | undefined> {
    try {
      const { payload } = await jwtVerify(token, keys.key, {
        issuer: config.issuer,
        audience: config.audience,
        algorithms: ALLOWED_ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_SEC,
        requiredClaims: ['exp', 'sub'],
      });
      throttle.succeeded(address);
      return actorOf(payload);
    } catch (err) {
      const why = refusalOf(err);
      if (why === undefined) {
        log(`oauth: access tokens cannot be checked: ${(err as Error).message}`);
        rpcError(res, 503, -32000, "The authorization server's keys could not be read; try again shortly.", { 'retry-after': String(ISSUER_RETRY_MS / 1000) });
        return undefined;
      }
      // A token the issuer signed that has merely expired (or is for another audience) is no guess: clients
      // meet it every hour and sign in again. Behind a proxy every person shares its address, so counting it
      // would lock everyone out for one person's stale token. Forged or malformed tokens count.
      if (!signedByIssuer(err)) throttle.failed(address);
      rpcError(res, 401, -32000, `Unauthorized: ${why}`, challenge({ code: 'invalid_token', description: why }));
      return undefined;
    }
  }

  return {
    config,
    metadataUrl,
    serveMetadata(req, res, path) {
      if (path !== WELL_KNOWN_RESOURCE && !path.startsWith(`${WELL_KNOWN_RESOURCE}/`)) return false;
      // Public and harmless: any web page may read it (browser-based MCP clients discover from it).
      const cors = { 'access-control-allow-origin': '*' };
      if (!paths.has(path)) sendJson(res, 404, { error: `Not found; the protected resource metadata is at ${metadataUrl}.` }, cors);
      else if (req.method === 'OPTIONS') res.writeHead(204, { ...cors, 'access-control-allow-methods': 'GET', 'access-control-allow-headers': '*' }).end();
      else if (req.method !== 'GET' && req.method !== 'HEAD') sendJson(res, 405, { error: 'Use GET' }, { ...cors, allow: 'GET' });
      else sendJson(res, 200, document, { ...cors, 'cache-control': 'public, max-age=300' });
      return true;
    },
    async authenticate(req, res, throttle) {
      const header = req.headers.authorization;
      if (!header) {
        // Nothing was guessed: the client has yet to sign in, and the challenge tells it where.
        rpcError(res, 401, -32000, 'Unauthorized: sign in first; the WWW-Authenticate header names the protected resource metadata.', challenge());
        return undefined;
      }
      const address = req.socket.remoteAddress ?? 'unknown';
      const locked = throttle.lockedFor(address);
      if (locked > 0) {
        const seconds = Math.ceil(locked / 1000);
        rpcError(res, 429, -32000, `Too many failed sign-in attempts from this address; try again in ${seconds} s.`, { 'retry-after': String(seconds) });
        return undefined;
      }
      const token = bearerOf(header);
      if (!token) {
        throttle.failed(address);
        const why = "The Authorization header is not 'Bearer <access token>'.";
        rpcError(res, 401, -32000, `Unauthorized: ${why}`, challenge({ code: 'invalid_token', description: why }));
        return undefined;
      }
      const actor = await verify(token, res, address, throttle);
      if (actor && !actor.scopes.includes(config.readScope) && !actor.scopes.includes(config.writeScope)) {
        const why = `The access token grants neither ${config.readScope} nor ${config.writeScope}.`;
        rpcError(res, 403, -32000, `Forbidden: ${why}`, challenge({ code: 'insufficient_scope', description: why }));
        return undefined;
      }
      return actor;
    },
    async warm() {
      try {
        await keys.ready();
      } catch (err) {
        log(`oauth: ${(err as Error).message}`);
      }
    },
  };
}
