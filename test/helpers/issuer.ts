// A tiny OAuth authorization server for the tests of OAuth mode (issue 18 item 4): on loopback, it serves
// its metadata (RFC 8414 and/or OpenID Connect Discovery) and a JSON Web Key Set with an RSA and an EC key,
// and mints access tokens with `mint`. It also keeps a key that is NOT in its key set (a forger's), and
// can write the unsigned (`alg: none`) and HMAC tokens a server must refuse.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, base64url, exportJWK, generateKeyPair, type CryptoKey } from 'jose';

export interface MintOptions {
  /** Default alice; null: no sub claim. */
  sub?: string | null;
  /** Space-separated scopes (`scope` claim); omitted when undefined. */
  scope?: string;
  /** `scp` claim instead (a list, as some issuers write it). */
  scp?: string[];
  aud?: string | string[];
  /** Default: this issuer. */
  iss?: string;
  /** Seconds from now until it expires (negative: already expired). Default 300; null: no exp claim. */
  expiresIn?: number | null;
  /** Seconds from now before which it is not valid. */
  notBefore?: number;
  name?: string;
  /**
   * Which key signs: one of the key set's (rsa: RS256, ec: ES256, pss: PS256, ed: EdDSA), or the forger's
   * (RS256, not in the key set, with the same kid as rsa).
   */
  key?: 'rsa' | 'ec' | 'pss' | 'ed' | 'forger';
  /** Override the header's kid. */
  kid?: string;
}

export interface TestIssuer {
  /** The issuer identifier (http://127.0.0.1:PORT[/path]). */
  issuer: string;
  jwksUrl: string;
  /** Paths requested so far. */
  requests: string[];
  /** Default audience of minted tokens. */
  audience: string;
  mint(o?: MintOptions): Promise<string>;
  /** An unsecured JWT (`alg: none`) with the same claims a good token would have. */
  unsigned(o?: MintOptions): string;
  /** An HS256 token (a symmetric algorithm the server must refuse). */
  hmac(o?: MintOptions): Promise<string>;
  close(): Promise<void>;
}

export interface IssuerOptions {
  audience: string;
  /** A path the issuer identifier ends with, e.g. /realms/team. */
  path?: string;
  /** Which metadata documents are served (default both). */
  discovery?: 'oauth' | 'oidc' | 'both' | 'none';
  /** The `issuer` the metadata names (default: the real one): to test a mismatch. */
  metadataIssuer?: string;
}

function claimsOf(o: MintOptions, issuer: string, audience: string): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  const c: Record<string, unknown> = { iss: o.iss ?? issuer, aud: o.aud ?? audience, iat: now };
  if (o.sub !== null) c.sub = o.sub ?? 'alice';
  const exp = o.expiresIn === undefined ? 300 : o.expiresIn;
  if (exp !== null) c.exp = now + exp;
  if (o.notBefore !== undefined) c.nbf = now + o.notBefore;
  if (o.scope !== undefined) c.scope = o.scope;
  if (o.scp) c.scp = o.scp;
  if (o.name) c.name = o.name;
  return c;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

export async function startIssuer(o: IssuerOptions): Promise<TestIssuer> {
  const keys = {
    rsa: { alg: 'RS256', kid: 'rsa-1', pair: await generateKeyPair('RS256', { extractable: true }) },
    ec: { alg: 'ES256', kid: 'ec-1', pair: await generateKeyPair('ES256', { extractable: true }) },
    pss: { alg: 'PS256', kid: 'pss-1', pair: await generateKeyPair('PS256', { extractable: true }) },
    ed: { alg: 'EdDSA', kid: 'ed-1', pair: await generateKeyPair('EdDSA', { extractable: true }) },
    forger: { alg: 'RS256', kid: 'rsa-1', pair: await generateKeyPair('RS256', { extractable: true }) },
  };
  const published = [keys.rsa, keys.ec, keys.pss, keys.ed];
  const jwks = { keys: await Promise.all(published.map(async (k) => ({ ...(await exportJWK(k.pair.publicKey)), kid: k.kid, alg: k.alg, use: 'sig' }))) };
  const requests: string[] = [];
  const discovery = o.discovery ?? 'both';
  const path = o.path ?? '';
  let issuer = '';
  let origin = '';
  const server = createServer((req, res) => {
    const p = (req.url ?? '/').split('?')[0]!;
    requests.push(p);
    const meta = { issuer: o.metadataIssuer ?? issuer, jwks_uri: `${origin}/jwks.json`, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, response_types_supported: ['code'] };
    const oauthPath = `/.well-known/oauth-authorization-server${path}`;
    const oidcPaths = [`/.well-known/openid-configuration${path}`, `${path}/.well-known/openid-configuration`];
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (p === '/jwks.json') return json(200, jwks);
    if (p === oauthPath && (discovery === 'oauth' || discovery === 'both')) return json(200, meta);
    if (oidcPaths.includes(p) && (discovery === 'oidc' || discovery === 'both')) return json(200, meta);
    json(404, { error: 'not found' });
  });
  const port = await listen(server);
  origin = `http://127.0.0.1:${port}`;
  issuer = `${origin}${path}`;

  const keyFor = (k: MintOptions['key']): { key: CryptoKey; alg: string; kid: string } => {
    const { alg, kid, pair } = keys[k ?? 'rsa'];
    return { key: pair.privateKey, alg, kid };
  };

  return {
    issuer,
    jwksUrl: `${origin}/jwks.json`,
    requests,
    audience: o.audience,
    async mint(m = {}) {
      const { key, alg, kid } = keyFor(m.key);
      return new SignJWT(claimsOf(m, issuer, o.audience)).setProtectedHeader({ alg, kid: m.kid ?? kid, typ: 'at+jwt' }).sign(key);
    },
    unsigned(m = {}) {
      const enc = (v: unknown) => base64url.encode(JSON.stringify(v));
      return `${enc({ alg: 'none', typ: 'JWT' })}.${enc(claimsOf(m, issuer, o.audience))}.`;
    },
    async hmac(m = {}) {
      return new SignJWT(claimsOf(m, issuer, o.audience)).setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' }).sign(new TextEncoder().encode('a shared secret of at least 32 bytes!!'));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
