// Issue 18 item 4: OAuth resource server mode of `mcp --http` (runMcp with CELIGO_MANAGE_OAUTH_ISSUER and
// _AUDIENCE, on the demo account), against a local test issuer: the RFC 9728 metadata, the 401 challenge
// that points at it, every kind of bad token refused, the read scope serving read tools only (a call to
// a withheld tool says why), the write scope serving everything, a 2025-era session served only to the
// person who opened it, and no token in any answer or log.
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMcp, type RunningMcp } from '../../src/mcp/main.js';
import { ERAS, connectHttp, textOf } from '../helpers/mcp.js';
import { startIssuer, type TestIssuer } from '../helpers/issuer.js';

const AUD = 'https://celigo-mcp.test/mcp';
const METADATA_URL = 'https://celigo-mcp.test/.well-known/oauth-protected-resource/mcp';
const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const INIT = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
const LIST = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function raw(url: string, o: { method?: string; path?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Raw> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: o.path ?? u.pathname, method: o.method ?? 'POST', headers: o.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (o.body) req.write(o.body);
    req.end();
  });
}

const post = (url: string, token: string | undefined, body = INIT, extra: Record<string, string> = {}) =>
  raw(url, { headers: { ...JSON_HEADERS, ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra }, body });

function envFor(issuer: TestIssuer, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('CELIGO_')) env[k] = v;
  return { ...env, CELIGO_MANAGE_HOME: mkdtempSync(join(tmpdir(), 'cm-oauth-')), CELIGO_MANAGE_OAUTH_ISSUER: issuer.issuer, CELIGO_MANAGE_OAUTH_AUDIENCE: AUD, ...extra };
}

const MUTATING = ['trigger_flow_run', 'retry_errors', 'clear_errors', 'update_mapping', 'restore_backup'];

describe('OAuth mode', () => {
  let issuer: TestIssuer;
  let mcp: RunningMcp;
  const logs: string[] = [];
  const minted: string[] = [];
  const mint = async (o: Parameters<TestIssuer['mint']>[0]) => {
    const t = await issuer.mint(o);
    minted.push(t);
    return t;
  };

  beforeAll(async () => {
    issuer = await startIssuer({ audience: AUD });
    // No lock-out between the many refused tokens here (the lock-out has a test of its own below).
    mcp = await runMcp({ http: true, port: 0, demo: true, env: envFor(issuer), httpTuning: { authThrottle: { baseMs: 0, maxMs: 0 } }, log: (l) => logs.push(l) });
  });
  afterAll(async () => {
    await mcp.close();
    await issuer.close();
    // No access token, whole or in part, in any log line.
    for (const t of minted) expect(logs.join('\n')).not.toContain(t.split('.')[2]);
  });

  it('serves the RFC 9728 metadata at the path-suffixed and the bare well-known URL, to any origin', async () => {
    for (const path of ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']) {
      const r = await raw(mcp.url!, { method: 'GET', path, headers: { origin: 'https://claude.ai' } });
      expect(r.status, path).toBe(200);
      expect(r.headers['access-control-allow-origin']).toBe('*');
      expect(JSON.parse(r.body)).toEqual({
        resource: AUD,
        authorization_servers: [issuer.issuer],
        scopes_supported: ['celigo:read', 'celigo:write'],
        bearer_methods_supported: ['header'],
        resource_name: 'celigo-manage (demo)',
      });
    }
    expect((await raw(mcp.url!, { method: 'GET', path: '/.well-known/oauth-protected-resource/other' })).status).toBe(404);
    expect((await raw(mcp.url!, { method: 'POST', path: '/.well-known/oauth-protected-resource' })).status).toBe(405);
    expect(logs.join('\n')).toContain(`OAuth: tokens of ${issuer.issuer} for ${AUD}; metadata at ${METADATA_URL}`);
  });

  it('answers a request without a token 401 with a challenge naming the metadata URL and the scopes', async () => {
    const r = await post(mcp.url!, undefined);
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toBe(`Bearer resource_metadata="${METADATA_URL}", scope="celigo:read celigo:write"`);
    expect(JSON.parse(r.body)).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32000, message: expect.stringMatching(/^Unauthorized: sign in/) } });
    // The challenge's URL is this server's metadata (its path, as a proxy in front would forward it).
    const meta = await raw(mcp.url!, { method: 'GET', path: new URL(METADATA_URL).pathname });
    expect(JSON.parse(meta.body).resource).toBe(AUD);
  });

  it.each(ERAS)('a real %s client without a token is refused (401), not served', async (era) => {
    await expect(connectHttp(mcp.url!, { era })).rejects.toThrow(/401|Unauthorized/i);
  });

  const refusals: [string, () => Promise<string>, RegExp][] = [
    ['a token for another audience', () => mint({ scope: 'celigo:write', aud: 'https://other.example.com/mcp' }), /another resource/],
    ['an expired token', () => mint({ scope: 'celigo:write', expiresIn: -120 }), /expired/],
    ['a token not valid yet', () => mint({ scope: 'celigo:write', notBefore: 600 }), /not valid yet/],
    ['a token of another issuer', () => mint({ scope: 'celigo:write', iss: 'https://evil.example.com' }), /another authorization server/],
    ['a token signed by a key not in the key set (same kid)', () => mint({ scope: 'celigo:write', key: 'forger' }), /signature/],
    ['a token with an unknown kid', () => mint({ scope: 'celigo:write', kid: 'nope' }), /signature/],
    ['an unsigned token (alg none)', async () => issuer.unsigned({ scope: 'celigo:write' }), /algorithm this server does not accept/],
    ['an HS256 token', () => issuer.hmac({ scope: 'celigo:write' }), /algorithm this server does not accept/],
    ['a token without exp', () => mint({ scope: 'celigo:write', expiresIn: null }), /no exp claim/],
    ['a token without sub', () => mint({ scope: 'celigo:write', sub: null }), /no sub claim/],
    ['garbage', async () => 'not-a-jwt', /not a signed JWT/],
  ];

  it.each(refusals)('refuses %s: 401 invalid_token with a description, and never repeats the token', async (_what, make, why) => {
    const token = await make();
    for (const body of [INIT, LIST]) {
      const r = await post(mcp.url!, token, body, body === LIST ? { 'mcp-protocol-version': '2026-07-28' } : {});
      expect(r.status).toBe(401);
      const challenge = String(r.headers['www-authenticate']);
      expect(challenge).toMatch(/^Bearer error="invalid_token", error_description="[^"\\]+", resource_metadata="/);
      expect(challenge).toContain(`resource_metadata="${METADATA_URL}"`);
      expect(challenge).toMatch(why);
      expect(JSON.parse(r.body).error.message).toMatch(why);
      expect(r.body + challenge).not.toContain(token);
    }
  });

  it.each(['rsa', 'ec', 'pss', 'ed'] as const)('accepts a token signed with the issuer %s key (RS256, ES256, PS256, EdDSA)', async (key) => {
    expect((await post(mcp.url!, await mint({ scope: 'celigo:read', key }))).status).toBe(200);
  });

  it('refuses a non-Bearer Authorization header', async () => {
    const r = await raw(mcp.url!, { headers: { ...JSON_HEADERS, authorization: 'Basic YWxpY2U6c2VjcmV0' }, body: INIT });
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toMatch(/error="invalid_token"/);
  });

  it('answers a valid token with neither scope 403 insufficient_scope, with the scopes to ask for', async () => {
    const r = await post(mcp.url!, await mint({ scope: 'openid profile' }));
    expect(r.status).toBe(403);
    expect(r.headers['www-authenticate']).toMatch(/^Bearer error="insufficient_scope", error_description="[^"]+", resource_metadata="[^"]+", scope="celigo:read celigo:write"$/);
  });

  it.each(ERAS)('serves a read-scope token the read tools only (%s); a call to a mutating one says why', async (era) => {
    const c = await connectHttp(mcp.url!, { era, headers: { authorization: `Bearer ${await mint({ sub: 'reader', scope: 'celigo:read' })}` } });
    try {
      const tools = (await c.client.listTools()).tools;
      expect(tools.length).toBeGreaterThan(10);
      expect(tools.filter((t) => !t.annotations?.readOnlyHint).map((t) => t.name)).toEqual([]);
      for (const name of ['trigger_flow_run', 'retry_errors']) {
        const r = await c.client.callTool({ name, arguments: { flow: 'Salesforce Accounts to NetSuite' } });
        expect(r.isError, name).toBe(true);
        expect(textOf(r)).toMatch(new RegExp(`^${name} changes the account.*does not grant the celigo:write scope.*nothing was changed`, 's'));
      }
      const ok = await c.client.callTool({ name: 'list_integrations', arguments: {} });
      expect(ok.isError, textOf(ok)).toBeFalsy();
    } finally {
      await c.close();
    }
  });

  it.each(ERAS)('serves a write-scope token every selected tool, the mutating ones included (%s)', async (era) => {
    const c = await connectHttp(mcp.url!, { era, headers: { authorization: `Bearer ${await mint({ sub: 'writer', scope: 'celigo:write' })}` } });
    try {
      const names = (await c.client.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining([...MUTATING, 'list_integrations']));
    } finally {
      await c.close();
    }
  });

  it('serves a 2025-era session only to the person who opened it, with the scopes it was opened with', async () => {
    const alice = await mint({ sub: 'alice', scope: 'celigo:write' });
    const init = await post(mcp.url!, alice);
    expect(init.status).toBe(200);
    const sid = String(init.headers['mcp-session-id']);
    const on = (token: string) => post(mcp.url!, token, LIST, { 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' });
    const mallory = await on(await mint({ sub: 'mallory', scope: 'celigo:write' }));
    expect(mallory.status).toBe(404);
    expect(mallory.body).not.toMatch(/trigger_flow_run/);
    // Alice again, but her token now only reads: the write session is not hers to use any more.
    expect((await on(await mint({ sub: 'alice', scope: 'celigo:read' }))).status).toBe(404);
    // Same person from another issuer's point of view (same sub, other iss) cannot be told apart here: tokens of
    // another issuer are refused outright (401 above). Alice with her token is served.
    const mine = await on(alice);
    expect(mine.status).toBe(200);
    expect(mine.body).toContain('trigger_flow_run');
    // Nor may someone else close it.
    const del = await raw(mcp.url!, { method: 'DELETE', headers: { authorization: `Bearer ${await mint({ sub: 'mallory', scope: 'celigo:write' })}`, 'mcp-session-id': sid } });
    expect(del.status).toBe(404);
    expect((await on(alice)).status).toBe(200);
  });
});

describe('OAuth mode: lock-out, discovery and configuration', () => {
  it('locks an address out after a forged token (429), but neither a request without a token nor an expired one is a failed attempt', async () => {
    const issuer = await startIssuer({ audience: AUD });
    let t = 1_000_000;
    const mcp = await runMcp({ http: true, port: 0, demo: true, env: envFor(issuer), httpTuning: { authThrottle: { baseMs: 1000, maxMs: 4000, now: () => t } }, log: () => {} });
    try {
      expect((await post(mcp.url!, undefined)).status).toBe(401);
      expect((await post(mcp.url!, undefined)).status).toBe(401);
      const good = await issuer.mint({ scope: 'celigo:read' });
      expect((await post(mcp.url!, good)).status).toBe(200);
      // Tokens the issuer signed that expired or name another audience are no guess (behind a proxy, one
      // person's stale token would lock everyone out): refused, not counted.
      expect((await post(mcp.url!, await issuer.mint({ scope: 'celigo:read', expiresIn: -120 }))).status).toBe(401);
      expect((await post(mcp.url!, await issuer.mint({ scope: 'celigo:read', aud: 'https://elsewhere.test/mcp' }))).status).toBe(401);
      expect((await post(mcp.url!, good)).status).toBe(200);
      expect((await post(mcp.url!, await issuer.mint({ scope: 'celigo:read', key: 'forger' }))).status).toBe(401);
      const locked = await post(mcp.url!, good);
      expect(locked.status).toBe(429);
      expect(locked.headers['retry-after']).toBe('1');
      // Signing in stays possible: the discovery request is not throttled.
      expect((await post(mcp.url!, undefined)).status).toBe(401);
      t += 1000;
      expect((await post(mcp.url!, good)).status).toBe(200);
    } finally {
      await mcp.close();
      await issuer.close();
    }
  });

  it.each([
    ['RFC 8414 metadata', { discovery: 'oauth' as const }],
    ['OpenID Connect discovery, issuer with a path', { discovery: 'oidc' as const, path: '/realms/team' }],
    ['an explicit key set URL, no metadata', { discovery: 'none' as const }],
  ])('finds the issuer keys by %s', async (_what, o) => {
    const issuer = await startIssuer({ audience: AUD, ...o });
    const env = envFor(issuer, o.discovery === 'none' ? { CELIGO_MANAGE_OAUTH_JWKS_URL: issuer.jwksUrl } : {});
    const mcp = await runMcp({ http: true, port: 0, demo: true, env, log: () => {} });
    try {
      expect((await post(mcp.url!, await issuer.mint({ scope: 'celigo:read', key: 'ec' }))).status).toBe(200);
      const metadata = issuer.requests.filter((p) => p.includes('.well-known'));
      if (o.discovery === 'oauth') expect(metadata).toEqual(['/.well-known/oauth-authorization-server']);
      if (o.discovery === 'oidc') expect(metadata).toEqual(['/.well-known/oauth-authorization-server/realms/team', '/.well-known/openid-configuration/realms/team']);
      if (o.discovery === 'none') expect(metadata).toEqual([]);
    } finally {
      await mcp.close();
      await issuer.close();
    }
  });

  it('answers 503 (not 401) and logs what to fix when the issuer metadata names another issuer', async () => {
    const issuer = await startIssuer({ audience: AUD, metadataIssuer: 'https://someone-else.example.com' });
    const logs: string[] = [];
    const mcp = await runMcp({ http: true, port: 0, demo: true, env: envFor(issuer), log: (l) => logs.push(l) });
    try {
      const r = await post(mcp.url!, await issuer.mint({ scope: 'celigo:read' }));
      expect(r.status).toBe(503);
      expect(r.headers['retry-after']).toBe('10');
      expect(logs.join('\n')).toMatch(/names the issuer "https:\/\/someone-else\.example\.com".*set CELIGO_MANAGE_OAUTH_ISSUER to exactly/);
    } finally {
      await mcp.close();
      await issuer.close();
    }
  });

  it('refuses a partial, invalid or doubled configuration before starting anything, saying what to set', async () => {
    const run = (extra: Record<string, string>, host?: string) => {
      const env: NodeJS.ProcessEnv = {};
      for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('CELIGO_')) env[k] = v;
      return runMcp({ http: true, port: 0, demo: true, host, env: { ...env, ...extra }, log: () => {} });
    };
    const ISS = 'https://login.example.com/realms/team';
    await expect(run({ CELIGO_MANAGE_OAUTH_AUDIENCE: AUD })).rejects.toThrow(/CELIGO_MANAGE_OAUTH_ISSUER is not/);
    await expect(run({ CELIGO_MANAGE_OAUTH_ISSUER: ISS })).rejects.toThrow(/CELIGO_MANAGE_OAUTH_AUDIENCE is not/);
    await expect(run({ CELIGO_MANAGE_OAUTH_ISSUER: 'http://login.example.com', CELIGO_MANAGE_OAUTH_AUDIENCE: AUD })).rejects.toThrow(/must be an https URL/);
    await expect(run({ CELIGO_MANAGE_OAUTH_ISSUER: ISS, CELIGO_MANAGE_OAUTH_AUDIENCE: 'api://celigo' })).rejects.toThrow(/set CELIGO_MANAGE_PUBLIC_URL/);
    await expect(run({ CELIGO_MANAGE_OAUTH_ISSUER: ISS, CELIGO_MANAGE_OAUTH_AUDIENCE: AUD, CELIGO_MANAGE_OAUTH_WRITE_SCOPE: 'celigo:read' })).rejects.toThrow(/different names/);
    await expect(run({ CELIGO_MANAGE_OAUTH_ISSUER: ISS, CELIGO_MANAGE_OAUTH_AUDIENCE: AUD, CELIGO_MANAGE_HTTP_TOKEN: 'a'.repeat(40) })).rejects.toThrow(/choose one/);
  });

  it('takes the metadata resource from CELIGO_MANAGE_PUBLIC_URL, and may bind off loopback without a static token', async () => {
    const issuer = await startIssuer({ audience: 'api://celigo' });
    const env = envFor(issuer, { CELIGO_MANAGE_OAUTH_AUDIENCE: 'api://celigo', CELIGO_MANAGE_PUBLIC_URL: 'https://team.example.com/tools/mcp' });
    const mcp = await runMcp({ http: true, host: '0.0.0.0', port: 0, demo: true, env, log: () => {} });
    const url = mcp.url!.replace('0.0.0.0', '127.0.0.1');
    try {
      const r = await post(url, undefined);
      expect(r.headers['www-authenticate']).toContain('resource_metadata="https://team.example.com/.well-known/oauth-protected-resource/tools/mcp"');
      const meta = await raw(url, { method: 'GET', path: '/.well-known/oauth-protected-resource/tools/mcp' });
      expect(JSON.parse(meta.body).resource).toBe('https://team.example.com/tools/mcp');
      expect((await post(url, await issuer.mint({ scope: 'celigo:read' }))).status).toBe(200);
    } finally {
      await mcp.close();
      await issuer.close();
    }
  });
});
