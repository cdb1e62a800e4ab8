import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_TOKEN, runEmulatorCommand } from '../../src/emulator/index.js';
import { type Harness, byName, start } from '../helpers/emulator.js';

let h: Harness;
beforeAll(async () => { h = await start(); });
afterAll(async () => { await h.emu.close(); });

describe('smaller endpoints', () => {
  it('integration jobs/latest: the newest flow job of each flow', async () => {
    const integ = byName(h, 'integrations', 'Salesforce - NetSuite Customers');
    const rows = (await h.get(`/integrations/${integ._id}/jobs/latest`)).body;
    expect(rows).toHaveLength(4);
    expect(rows.filter((r: any) => r.status === 'failed')).toHaveLength(4);
    expect(new Set(rows.map((r: any) => r._flowId)).size).toBe(4);
  });
});

describe('runEmulatorCommand', () => {
  it('starts the emulator and prints one line with the URL and the token to stderr only', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = vi.spyOn(process.stdout, 'write');
    try {
      const emu = await runEmulatorCommand({ port: 0, seed: 'empty', rateLimit: '5,1', latencyMs: 0 });
      try {
        expect(err).toHaveBeenCalledTimes(1);
        const line = String(err.mock.calls[0][0]);
        expect(line).toContain(emu.baseUrl);
        expect(line).toContain(DEMO_TOKEN);
        expect(line.endsWith('\n')).toBe(true);
        expect(out).not.toHaveBeenCalled();
        const codes: number[] = [];
        for (let i = 0; i < 6; i++) codes.push((await fetch(`${emu.baseUrl}/tokenInfo`, { headers: { Authorization: `Bearer ${DEMO_TOKEN}` } })).status);
        expect(codes).toEqual([200, 200, 200, 200, 200, 429]);
      } finally {
        await emu.close();
      }
      await expect(runEmulatorCommand({ seed: 'nope' })).rejects.toThrow(/--seed/);
      await expect(runEmulatorCommand({ rateLimit: 'lots' })).rejects.toThrow(/--rate-limit/);
    } finally {
      err.mockRestore();
      out.mockRestore();
    }
  });
});
