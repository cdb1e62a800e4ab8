// The installed CLI (bin/ + the CommonJS bundle) starts through a V8 code cache (bin/load-bundle.js).
// A cache V8 refuses (a damaged file, other flags) must cost only speed: the command still works, and
// the cache is written again for the next run. Each V8 version has its own file: CI runs these tests on
// Node 20, 22 and 24 against one build, whose shipped cache is that of the Node that built it.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'cm-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of what npm installs: bin/, dist/, package.json, and the packages kept outside the bundle. */
function install(): string {
  cpSync(join(root, 'bin'), join(dir, 'bin'), { recursive: true });
  cpSync(join(root, 'dist'), join(dir, 'dist'), { recursive: true });
  cpSync(join(root, 'package.json'), join(dir, 'package.json'));
  mkdirSync(join(dir, 'scripts'));
  cpSync(join(root, 'scripts/warm-cache.mjs'), join(dir, 'scripts/warm-cache.mjs'));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

/** Whether V8 takes the cache as it is on disk (run in a fresh process, with no extra flags). */
function cacheAccepted(at: string): boolean {
  const probe = `import('${join(at, 'bin/load-bundle.js')}').then((m) => process.stdout.write(String(m.loadBundle().cacheUsed)))`;
  return execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } }) === 'true';
}

describe('bundle code cache', () => {
  const at = install();
  const bundleDir = join(at, 'dist/bundle');
  const cache = join(bundleDir, `celigo-manage.cjs.${process.versions.v8}.v8cache`);

  it('ships a cache, which V8 accepts on the Node that built it', () => {
    const shipped = readdirSync(bundleDir).filter((f) => f.endsWith('.v8cache'));
    expect(shipped.length).toBeGreaterThan(0);
    for (const f of shipped) expect(statSync(join(bundleDir, f)).size).toBeGreaterThan(100_000);
    // Named for this V8: the build ran on this Node (or an earlier run here wrote it).
    if (existsSync(cache)) expect(cacheAccepted(at)).toBe(true);
  });

  it('the build warms a cache that this V8 accepts (scripts/warm-cache.mjs, as `npm run build` runs it)', () => {
    rmSync(cache, { force: true });
    execFileSync(process.execPath, [join(at, 'scripts/warm-cache.mjs')], { env: { ...process.env, NODE_OPTIONS: '' } });
    expect(statSync(cache).size).toBeGreaterThan(100_000);
    expect(cacheAccepted(at)).toBe(true);
  });

  it("writes this Node's cache beside another version's, and leaves that one alone", () => {
    const other = join(bundleDir, 'celigo-manage.cjs.0.0.0-other.v8cache');
    writeFileSync(other, Buffer.from('the cache of another V8'));
    rmSync(cache, { force: true });
    const r = spawnSync(process.execPath, [join(at, 'bin/celigo-manage.js'), '--demo', 'flows', 'list', '--json', 'name'], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect(r.status).toBe(0);
    expect(cacheAccepted(at)).toBe(true);
    expect(readFileSync(other, 'utf8')).toBe('the cache of another V8');
    rmSync(other);
  });

  it('works with a damaged cache, and writes a good one again', () => {
    writeFileSync(cache, Buffer.from('not a V8 code cache'));
    expect(cacheAccepted(at)).toBe(false);
    const r = spawnSync(process.execPath, [join(at, 'bin/celigo-manage.js'), '--demo', 'flows', 'list', '--json', 'name'], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).length).toBeGreaterThan(10);
    expect(readFileSync(cache).length).toBeGreaterThan(100_000);
    expect(cacheAccepted(at)).toBe(true);
  });

  it('never holds the API token of the run that wrote it', async () => {
    // A token that is nowhere in the source (the demo tokens are literals there); the emulator refuses
    // it, so the run goes through the request and the auth error paths with it in hand.
    const token = randomBytes(16).toString('hex');
    const emu = await startEmulator({ port: 0, seed: 'demo', quiet: true });
    const home = mkdtempSync(join(tmpdir(), 'cm-home-'));
    try {
      writeFileSync(cache, Buffer.from('damaged'));
      const env = { ...process.env, NODE_OPTIONS: '', CELIGO_API_TOKEN: token, CELIGO_BASE_URL: emu.baseUrl, CELIGO_MANAGE_HOME: home };
      // Asynchronous: the emulator answers from this process.
      const r = await promisify(execFile)(process.execPath, [join(at, 'bin/celigo-manage.js'), 'connections', 'list'], { encoding: 'utf8', env }).catch((e: { code: number; stderr: string }) => e);
      expect('code' in r ? r.code : 0).toBe(4);
      expect(r.stderr).toMatch(/token/i);
      expect(r.stderr).not.toContain(token);
      const written = readFileSync(cache);
      expect(written.length).toBeGreaterThan(100_000);
      expect(written.includes(token)).toBe(false);
      expect(written.includes(Buffer.from(token, 'utf16le'))).toBe(false);
    } finally {
      rmSync(home, { recursive: true, force: true });
      await emu.close();
    }
  });

  it('answers --version from the generated constant without loading the bundle', () => {
    rmSync(cache);
    const r = spawnSync(process.execPath, [join(at, 'bin/celigo-manage.js'), '--version'], { encoding: 'utf8' });
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
    expect(() => statSync(cache)).toThrow();
  });
});
