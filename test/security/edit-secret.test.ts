// Issue 17: a connection secret given to `connections update` by the name of an environment variable is
// written to the API and nowhere else: not in stdout or stderr (success, --json, a refused write), not in a
// --record file, not in a backup or any other file under CELIGO_MANAGE_HOME, in the clear or encoded.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKEN, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { run } from '../helpers/cli.js';
import { tempDir, tokenIn } from '../fuzz/helpers.js';

const SECRET = 'shpat_5ec12e7c0ffee9876edit4321secret';
const CONN = 'Shopify - acme-store';

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, seed: 'demo', quiet: true, rateLimit: false });
});
afterAll(() => emu.close());

describe('a connection secret from an environment variable', () => {
  it('reaches the API and no output, recording or file', async () => {
    const home = tempDir('cm-edit-secret-');
    const env = { CELIGO_BASE_URL: emu.baseUrl, CELIGO_API_TOKEN: DEMO_TOKEN, CELIGO_MANAGE_HOME: home, SHOP_TOKEN: SECRET };
    const args = ['connections', 'update', CONN, '--set', 'http.baseURI=https://acme-store.myshopify.com/admin/api/2024-04', '--secret-env', 'http.auth.token.token=SHOP_TOKEN', '--yes'];
    const outputs: string[] = [];
    const ok = await run([...args, '--record', join(home, 'ok.jsonl')], { env });
    expect(ok.code, ok.stderr).toBe(0);
    outputs.push(ok.stdout, ok.stderr);
    const id = [...emu.store.map('connections').values()].find((c) => c.name === CONN)!._id as string;
    expect((emu.store.map('connections').get(id) as Record<string, any>).http.auth.token.token).toBe(SECRET);

    const json = await run([...args, '--json'], { env });
    outputs.push(json.stdout, json.stderr);
    emu.setFaults({ next: [{ status: 422, when: 'before', match: '(PUT|PATCH) .*/connections/' }] });
    const refused = await run([...args, '--record', join(home, 'refused.jsonl')], { env });
    expect(refused.code, refused.stdout + refused.stderr).toBe(1);
    expect(refused.stderr).toContain('was NOT changed');
    outputs.push(refused.stdout, refused.stderr);
    const dry = await run([...args, '--dry-run'], { env });
    outputs.push(dry.stdout, dry.stderr);

    for (const text of outputs) expect(tokenIn(text, SECRET), text).toBeUndefined();
    const files = filesUnder(home);
    expect(files.some((f) => f.includes('backups'))).toBe(true);
    for (const f of files) expect(tokenIn(readFileSync(f).toString('utf8'), SECRET), f).toBeUndefined();
  }, 60_000);
});
