// What `npm publish` would publish works (issue 15 item 1): `npm pack` (its prepack builds), the tarball
// installed into an empty folder with no registry and an empty cache (so nothing but the tarball can be
// installed), then `npx celigo-manage --demo health` and `npx celigo-manage mcp --demo` over stdio with the
// SDK client, and `npm publish --dry-run`. Run by `npm run test:package` (vitest.package.config.ts).
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { catalogue } from '../../src/operations/catalogue.js';
import { selectTools } from '../../src/operations/select.js';

const root = join(import.meta.dirname, '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const dir = mkdtempSync(join(tmpdir(), 'cm-package-'));
const app = join(dir, 'app');
const EXPECTED = ['LICENSE', 'README.md', 'bin/celigo-manage.js', 'bin/load-bundle.js', 'dist/bundle/THIRD-PARTY-LICENSES.txt', 'dist/bundle/celigo-manage.cjs', 'dist/bundle/team-deps.cjs', 'dist/version.js', 'package.json', 'skills/celigo-manage/SKILL.md'];
/** The V8 code cache the build warms, one per V8 version (bin/load-bundle.js); the CLI works without it. */
const isCodeCache = (p: string) => /^dist\/bundle\/celigo-manage\.cjs\.[^/]+\.v8cache$/.test(p);

/** npm and the installed CLI see only this: no user .npmrc, an empty cache, no registry, a fresh home. */
const env: Record<string, string> = {
  PATH: process.env.PATH ?? '',
  HOME: join(dir, 'home'),
  TMPDIR: dir,
  npm_config_userconfig: join(dir, 'npmrc'),
  npm_config_cache: join(dir, 'cache'),
  npm_config_offline: 'true',
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
  CELIGO_MANAGE_HOME: join(dir, 'celigo-home'),
  TZ: 'UTC',
};
if (process.env.SYSTEMROOT) env.SYSTEMROOT = process.env.SYSTEMROOT;

interface Packed { filename: string; size: number; unpackedSize: number; entryCount: number; files: { path: string }[] }
let packed: Packed;
let install: { stdout: string; stderr: string };

beforeAll(() => {
  mkdirSync(env.HOME);
  mkdirSync(app);
  writeFileSync(env.npm_config_userconfig, '');
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'empty-app', private: true }));
  // `npm pack` runs prepack (the build); scripts write to stderr, --json to stdout.
  const out = execFileSync(npm, ['pack', '--json', '--pack-destination', dir], { cwd: root, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' }, stdio: ['ignore', 'pipe', 'pipe'] });
  packed = (JSON.parse(out) as Packed[])[0];
  const r = spawnSync(npm, ['install', join(dir, packed.filename)], { cwd: app, encoding: 'utf8', env });
  install = { stdout: r.stdout, stderr: r.stderr };
  if (r.status !== 0) throw new Error(`npm install of the tarball failed:\n${r.stderr}`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the packed tarball', () => {
  it('holds only what runs', () => {
    const paths = packed.files.map((f) => f.path).sort();
    expect(paths.filter((p) => !isCodeCache(p))).toEqual(EXPECTED.slice().sort());
    // Only the cache of the Node that built it (npm pack builds first, which empties dist/bundle).
    expect(paths.filter(isCodeCache).length).toBeLessThanOrEqual(1);
    console.info(`${packed.filename}: ${packed.size} bytes packed, ${packed.unpackedSize} unpacked, ${packed.entryCount} files`);
  });

  it('installs with no registry and nothing else, silently (no install script, no warning)', () => {
    expect(install.stderr).not.toMatch(/warn|ERR/i);
    expect(readdirSync(join(app, 'node_modules')).filter((n) => !n.startsWith('.'))).toEqual(['celigo-manage']);
    const installed = JSON.parse(readFileSync(join(app, 'node_modules/celigo-manage/package.json'), 'utf8'));
    expect(installed.dependencies).toBeUndefined();
    for (const s of ['preinstall', 'install', 'postinstall', 'prepare']) expect(installed.scripts?.[s], s).toBeUndefined();
    expect(statSync(join(app, 'node_modules/.bin/celigo-manage')).isFile() || process.platform === 'win32').toBe(true);
    // No node_modules above the folder lends the CLI a package it lacks.
    expect(() => createRequire(join(app, 'node_modules/celigo-manage/dist/bundle/x.js')).resolve('zod')).toThrow();
  });

  it('npx celigo-manage --demo health', () => {
    const r = spawnSync(npx, ['celigo-manage', '--demo', 'health'], { cwd: app, encoding: 'utf8', env });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Health: last 24 hours/);
    for (const name of ['Shopify - NetSuite Orders', 'Salesforce - NetSuite Customers']) expect(r.stdout).toContain(name);
  });

  it('npx celigo-manage mcp --demo: initialize, tools/list, a call', async () => {
    const transport = new StdioClientTransport({ command: npx, args: ['celigo-manage', 'mcp', '--demo'], cwd: app, env, stderr: 'pipe' });
    let logs = '';
    transport.stderr?.on('data', (d) => (logs += d));
    const client = new Client({ name: 'package-test', version: '1.0.0' });
    try {
      await client.connect(transport);
      expect(client.getServerVersion()).toMatchObject({ name: 'celigo-manage', version: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version });
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names.length).toBeGreaterThan(20);
      expect(names).toEqual(selectTools(catalogue()).map((t) => t.name));
      const result = await client.callTool({ name: 'list_integrations', arguments: {} });
      expect(result.isError ?? false).toBe(false);
      expect(JSON.stringify(result.content)).toContain('Shopify - NetSuite Orders');
    } finally {
      await client.close();
    }
    expect(logs).not.toMatch(/Error|warn/i);
  });

  it('npm publish --dry-run exits 0 with no warning but the one a dry run without an npm login gives', () => {
    // The build just ran in `npm pack`; --ignore-scripts keeps this from building a third time.
    const r = spawnSync(npm, ['publish', '--dry-run', '--ignore-scripts'], { cwd: root, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
    expect(r.status, r.stderr).toBe(0);
    const warnings = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => /^npm (warn|error)/i.test(l));
    expect(warnings.filter((l) => !/requires you to be logged in .*\(dry-run\)/.test(l))).toEqual([]);
    expect(r.stderr).toMatch(/Publishing to https:\/\/registry\.npmjs\.org\/ with tag latest and public access \(dry-run\)/);
  });
});
