// Kill: the spawned bin (dist/ must be built: npm run build) SIGKILLed at every stage of its work loses
// nothing. A `flows update` killed at any moment leaves the flow either as it was, or changed with a
// backup whose before-state is the old one (so the change can be undone); every backup file is whole JSON
// (a killed write leaves at most a .tmp file); `backups list` still works. An MCP server recording with
// --record that is killed mid-session leaves a file whose every line is whole JSON.
// Where each kill lands varies with the machine's speed; the checks hold wherever it lands.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CeligoClient } from '../../src/core/client.js';
import { DEMO_TOKEN, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { cleanEnv, tempDir } from '../fuzz/helpers.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'celigo-manage.js');
const built = existsSync(join(root, 'dist', 'bundle', 'celigo-manage.cjs'));
/** Kills of `flows update`, spread over the life of one run. */
const KILLS = 12;

function run(args: string[], env: NodeJS.ProcessEnv): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [bin, ...args], { cwd: root, env });
}

function exited(p: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => (p.exitCode !== null || p.signalCode !== null ? resolve(p.exitCode) : p.once('exit', (code) => resolve(code))));
}

/** Every finished backup file parsed; .tmp leftovers counted. */
function backups(home: string): { records: { items?: { type: string; id: string; data?: { name?: string } }[] }[]; tmp: number } {
  const dir = join(home, 'backups');
  const names = existsSync(dir) ? readdirSync(dir) : [];
  return {
    records: names.filter((n) => n.endsWith('.json')).map((n) => JSON.parse(readFileSync(join(dir, n), 'utf8'))),
    tmp: names.filter((n) => n.endsWith('.tmp')).length,
  };
}

describe.skipIf(!built)('kill (spawned bin, SIGKILL)', () => {
  let emu: RunningEmulator;
  let admin: CeligoClient;
  let env: NodeJS.ProcessEnv;
  let home: string;

  beforeAll(async () => {
    emu = await startEmulator({ port: 0, seed: 'demo', quiet: true, rateLimit: false });
    admin = new CeligoClient({ baseUrl: emu.baseUrl, token: DEMO_TOKEN });
    home = tempDir('cm-kill-');
    env = cleanEnv({ CELIGO_BASE_URL: emu.baseUrl, CELIGO_API_TOKEN: DEMO_TOKEN, CELIGO_MANAGE_HOME: home });
  });
  afterAll(() => emu?.close());

  it(`flows update killed at ${KILLS} points of its run: the flow is unchanged or changed with a backup of the old one`, async () => {
    const flow = (await admin.flows.list())[0]!;
    // One whole run first: how long the process lives, to spread the kills over it.
    const t0 = performance.now();
    expect(await exited(run(['flows', 'update', flow._id, '--name', 'Kill warm-up', '--yes'], env))).toBe(0);
    const life = performance.now() - t0;
    const landed = { before: 0, after: 0 };
    for (let i = 0; i < KILLS; i++) {
      const before = (await admin.flows.get(flow._id)).name;
      const name = `Kill ${i}`;
      const p = run(['flows', 'update', flow._id, '--name', name, '--yes'], env);
      await new Promise((r) => setTimeout(r, (life * i) / KILLS));
      p.kill('SIGKILL');
      await exited(p);
      const after = (await admin.flows.get(flow._id)).name;
      expect([before, name], `kill ${i}`).toContain(after);
      const { records } = backups(home);
      if (after === name) {
        landed.after++;
        const saved = records.some((r) => r.items?.some((it) => it.type === 'flow' && it.id === flow._id && it.data?.name === before));
        expect(saved, `kill ${i}: the change to "${name}" has a backup of "${before}"`).toBe(true);
      } else landed.before++;
    }
    const list = run(['backups', 'list', '--json'], env);
    let out = '';
    list.stdout.on('data', (d) => (out += d));
    expect(await exited(list)).toBe(0);
    expect(Array.isArray(JSON.parse(out))).toBe(true);
    if (process.env.KILL_REPORT) console.log(`kill: ${KILLS} kills of flows update (${landed.before} before the write, ${landed.after} after), ${backups(home).tmp} .tmp leftovers`);
  });

  it('an MCP server killed mid-session leaves a recording whose every line is whole JSON', async () => {
    for (let k = 1; k <= 3; k++) {
      const file = join(home, `killed-${k}.jsonl`);
      const p = run(['mcp', '--record', file], env);
      let buf = '';
      let answers = 0;
      const enough = new Promise<void>((resolve) =>
        p.stdout.on('data', (d) => {
          buf += d;
          answers = buf.split('\n').filter((l) => l.includes('"id"')).length;
          if (answers > k) resolve();
        }),
      );
      const send = (m: unknown) => p.stdin.write(JSON.stringify(m) + '\n');
      send({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'kill', version: '1' } } });
      send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      for (let id = 1; id <= 4; id++) send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'list_flows', arguments: {} } });
      await enough;
      p.kill('SIGKILL');
      await exited(p);
      const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
      expect(lines.length, `kill after ${k} answers`).toBeGreaterThan(1);
      for (const l of lines) expect(() => JSON.parse(l), l.slice(0, 200)).not.toThrow();
      expect(JSON.parse(lines[0]!).format).toBeTruthy();
    }
  });
});
