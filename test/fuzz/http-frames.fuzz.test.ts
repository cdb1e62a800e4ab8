// Malformed JSON-RPC frames over Streamable HTTP (runMcp --http --demo, in process), on both revisions
// and with odd headers and methods: every answer is a documented status, every JSON error a JSON-RPC
// error, nothing is a 500, no stack, no token, and valid requests before and after are served.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKEN } from '../../src/emulator/index.js';
import { runMcp, type RunningMcp } from '../../src/mcp/main.js';
import { connectHttp } from '../helpers/mcp.js';
import { frameMaker, isRpcError, type Frame } from './frames.js';
import { cleanEnv, params, prototypeIsClean, stackTraceIn, tempDir, tokenIn } from './helpers.js';

const MODERN = '2026-07-28';
const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': MODERN,
  'io.modelcontextprotocol/clientInfo': { name: 'fuzz', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};
const STATUSES = [200, 202, 400, 404, 405, 406, 413, 415];
const ACCEPT = 'application/json, text/event-stream';

interface Shot {
  method: string;
  era: 'legacy-session' | 'legacy-no-session' | 'legacy-bad-session' | 'modern';
  contentType?: string;
  accept?: string;
}

const shot: fc.Arbitrary<Shot> = fc.record({
  method: fc.oneof({ weight: 12, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: fc.constantFrom('GET', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD') }),
  era: fc.constantFrom('legacy-session', 'legacy-session', 'modern', 'modern', 'legacy-no-session', 'legacy-bad-session'),
  contentType: fc.oneof(
    { weight: 8, arbitrary: fc.constant('application/json') },
    { weight: 1, arbitrary: fc.constantFrom(undefined, 'text/plain', 'application/json; charset=utf-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x') },
  ),
  accept: fc.oneof({ weight: 8, arbitrary: fc.constant(ACCEPT) }, { weight: 1, arbitrary: fc.constantFrom(undefined, 'application/json', 'text/event-stream', '*/*', 'text/html') }),
});

/** A modern request needs the per-request envelope and the mirrored headers; add them to what parses. */
function modernise(frame: Frame, headers: Record<string, string>): Buffer | string {
  if (typeof frame.body !== 'string') return frame.body;
  let msg: unknown;
  try {
    msg = JSON.parse(frame.body);
  } catch {
    return frame.body;
  }
  if (!msg || typeof msg !== 'object' || Array.isArray(msg)) return frame.body;
  const m = msg as { method?: unknown; params?: unknown };
  if (typeof m.method !== 'string') return frame.body;
  headers['mcp-method'] = m.method;
  const p = (m.params && typeof m.params === 'object' && !Array.isArray(m.params) ? m.params : {}) as Record<string, unknown>;
  if (m.method === 'tools/call' && typeof p.name === 'string') headers['mcp-name'] = p.name;
  if (m.params === undefined || p === m.params) m.params = { ...p, _meta: { ...((p._meta as object) ?? {}), ...ENVELOPE } };
  try {
    return JSON.stringify(m);
  } catch {
    return frame.body; // too deep to serialise here: send it as it was
  }
}

/** JSON-RPC messages in a response body: one JSON object, or the data: lines of an event stream. */
function messagesIn(contentType: string, body: string): unknown[] {
  if (!body.trim()) return [];
  if (contentType.includes('text/event-stream')) {
    return body
      .split('\n')
      .filter((l) => l.startsWith('data:') && l.slice(5).trim())
      .map((l) => JSON.parse(l.slice(5)) as unknown);
  }
  if (contentType.includes('json')) {
    const v = JSON.parse(body) as unknown;
    return Array.isArray(v) ? v : [v];
  }
  return [];
}

describe('HTTP frame fuzz (runMcp --http --demo)', () => {
  let mcp: RunningMcp;
  const logs: string[] = [];
  let session = '';
  let nextId = 5000;

  async function initSession(): Promise<string> {
    const r = await fetch(mcp.url!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: ACCEPT },
      body: JSON.stringify({ jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'fuzz', version: '1' } } }),
    });
    await r.text();
    const id = r.headers.get('mcp-session-id');
    expect(id).toBeTruthy();
    await fetch(mcp.url!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: ACCEPT, 'mcp-session-id': id!, 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
    }).then((x) => x.text());
    return id!;
  }

  beforeAll(async () => {
    mcp = await runMcp({ http: true, port: 0, demo: true, env: cleanEnv({ CELIGO_MANAGE_HOME: tempDir('cm-fuzz-httpf-') }), log: (l) => logs.push(l) });
    session = await initSession();
  });
  afterAll(async () => {
    await mcp?.close();
  });

  async function probe(): Promise<void> {
    // A fresh modern client (stateless) and the legacy session both still get tools/list.
    const c = await connectHttp(mcp.url!, { era: 'modern' });
    try {
      expect((await c.client.listTools()).tools.length).toBeGreaterThan(10);
    } finally {
      await c.close();
    }
    const r = await fetch(mcp.url!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: ACCEPT, 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify({ jsonrpc: '2.0', id: `probe-${nextId++}`, method: 'tools/list' }),
    });
    const text = await r.text();
    if (r.status === 404) {
      // A DELETE in the fuzz may have ended the session: that is its job. Start another.
      session = await initSession();
      return;
    }
    expect(r.status, text.slice(0, 300)).toBe(200);
    expect(messagesIn(r.headers.get('content-type') ?? '', text).some((m) => (m as { result?: { tools?: unknown[] } }).result?.tools?.length)).toBe(true);
  }

  it('answers every frame with a documented status and JSON-RPC errors, and keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(frameMaker, shot, async (make, s) => {
        const frame = make(nextId++);
        const headers: Record<string, string> = {};
        if (s.contentType) headers['content-type'] = s.contentType;
        if (s.accept) headers.accept = s.accept;
        let body: string | Buffer = frame.body;
        if (s.era === 'modern') {
          headers['mcp-protocol-version'] = MODERN;
          body = modernise(frame, headers);
        } else if (s.era !== 'legacy-no-session') {
          headers['mcp-protocol-version'] = '2025-11-25';
          headers['mcp-session-id'] = s.era === 'legacy-session' ? session : 'no-such-session';
        }
        const withBody = s.method !== 'GET' && s.method !== 'HEAD';
        const where = `${s.method} ${s.era} ${frame.kind} ${JSON.stringify(headers)}`;
        const ac = new AbortController();
        // A GET on a session opens an event stream that stays open: read what is there, then hang up.
        const timer = setTimeout(() => ac.abort(), s.method === 'GET' ? 300 : 15_000);
        let status: number;
        let text = '';
        let ct = '';
        try {
          const r = await fetch(mcp.url!, { method: s.method, headers, body: withBody ? (typeof body === 'string' ? body : new Uint8Array(body)) : undefined, signal: ac.signal });
          status = r.status;
          ct = r.headers.get('content-type') ?? '';
          text = await r.text();
        } catch (err) {
          if (!(s.method === 'GET' && ac.signal.aborted)) throw err;
          status = 200;
        } finally {
          clearTimeout(timer);
        }
        expect(STATUSES, `${where}: status ${status} ${text.slice(0, 300)}`).toContain(status);
        let msgs: unknown[] = [];
        expect(() => (msgs = messagesIn(ct, text)), `${where}: body is not JSON: ${text.slice(0, 200)}`).not.toThrow();
        for (const m of msgs) {
          const o = m as { jsonrpc?: string; error?: unknown };
          expect(o.jsonrpc, `${where}: ${JSON.stringify(m).slice(0, 200)}`).toBe('2.0');
          if ('error' in o) expect(isRpcError(o.error), `${where}: ${JSON.stringify(m).slice(0, 300)}`).toBe(true);
        }
        expect(stackTraceIn(text), where).toBeUndefined();
        expect(tokenIn(text, DEMO_TOKEN), where).toBeUndefined();
        // A well-formed request, sent properly, is answered (with a result or an error for its id).
        const proper = s.method === 'POST' && s.contentType === 'application/json' && s.accept === ACCEPT && (s.era === 'legacy-session' || s.era === 'modern');
        if (proper && frame.expects !== undefined && status === 200) {
          expect(msgs.some((m) => (m as { id?: unknown }).id === frame.expects), `${where}: no answer for ${String(frame.expects)}`).toBe(true);
        }
        await probe();
      }),
      params(150),
    );
  }, 90_000);

  it('logged no stack and no token, and left Object.prototype alone', () => {
    for (const l of logs) {
      expect(stackTraceIn(l), l).toBeUndefined();
      expect(tokenIn(l, DEMO_TOKEN), l).toBeUndefined();
    }
    expect(prototypeIsClean()).toBe(true);
  });
});
