// Malformed JSON-RPC frames on the stdin of a spawned `celigo-manage mcp --demo` (dist/ must be built:
// npm run build): the process never dies, every answer is a JSON-RPC message, every request with a usable
// id gets its answer, and a following valid tools/list is answered.
import fc from 'fast-check';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKEN } from '../../src/emulator/index.js';
import { guardStdin } from '../../src/mcp/stdio-guard.js';
import { frameMaker, isRpcError } from './frames.js';
import { cleanEnv, params, stackTraceIn, tempDir, tokenIn } from './helpers.js';

const root = join(import.meta.dirname, '..', '..');
const built = existsSync(join(root, 'dist', 'mcp', 'stdio-guard.js'));
if (!built) console.warn('test/fuzz/stdio-frames: dist/ is missing or stale; run `npm run build` first. Skipping.');

type Msg = { jsonrpc?: unknown; id?: unknown; result?: unknown; error?: unknown; method?: unknown };

class Peer {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly messages: Msg[] = [];
  readonly badLines: string[] = [];
  stderr = '';
  stdoutRaw = '';
  private buf = '';
  private waiters: (() => void)[] = [];

  constructor() {
    this.proc = spawn(process.execPath, [join(root, 'bin', 'celigo-manage.js'), 'mcp', '--demo'], {
      cwd: root,
      env: cleanEnv({ CELIGO_MANAGE_HOME: tempDir('cm-fuzz-stdio-') }),
    });
    this.proc.stdout.setEncoding('utf8');
    this.proc.stdout.on('data', (d: string) => {
      this.stdoutRaw += d;
      this.buf += d;
      let nl: number;
      while ((nl = this.buf.indexOf('\n')) >= 0) {
        const line = this.buf.slice(0, nl);
        this.buf = this.buf.slice(nl + 1);
        try {
          this.messages.push(JSON.parse(line) as Msg);
        } catch {
          this.badLines.push(line);
        }
      }
      for (const w of this.waiters.splice(0)) w();
    });
    this.proc.stderr.setEncoding('utf8');
    this.proc.stderr.on('data', (d: string) => (this.stderr += d));
  }

  alive(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  write(body: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      const chunk = Buffer.concat([typeof body === 'string' ? Buffer.from(body, 'utf8') : body, Buffer.from('\n')]);
      this.proc.stdin.write(chunk, (err) => (err ? reject(err) : resolve()));
    });
  }

  answer(id: unknown): Msg | undefined {
    return this.messages.find((m) => m.id === id && ('result' in m || 'error' in m));
  }

  async waitFor(id: unknown, ms = 10_000): Promise<Msg> {
    const deadline = Date.now() + ms;
    for (;;) {
      const m = this.answer(id);
      if (m) return m;
      if (!this.alive()) throw new Error(`server exited (${this.proc.exitCode ?? this.proc.signalCode}) waiting for ${String(id)}; stderr: ${this.stderr.slice(-500)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no answer for id ${String(id)}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }
}

/** Feeds `bytes` to a guard in the given chunk sizes; returns what it passed on and what it answered. */
async function throughGuard(bytes: Buffer, cuts: number[], maxLineBytes?: number): Promise<{ passed: string[]; replies: string[] }> {
  const replies: string[] = [];
  const g = guardStdin({ reply: (f) => replies.push(f), maxLineBytes });
  let out = '';
  g.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const done = new Promise<void>((r) => g.on('end', () => r()));
  let at = 0;
  for (const c of [...cuts, bytes.length]) {
    const end = Math.min(bytes.length, at + Math.max(1, c));
    if (end > at) g.write(bytes.subarray(at, end));
    at = end;
  }
  if (at < bytes.length) g.write(bytes.subarray(at));
  g.end();
  await done;
  return { passed: out.split('\n').filter(Boolean), replies };
}

describe('stdio guard in process (no build needed)', () => {
  it('passes each valid message once, answers each bad line once, whatever the chunking', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(frameMaker, { minLength: 1, maxLength: 6 }), fc.array(fc.integer({ min: 1, max: 4096 }), { maxLength: 20 }), async (makers, cuts) => {
        const frames = makers.map((m, i) => m(i + 1));
        const bytes = Buffer.concat(frames.flatMap((f) => [typeof f.body === 'string' ? Buffer.from(f.body) : f.body, Buffer.from('\n')]));
        const whole = await throughGuard(bytes, []);
        const chunked = await throughGuard(bytes, cuts);
        expect(chunked).toEqual(whole);
        const lines = bytes.toString('utf8').split('\n').filter((l) => l.replace(/\r$/, '').trim());
        expect(whole.passed.length + whole.replies.length).toBe(lines.length);
        for (const p of whole.passed) expect((JSON.parse(p) as { jsonrpc?: string }).jsonrpc).toBe('2.0');
        for (const r of whole.replies) {
          const m = JSON.parse(r) as { jsonrpc: string; error: unknown };
          expect(m.jsonrpc).toBe('2.0');
          expect(isRpcError(m.error)).toBe(true);
          expect([-32700, -32600, -32602]).toContain((m.error as { code: number }).code);
        }
        // Every request the guard answered for got its own id back.
        for (const f of frames.filter((x) => x.expects !== undefined)) {
          const answered = whole.replies.some((r) => (JSON.parse(r) as { id: unknown }).id === f.expects);
          const forwarded = whole.passed.some((p) => (JSON.parse(p) as { id: unknown }).id === f.expects);
          expect(answered || forwarded, f.kind).toBe(true);
        }
      }),
      params(200),
    );
  });

  it('drops a line over the limit with one answer and keeps going (an unfinished last line is no message)', async () => {
    const ok = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });
    const bytes = Buffer.from(`${'z'.repeat(5000)}\n${ok}\n${'y'.repeat(3000)}`);
    const r = await throughGuard(bytes, [100, 100, 1000, 1000], 1024);
    expect(r.passed).toEqual([ok]);
    expect(r.replies.map((x) => JSON.parse(x).error.message)).toEqual([expect.stringMatching(/larger than 1024 bytes/)]);
  });
});

describe.skipIf(!built)('stdio frame fuzz (spawned bin, --demo)', () => {
  let peer: Peer;
  let nextId = 1000;

  beforeAll(async () => {
    peer = new Peer();
    await peer.write(
      JSON.stringify({ jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'fuzz', version: '1' } } }),
    );
    const init = await peer.waitFor('init', 20_000);
    expect(init.result).toBeTruthy();
    await peer.write(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
  });
  afterAll(() => {
    peer?.proc.stdin.end();
    peer?.proc.kill();
  });

  async function probe(): Promise<void> {
    const id = `probe-${nextId++}`;
    await peer.write(JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/list' }));
    const r = await peer.waitFor(id);
    expect((r.result as { tools?: unknown[] }).tools?.length, 'tools/list after junk').toBeGreaterThan(10);
  }

  function checkAll(): void {
    expect(peer.badLines, 'stdout lines that are not JSON').toEqual([]);
    for (const m of peer.messages) {
      expect(m.jsonrpc).toBe('2.0');
      if ('error' in m) {
        expect(isRpcError(m.error), JSON.stringify(m).slice(0, 300)).toBe(true);
        expect(stackTraceIn((m.error as { message: string }).message)).toBeUndefined();
      } else {
        expect('result' in m || typeof m.method === 'string', JSON.stringify(m).slice(0, 300)).toBe(true);
      }
    }
    expect(stackTraceIn(peer.stderr), peer.stderr.slice(-2000)).toBeUndefined();
    expect(tokenIn(peer.stdoutRaw + peer.stderr, DEMO_TOKEN)).toBeUndefined();
  }

  it('answers frames of every kind, keeps serving, and never prints anything but JSON-RPC on stdout', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(frameMaker, { minLength: 1, maxLength: 4 }), async (makers) => {
        const frames = makers.map((m) => m(nextId++));
        for (const f of frames) await peer.write(f.body);
        for (const f of frames) if (f.expects !== undefined) await peer.waitFor(f.expects);
        await probe();
        expect(peer.alive()).toBe(true);
      }),
      params(150),
    );
    checkAll();
  }, 60_000);

  it('answers a bad line with the JSON-RPC error it calls for', async () => {
    const cases: [string, number, unknown][] = [
      ['{nope', -32700, null],
      ['[]', -32600, null],
      [JSON.stringify([{ jsonrpc: '2.0', id: 'b1', method: 'ping' }]), -32600, null],
      [JSON.stringify({ jsonrpc: '1.0', id: 'v1', method: 'ping' }), -32600, 'v1'],
      [JSON.stringify({ jsonrpc: '2.0', id: 'p1', method: 'tools/list', params: 'x' }), -32600, 'p1'],
      [JSON.stringify({ jsonrpc: '2.0', id: 'i1', method: 'initialize', params: {} }), -32602, 'i1'],
    ];
    for (const [body, code, id] of cases) {
      const before = peer.messages.length;
      await peer.write(body);
      await probe();
      const errs = peer.messages.slice(before).filter((m) => 'error' in m);
      expect(errs.map((m) => [(m.error as { code: number }).code, m.id]), body).toContainEqual([code, id]);
    }
  });

  it('survives a frame over the size limit (9 MB) and one without a newline for 12 MB', async () => {
    const before = peer.messages.length;
    await peer.write(JSON.stringify({ jsonrpc: '2.0', id: 'huge', method: 'ping', params: { pad: 'x'.repeat(9 * 1024 * 1024) } }));
    await probe();
    expect(peer.messages.slice(before).some((m) => isRpcError(m.error) && /larger than/.test((m.error as { message: string }).message))).toBe(true);
    // 12 MB in pieces with no newline, then the end of that line.
    for (let i = 0; i < 12; i++) await new Promise<void>((r) => peer.proc.stdin.write('y'.repeat(1024 * 1024), () => r()));
    await peer.write('');
    await probe();
    expect(peer.alive()).toBe(true);
    checkAll();
  }, 60_000);

  it('exits cleanly when stdin closes', async () => {
    const exited = new Promise<number | null>((r) => peer.proc.once('exit', (code) => r(code)));
    peer.proc.stdin.end();
    expect(await exited).toBe(0);
  });
});
