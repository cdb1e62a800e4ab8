// The MCP Bundle (issue 15 item 2): `mcpb validate` accepts the manifest, `scripts/pack-mcpb.mjs` packs
// only the runtime files with package.json's version, and the unpacked bundle, started the way Claude
// Desktop starts it (the manifest's mcp_config resolved by @anthropic-ai/mcpb's own
// getMcpConfigForManifest, in a folder with no node_modules above it), answers tools/list over stdio.
// Packs and spawns the server four times: `npm run test:mcpb` runs it (vitest.mcpb.config.ts), not `npm test`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';

const root = join(import.meta.dirname, '..', '..');
const MCPB_CLI = join(root, 'node_modules', '@anthropic-ai', 'mcpb', 'dist', 'cli', 'cli.js');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const source = JSON.parse(readFileSync(join(root, 'mcpb', 'manifest.json'), 'utf8'));
const RUNTIME = ['bin/celigo-manage.js', 'bin/load-bundle.js', 'dist/bundle/celigo-manage.cjs', 'dist/bundle/team-deps.cjs', 'dist/bundle/THIRD-PARTY-LICENSES.txt', 'dist/version.js', 'manifest.json', 'package.json'];

function run(args: string[]) {
  return spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', timeout: 60_000 });
}

function filesOf(dir: string): string[] {
  const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
  return walk(dir).map((p) => relative(dir, p).split(sep).join('/')).sort();
}

function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

const describeMcpb = describe.runIf(process.env.CELIGO_MANAGE_TEST_MCPB === '1');
// The default `npm test` only collects this file: what the tests use is imported when they run.
const DEMO_TOKEN = 'de300000000000000000000000000001';
let mcpbNode: typeof import('@anthropic-ai/mcpb/node');
let sdk: { Client: typeof import('@modelcontextprotocol/client').Client; StdioClientTransport: typeof import('@modelcontextprotocol/client/stdio').StdioClientTransport };
let catalogue: typeof import('../../src/operations/catalogue.js').catalogue;

describeMcpb('MCP Bundle (.mcpb)', () => {
  let work: string;
  let unpacked: string;
  let manifest: any;
  let emu: RunningEmulator;

  beforeAll(async () => {
    const [emulator, node, client, stdio, cat] = await Promise.all([
      import('../../src/emulator/index.js'),
      import('@anthropic-ai/mcpb/node'),
      import('@modelcontextprotocol/client'),
      import('@modelcontextprotocol/client/stdio'),
      import('../../src/operations/catalogue.js'),
    ]);
    expect(emulator.DEMO_TOKEN).toBe(DEMO_TOKEN);
    [mcpbNode, sdk, catalogue] = [node, { Client: client.Client, StdioClientTransport: stdio.StdioClientTransport }, cat.catalogue];
    work = mkdtempSync(join(tmpdir(), 'mcpb-'));
    const out = join(work, 'celigo-manage.mcpb');
    const packed = run(['scripts/pack-mcpb.mjs', '--out', out, '--quiet']);
    expect(packed.stderr, packed.stdout).toMatch(/pack-mcpb: .*celigo-manage\.mcpb \(\d+ kB\)/);
    unpacked = join(work, 'installed');
    const u = run([MCPB_CLI, 'unpack', out, unpacked]);
    expect(u.status, u.stdout + u.stderr).toBe(0);
    manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8'));
    emu = await emulator.startEmulator({ port: 0, seed: 'demo', quiet: true });
  }, 120_000);

  afterAll(async () => {
    await emu?.close();
  });

  /** Starts the unpacked server as an MCPB host does, with this user configuration. */
  async function startAsHost(userConfig: Record<string, string | boolean>, extraEnv: Record<string, string> = {}) {
    const home = mkdtempSync(join(work, 'home-'));
    const config = await mcpbNode.getMcpConfigForManifest({ manifest, extensionPath: unpacked, systemDirs: { HOME: home }, userConfig, pathSeparator: sep });
    if (!config) throw new Error('the host would not start the server: required configuration missing');
    const cwd = join(work, 'cwd');
    mkdirSync(cwd, { recursive: true });
    const transport = new sdk.StdioClientTransport({
      // "node" is the host's own Node (Claude Desktop ships one); here, the Node running the tests.
      command: config.command === 'node' ? process.execPath : config.command,
      args: config.args,
      cwd,
      stderr: 'pipe',
      env: { PATH: process.env.PATH ?? '', HOME: home, TMPDIR: tmpdir(), ...config.env, ...extraEnv },
    });
    let logs = '';
    const stderr = new PassThrough();
    stderr.on('data', (d) => (logs += d));
    transport.stderr?.pipe(stderr);
    const client = new sdk.Client({ name: 'mcpb-host-test', version: '1.0.0' });
    await client.connect(transport);
    // Every frame the server writes to stdout after the handshake, to look for the token in.
    const frames: string[] = [];
    const deliver = transport.onmessage!;
    transport.onmessage = (m) => {
      frames.push(JSON.stringify(m));
      deliver(m);
    };
    return { client, config, pid: transport.pid!, logs: () => logs, frames };
  }

  it('passes `mcpb validate`, as written in mcpb/ and as packed', () => {
    for (const file of [join(root, 'mcpb', 'manifest.json'), join(unpacked, 'manifest.json')]) {
      const r = run([MCPB_CLI, 'validate', file]);
      expect(r.stdout + r.stderr).toContain('Manifest schema validation passes!');
      expect(r.status).toBe(0);
    }
  });

  it("carries package.json's version, the catalogue's tools and only the runtime files", () => {
    expect(source.version).toBe(pkg.version);
    expect(manifest.version).toBe(pkg.version);
    expect(manifest.$schema).toBeUndefined();
    expect(manifest.tools.map((t: any) => t.name)).toEqual(catalogue().map((t) => t.name));
    const files = filesOf(unpacked);
    const optional = ['README.md', 'LICENSE'].filter((f) => existsSync(join(root, f)));
    expect(files).toEqual([...RUNTIME, ...optional].sort());
    expect(JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8'))).toMatchObject({ type: 'module', version: pkg.version });
  });

  it('takes the token only through the environment; every optional setting has a default', () => {
    const uc = manifest.user_config;
    expect(Object.keys(uc).sort()).toEqual(['api_token', 'read_only', 'region', 'toolsets']);
    expect(uc.api_token).toMatchObject({ type: 'string', sensitive: true, required: true });
    expect(uc.read_only).toMatchObject({ type: 'boolean', default: false });
    expect(uc.region).toMatchObject({ type: 'string', default: 'na' });
    expect(JSON.stringify(manifest.server.mcp_config.args)).not.toContain('user_config');
    expect(manifest.server.mcp_config.env.CELIGO_API_TOKEN).toBe('${user_config.api_token}');
    // A reference the host cannot fill stays in the text as it is (${user_config.x}): each one must be
    // required or have a default.
    const refs = [...JSON.stringify(manifest.server.mcp_config).matchAll(/\$\{user_config\.([^}]+)\}/g)].map((m) => m[1]);
    for (const key of refs) expect(uc[key]?.required === true || uc[key]?.default !== undefined, key).toBe(true);
    expect(mcpbNode.hasRequiredConfigMissing({ manifest, userConfig: {} })).toBe(true);
    expect(mcpbNode.hasRequiredConfigMissing({ manifest, userConfig: { api_token: DEMO_TOKEN } })).toBe(false);
  });

  it('started as the host starts it: the default tools, a call that reaches the account, no token in any output', async () => {
    const s = await startAsHost({ api_token: DEMO_TOKEN }, { CELIGO_BASE_URL: emu.baseUrl });
    try {
      expect(s.config.env).toMatchObject({ CELIGO_API_TOKEN: DEMO_TOKEN, CELIGO_REGION: 'na', CELIGO_MANAGE_READ_ONLY: 'false', CELIGO_MANAGE_TOOLSETS: 'default' });
      const names = (await s.client.listTools()).tools.map((t) => t.name);
      expect(names.length).toBeGreaterThan(20);
      expect(names).toEqual(expect.arrayContaining(['list_integrations', 'daily_health_check', 'clear_errors', 'restore_backup']));
      expect(names).not.toContain('get_export');
      const r: any = await s.client.callTool({ name: 'list_integrations', arguments: {} });
      expect(r.isError).toBeFalsy();
      expect(r.structuredContent.total).toBeGreaterThan(0);
      await expect.poll(s.logs).toMatch(new RegExp(`serving ${names.length} tools, account default on stdio`));
      expect(s.frames.join('\n') + s.logs()).not.toContain(DEMO_TOKEN);
    } finally {
      await s.client.close();
    }
    await expect.poll(() => gone(s.pid), { timeout: 5000 }).toBe(true);
  });

  it('read-only on and two toolsets: only their read tools, and a write tool says why it is not served', async () => {
    const s = await startAsHost({ api_token: DEMO_TOKEN, read_only: true, toolsets: 'flows, jobs' }, { CELIGO_BASE_URL: emu.baseUrl });
    try {
      expect(s.config.env!.CELIGO_MANAGE_READ_ONLY).toBe('true');
      const tools = (await s.client.listTools()).tools;
      const expected = catalogue().filter((t) => ['flows', 'jobs'].includes(t.toolset) && t.annotations.readOnlyHint).map((t) => t.name);
      expect(tools.map((t) => t.name).sort()).toEqual(expected.sort());
      for (const t of tools) expect(t.annotations?.readOnlyHint, t.name).toBe(true);
      const r: any = await s.client.callTool({ name: 'trigger_flow_run', arguments: { flow: 'anything' } });
      expect(r.content[0].text).toMatch(/runs read-only/);
      await expect.poll(s.logs).toMatch(/account default, read-only on stdio/);
      expect(s.frames.join('\n') + s.logs()).not.toContain(DEMO_TOKEN);
    } finally {
      await s.client.close();
    }
  });

  it.each([
    ['left empty', { region: '', toolsets: '' }],
    ['set to EU, in capitals', { region: 'EU', toolsets: 'default' }],
  ])('starts with the region and toolsets %s', async (_what, settings) => {
    // No base URL: the server starts without calling the API, so tools/list needs no network.
    const s = await startAsHost({ api_token: DEMO_TOKEN, ...settings });
    try {
      const names = (await s.client.listTools()).tools.map((t) => t.name);
      expect(names.length).toBeGreaterThan(20);
      expect(names).toContain('clear_errors');
    } finally {
      await s.client.close();
    }
  });
});
