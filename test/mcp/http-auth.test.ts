// Issue 13 item 13: a bearer token shorter than 32 characters is refused at start-up (with how to make a
// good one), and failed bearer attempts are slowed per client address: each failure locks the address out
// for a delay that doubles up to a bound; the table of addresses is bounded. A test clock, no waiting.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkHttpConfig, startHttp } from '../../src/mcp/http.js';
import { AuthThrottle } from '../../src/mcp/http-auth.js';
import { runMcp } from '../../src/mcp/main.js';
import { cleanEnv } from '../fuzz/helpers.js';
import { factory } from '../helpers/mcp.js';

const GOOD = 'a3f1c9e07b2d4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d1e'; // openssl rand -hex 32
const INIT = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } });

function post(port: number, auth?: string): Promise<{ status: number; retryAfter?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    if (auth) headers.authorization = auth;
    const req = request({ host: '127.0.0.1', port, path: '/mcp', method: 'POST', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined, body }));
    });
    req.on('error', reject);
    req.end(INIT);
  });
}

describe('bearer token strength', () => {
  it.each(['abcde', 'x'.repeat(31)])('refuses a %j token at start-up, on loopback too, saying how to make one', (token) => {
    for (const host of ['127.0.0.1', '0.0.0.0']) {
      expect(() => checkHttpConfig(host, token)).toThrow(/at least 32 characters/);
      expect(() => checkHttpConfig(host, token)).toThrow(/openssl rand -hex 32/);
    }
  });

  it('accepts a token of 32 characters or more', () => {
    expect(() => checkHttpConfig('0.0.0.0', GOOD)).not.toThrow();
    expect(() => checkHttpConfig('0.0.0.0', GOOD.slice(0, 32))).not.toThrow();
  });

  it('runMcp refuses CELIGO_MANAGE_HTTP_TOKEN=abcde before starting anything', async () => {
    await expect(runMcp({ http: true, port: 0, demo: true, env: cleanEnv({ CELIGO_MANAGE_HTTP_TOKEN: 'abcde' }), log: () => {} })).rejects.toThrow(
      /CELIGO_MANAGE_HTTP_TOKEN.*at least 32 characters/s,
    );
  });
});

describe('failed bearer attempts are slowed per address', () => {
  it('locks an address out after a failure, for a delay that doubles up to the bound, without checking its token', async () => {
    let t = 1_000_000;
    const h = await startHttp({ factory: factory(), host: '0.0.0.0', port: 0, bearerToken: GOOD, authThrottle: { baseMs: 1000, maxMs: 4000, now: () => t } });
    try {
      expect((await post(h.port, 'Bearer wrong')).status).toBe(401);
      // Locked for 1 s: even the right token is not looked at.
      const locked = await post(h.port, `Bearer ${GOOD}`);
      expect(locked.status).toBe(429);
      expect(locked.retryAfter).toBe('1');
      expect(locked.body).not.toContain(GOOD);
      t += 1000;
      expect((await post(h.port, 'Bearer wrong')).status).toBe(401);
      expect((await post(h.port, 'Bearer wrong')).retryAfter).toBe('2');
      t += 2000;
      expect((await post(h.port, 'Bearer wrong')).status).toBe(401);
      t += 4000;
      expect((await post(h.port, 'Bearer wrong')).status).toBe(401);
      expect((await post(h.port)).retryAfter).toBe('4'); // bounded: 4 s, not 8
      t += 4000;
      // The right token ends the lock-out for that address.
      expect((await post(h.port, `Bearer ${GOOD}`)).status).toBe(200);
      expect((await post(h.port, 'Bearer wrong')).status).toBe(401);
      expect((await post(h.port, 'Bearer wrong')).retryAfter).toBe('1');
    } finally {
      await h.close();
    }
  });
});

describe('AuthThrottle', () => {
  it('by default locks out for 1 s, doubling with each failure, at most 5 minutes', () => {
    const t = 0;
    const th = new AuthThrottle({ now: () => t });
    const seen: number[] = [];
    for (let i = 0; i < 12; i++) {
      th.failed('a');
      seen.push(th.lockedFor('a'));
    }
    expect(seen).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000, 300_000]);
  });

  it('keeps at most maxAddresses addresses, forgetting the oldest', () => {
    const t = 0;
    const th = new AuthThrottle({ baseMs: 1000, maxMs: 60_000, maxAddresses: 3, now: () => t });
    for (let i = 0; i < 10; i++) th.failed(`10.0.0.${i}`);
    expect(th.size).toBe(3);
    expect(th.lockedFor('10.0.0.9')).toBe(1000);
    expect(th.lockedFor('10.0.0.0')).toBe(0);
  });

  it('forgets an address forgetMs after its last failure', () => {
    let t = 0;
    const th = new AuthThrottle({ baseMs: 1000, maxMs: 60_000, forgetMs: 10_000, now: () => t });
    th.failed('a');
    th.failed('a');
    t += 10_001;
    th.failed('b');
    expect(th.size).toBe(1);
    th.failed('a');
    expect(th.lockedFor('a')).toBe(1000);
  });
});
