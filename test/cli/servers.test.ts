// `emulator` and `mcp` serve until Ctrl-C (here: the run's abort signal), then stop cleanly with exit 0.
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';

/** Runs a server, waits `ms`, then retries `probe` (up to 15 s) until it returns true, then Ctrl-C. */
async function serveBriefly(argv: string[], ms: number, probe?: () => Promise<boolean>) {
  const ac = new AbortController();
  const pending = run(argv, { signal: ac.signal });
  await new Promise((r) => setTimeout(r, ms));
  for (let i = 0; probe && i < 60 && !(await probe()); i++) await new Promise((r) => setTimeout(r, 250));
  ac.abort();
  return pending;
}

describe('long-running commands', () => {
  it('emulator starts, serves, and stops on Ctrl-C with exit 0', async () => {
    const r = await serveBriefly(['emulator', '--port', '0', '--seed', 'empty'], 800);
    expect(r.code).toBe(0);
  });

  it('emulator rejects a bad seed with exit 1', async () => {
    const r = await run(['emulator', '--port', '0', '--seed', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--seed');
  });

  it('emulator takes --scale with --seed large only, and points --seed large:4 to it', async () => {
    const colon = await run(['emulator', '--port', '0', '--seed', 'large:4']);
    expect(colon.code).toBe(1);
    expect(colon.stderr).toContain('--seed large --scale 4');
    const demo = await run(['emulator', '--port', '0', '--seed', 'demo', '--scale', '2']);
    expect(demo.code).toBe(1);
    expect(demo.stderr).toContain('--scale applies to --seed large only');
  });

  it('mcp --http serves /mcp until Ctrl-C', async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    let status = 0;
    const r = await serveBriefly(['--demo', 'mcp', '--http', '--port', String(port), '--read-only'], 300, async () => {
      const res = await fetch(`http://127.0.0.1:${port}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', host: `127.0.0.1:${port}` },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } }),
      }).catch(() => undefined);
      status = res?.status ?? 0;
      await res?.body?.cancel().catch(() => {});
      return status !== 0;
    });
    expect(r.code).toBe(0);
    expect(status).toBe(200);
    expect(r.stderr).toContain('celigo-manage mcp: serving');
  });

  it('mcp rejects an unknown toolset with exit 1 and the valid ones', async () => {
    const r = await run(['--demo', 'mcp', '--toolsets', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Unknown toolset');
  });
});
