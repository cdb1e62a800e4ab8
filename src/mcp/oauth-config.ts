// OAuth resource server mode of `mcp --http` (issue 18 item 4): its configuration, read from the environment
// and checked before anything starts. Loaded only when a CELIGO_MANAGE_OAUTH_* variable is set (main.ts).
//
// CELIGO_MANAGE_OAUTH_ISSUER      the authorization server, exactly as its tokens' `iss` says (https).
// CELIGO_MANAGE_OAUTH_AUDIENCE    this server's resource identifier: the `aud` its access tokens carry.
// CELIGO_MANAGE_OAUTH_JWKS_URL    the issuer's key set; default: `jwks_uri` of the issuer's metadata.
// CELIGO_MANAGE_PUBLIC_URL        the /mcp URL clients use, when it is not the audience (the metadata's `resource`).
// CELIGO_MANAGE_OAUTH_READ_SCOPE  the scope that grants the read tools (default celigo:read).
// CELIGO_MANAGE_OAUTH_WRITE_SCOPE the scope that grants every tool, the read ones included (default celigo:write).
import { isLoopbackHost } from './hosts.js';

export const DEFAULT_READ_SCOPE = 'celigo:read';
export const DEFAULT_WRITE_SCOPE = 'celigo:write';

export interface OAuthConfig {
  issuer: string;
  audience: string;
  /** The issuer's JSON Web Key Set; absent: discovered from the issuer's metadata. */
  jwksUrl?: string;
  /** The protected resource (RFC 9728 `resource`): the URL clients reach /mcp at. */
  resource: string;
  readScope: string;
  writeScope: string;
}

/** Whether the environment asks for OAuth mode (or half-configures it: then oauthConfigFromEnv says what is missing). */
export function oauthRequested(env: NodeJS.ProcessEnv): boolean {
  return Object.entries(env).some(([k, v]) => k.startsWith('CELIGO_MANAGE_OAUTH_') && !!v);
}

/**
 * An https URL (http only for a loopback host, as tests and a local authorization server use), without
 * query or fragment. Throws an error that names the variable and what to set.
 */
export function checkedUrl(name: string, value: string): URL {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new Error(`${name} is not a URL: ${JSON.stringify(value)}. Set it to an absolute https URL.`);
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isLoopbackHost(u.hostname))) {
    throw new Error(`${name} must be an https URL (http is accepted only for a loopback host): got ${value}.`);
  }
  if (u.search || u.hash) throw new Error(`${name} must not have a query or fragment: got ${value}.`);
  if (u.username || u.password) throw new Error(`${name} must not carry credentials.`);
  return u;
}

function scopeVar(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const v = (env[name] ?? '').trim() || fallback;
  if (/\s|"|\\/.test(v)) throw new Error(`${name} must be one scope name, without spaces, quotes or backslashes: got ${JSON.stringify(v)}.`);
  return v;
}

/**
 * The OAuth configuration, or undefined when no CELIGO_MANAGE_OAUTH_* variable is set. A partial or
 * invalid one is an error that says what to set.
 */
export function oauthConfigFromEnv(env: NodeJS.ProcessEnv): OAuthConfig | undefined {
  if (!oauthRequested(env)) return undefined;
  const issuer = (env.CELIGO_MANAGE_OAUTH_ISSUER ?? '').trim();
  if (!issuer) {
    throw new Error(
      'A CELIGO_MANAGE_OAUTH_* variable is set but CELIGO_MANAGE_OAUTH_ISSUER is not: set it to your authorization server ' +
        '(its issuer URL, e.g. https://login.example.com/realms/team) to turn on per-user sign-in, or unset the others.',
    );
  }
  checkedUrl('CELIGO_MANAGE_OAUTH_ISSUER', issuer);
  const audience = (env.CELIGO_MANAGE_OAUTH_AUDIENCE ?? '').trim();
  if (!audience) {
    throw new Error(
      "CELIGO_MANAGE_OAUTH_ISSUER is set but CELIGO_MANAGE_OAUTH_AUDIENCE is not: set it to this server's resource identifier, " +
        'the audience (aud) your authorization server writes into access tokens for it, usually the URL clients use (e.g. https://mcp.example.com/mcp).',
    );
  }
  const publicUrl = (env.CELIGO_MANAGE_PUBLIC_URL ?? '').trim();
  // Kept as written, not normalised: clients and the authorization server compare it as a string.
  const resource = publicUrl || audience;
  if (publicUrl) checkedUrl('CELIGO_MANAGE_PUBLIC_URL', publicUrl);
  else if (/^https?:\/\//i.test(audience)) checkedUrl('CELIGO_MANAGE_OAUTH_AUDIENCE', audience);
  else {
    throw new Error(
      `CELIGO_MANAGE_OAUTH_AUDIENCE (${audience}) is not a URL, so clients could not be told where this server is: ` +
        'set CELIGO_MANAGE_PUBLIC_URL to the URL clients use to reach /mcp (e.g. https://mcp.example.com/mcp).',
    );
  }
  const jwks = (env.CELIGO_MANAGE_OAUTH_JWKS_URL ?? '').trim();
  if (jwks) checkedUrl('CELIGO_MANAGE_OAUTH_JWKS_URL', jwks);
  const readScope = scopeVar(env, 'CELIGO_MANAGE_OAUTH_READ_SCOPE', DEFAULT_READ_SCOPE);
  const writeScope = scopeVar(env, 'CELIGO_MANAGE_OAUTH_WRITE_SCOPE', DEFAULT_WRITE_SCOPE);
  if (readScope === writeScope) {
    throw new Error(`CELIGO_MANAGE_OAUTH_READ_SCOPE and CELIGO_MANAGE_OAUTH_WRITE_SCOPE are both ${readScope}: give them different names.`);
  }
  return {
    issuer,
    audience,
    ...(jwks ? { jwksUrl: jwks } : {}),
    resource,
    readScope,
    writeScope,
  };
}
