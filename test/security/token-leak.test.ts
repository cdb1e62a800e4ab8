// One broad scenario with a distinctive, real-looking API token in CELIGO_API_TOKEN and a profile that
// points at the emulator (through a proxy that accepts only that token): CLI commands (mutating ones
// with --yes), MCP tool calls over HTTP and over a spawned stdio process (errors included), backups and
// restores, the demo account, and a wrong-token run. Every stdout, stderr, log line, file under
// CELIGO_MANAGE_HOME and tool snapshot is searched for the token, in the clear, base64, URL-encoded or hex.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { CeligoClient } from '../../src/core/client.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { runMcp } from '../../src/mcp/main.js';
import { catalogue } from '../../src/operations/catalogue.js';
import { connectHttp, textOf } from '../helpers/mcp.js';
import { run } from '../helpers/cli.js';
import { cleanEnv, tempDir, tokenForms, tokenIn } from '../fuzz/helpers.js';
import { REAL_LOOKING_TOKEN as TOKEN, callConfirming, demoRefs, tokenProxy, toolArgs, type Refs } from '../helpers/security.js';

const root = join(import.meta.dirname, '..', '..');
const built = existsSync(join(root, 'dist', 'cli', 'main.js'));

/** Everything the run printed or logged, with where it came from. */
const captured: { where: string; text: string }[] = [];
function keep(where: string, text: string): void {
  if (text) captured.push({ where, text });
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

let emu: RunningEmulator;
let proxy: Awaited<ReturnType<typeof tokenProxy>>;
let home: string;
let env: NodeJS.ProcessEnv;
let refs: Refs;
const restoreWrites: (() => void)[] = [];

beforeAll(async () => {
  expect(tokenForms(TOKEN).length).toBeGreaterThan(4);
  // Whatever anything writes to this process's own stdout/stderr during the run is kept too.
  for (const [name, stream] of [['process.stdout', process.stdout], ['process.stderr', process.stderr]] as const) {
    const orig = stream.write.bind(stream);
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      keep(name, typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return (orig as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
    restoreWrites.push(() => (stream.write = orig as typeof stream.write));
  }
  emu = await startEmulator({ port: 0, seed: 'demo', quiet: true, rateLimit: false });
  proxy = await tokenProxy(emu.url, TOKEN);
  home = tempDir('cm-sec-leak-');
  env = { CELIGO_MANAGE_HOME: home, CELIGO_API_TOKEN: TOKEN };
  const add = await run(['profiles', 'add', 'emu', '--base-url', proxy.baseUrl, '--use'], { env, input: '' });
  expect(add.code, add.stderr).toBe(0);
  refs = await demoRefs(new CeligoClient({ baseUrl: proxy.baseUrl, token: TOKEN }), emu.clock.now());
}, 60_000);

afterAll(async () => {
  for (const r of restoreWrites) r();
  await proxy?.close();
  await emu?.close();
});

async function cli(argv: string[], o: { tty?: boolean; input?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = await run(argv, { env: o.env ?? env, input: o.input ?? '', tty: o.tty });
  keep(`cli ${argv.join(' ')} (stdout)`, r.stdout);
  keep(`cli ${argv.join(' ')} (stderr)`, r.stderr);
  return r;
}

describe('the detector', () => {
  it('finds the token in the clear, base64 (any alignment, both alphabets), URL-encoded and hex', () => {
    for (const pad of ['', 'a', 'ab', 'Bearer ']) {
      const b64 = Buffer.from(pad + TOKEN).toString('base64');
      expect(tokenIn(`x ${b64} y`, TOKEN), pad).toBeDefined();
      expect(tokenIn(b64.replace(/\+/g, '-').replace(/\//g, '_'), TOKEN), pad).toBeDefined();
    }
    expect(tokenIn(encodeURIComponent(`a=${TOKEN}`), TOKEN)).toBeDefined();
    expect(tokenIn(Buffer.from(TOKEN).toString('hex'), TOKEN)).toBeDefined();
    expect(tokenIn('nothing here', TOKEN)).toBeUndefined();
  });
});

describe('the API token never leaks', () => {
  it('CLI: reads, changes with --yes, errors, backups and restores, on the profile and on --demo', async () => {
    const cfg = join(home, 'conn.json');
    writeFileSync(cfg, JSON.stringify({ http: { baseURI: 'https://x.example', auth: { type: 'basic', basic: { username: 'u', password: 'p-secret' } } } }));
    const reads = [
      ['profiles', 'list'],
      ['integrations', 'list'],
      ['integrations', 'get', refs.integration],
      ['flows', 'list'],
      ['flows', 'get', refs.flow],
      ['connections', 'list'],
      ['connections', 'get', refs.connection],
      ['connections', 'test', refs.connection],
      ['connections', 'test', 'Salesforce - Integration User'],
      ['jobs', 'list'],
      ['jobs', 'get', refs.job],
      ['errors', 'list', '--flow', refs.flowWithErrors],
      ['exports', 'list'],
      ['imports', 'list'],
      ['tags', 'list'],
      ['health', '--html', join(home, 'health.html')],
      ['troubleshoot', '--flow', refs.flowWithErrors],
      ['mapping', 'show', refs.mappingFlow],
      ['api', 'GET', '/tokenInfo'],
      ['api', 'GET', '/connections'],
      ['api', 'GET', '/nope'],
      ['api', 'POST', '/integrations', '--data', '{bad json'],
      ['flows', 'get', 'no such flow'],
      ['completion', 'bash'],
    ];
    const changes = [
      ['integrations', 'create', 'Leak test'],
      ['integrations', 'tag', refs.integration, 'leak-test'],
      ['flows', 'update', refs.flow, '--schedule', '? 0 5 ? * *'],
      ['flows', 'disable', refs.flow],
      ['flows', 'enable', refs.flow],
      ['flows', 'run', refs.flow],
      ['connections', 'create', 'Leak conn', '--type', 'http', '--config', cfg, '--no-test'],
      ['errors', 'retry', '--flow', refs.flowWithErrors],
      ['errors', 'clear', '--flow', refs.flowWithErrors, '--pattern', 'timeout'],
      ['jobs', 'retry', refs.failedJob],
      ['mapping', 'update', refs.mappingFlow, '--add', 'Description=Email'],
      ['exports', 'run', refs.export, '--no-wait'],
    ];
    let ok = 0;
    for (const argv of reads) for (const tty of [false, true]) ok += (await cli(argv, { tty })).code === 0 ? 1 : 0;
    // The profile really reaches the account with this token (most reads succeed).
    expect(ok).toBeGreaterThan(reads.length);
    for (const argv of reads.slice(0, 8)) await cli([...argv, '--json']);
    for (const argv of changes) await cli(['--yes', ...argv]);
    const list = await cli(['backups', 'list', '--json']);
    const parsed = JSON.parse(list.stdout) as { id: string }[] | { backups: { id: string }[] };
    const ids = (Array.isArray(parsed) ? parsed : parsed.backups).map((b) => b.id);
    expect(ids.length).toBeGreaterThan(3);
    for (const id of ids.slice(0, 4)) {
      await cli(['backups', 'diff', id]);
      await cli(['--yes', 'backups', 'restore', id, '--force']);
    }
    await cli(['--demo', 'health']);
    await cli(['--demo', '--yes', 'flows', 'disable', refs.flow]);
    // A token the API refuses: straight at the emulator, which does not know it (401).
    const refused = await cli(['flows', 'list'], { env: { ...env, CELIGO_BASE_URL: emu.baseUrl } });
    expect(refused.code).toBe(4);
    await cli(['--json', 'integrations', 'list'], { env: { ...env, CELIGO_BASE_URL: emu.baseUrl } });
  }, 120_000);

  it('MCP over HTTP: every tool of the catalogue, errors, confirmations, backups and restores', async () => {
    const logs: string[] = [];
    const mcp = await runMcp({ http: true, port: 0, toolsets: ['all'], env: cleanEnv(env as Record<string, string>), log: (l) => logs.push(l) });
    try {
      const c = await connectHttp(mcp.url!, { era: 'legacy' });
      try {
        const args = toolArgs(refs);
        const list = await c.client.callTool({ name: 'list_backups', arguments: {} });
        const backupId = /bk-[A-Za-z0-9_-]+/.exec(textOf(list))?.[0];
        args.diff_backup = { id: backupId! };
        args.restore_backup = { id: backupId!, force: true };
        for (const t of catalogue()) {
          const r = await callConfirming(c.client, t.name, args[t.name]!);
          keep(`mcp ${t.name}`, r.text);
          if (t.annotations.readOnlyHint) expect(r.isError, `${t.name}: ${r.text.slice(0, 300)}`).toBe(false);
        }
        for (const [name, a] of [
          ['get_flow', { flow: 'no such flow' }],
          ['get_job', { job: '000000000000000000000000' }],
          ['diff_backup', { id: '../../profiles' }],
          ['get_integration', { integration: TOKEN }],
        ] as const) {
          const r = await callConfirming(c.client, name, a);
          keep(`mcp ${name} error`, r.text);
        }
      } finally {
        await c.close();
      }
    } finally {
      await mcp.close();
    }
    // The same server with a token the API refuses.
    const bad = await runMcp({ http: true, port: 0, env: cleanEnv({ ...(env as Record<string, string>), CELIGO_BASE_URL: emu.baseUrl }), log: (l) => logs.push(l) });
    try {
      const c = await connectHttp(bad.url!, { era: 'modern' });
      const r = await c.client.callTool({ name: 'list_flows', arguments: {} });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/401|token/i);
      keep('mcp 401', textOf(r));
      await c.close();
    } finally {
      await bad.close();
    }
    for (const l of logs) keep('mcp log', l);
  }, 120_000);

  it.skipIf(!built)('MCP over stdio: the spawned bin, its stdout frames and its stderr', async () => {
    let stderr = '';
    let frames = '';
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [join(root, 'bin', 'celigo-manage.js'), 'mcp', '--toolsets', 'all'],
      cwd: root,
      stderr: 'pipe',
      env: cleanEnv(env as Record<string, string>) as Record<string, string>,
    });
    const err = new PassThrough();
    err.on('data', (d) => (stderr += d));
    transport.stderr?.pipe(err);
    const client = new Client({ name: 'leak', version: '1' });
    await client.connect(transport);
    const origOnMessage = transport.onmessage as ((m: unknown) => void) | undefined;
    transport.onmessage = (m: unknown) => {
      frames += JSON.stringify(m) + '\n';
      origOnMessage?.(m);
    };
    try {
      for (const [name, a] of [
        ['list_connections', {}],
        ['test_connection', { connection: refs.connection }],
        ['get_flow', { flow: 'no such flow' }],
        ['update_flow', { flow: refs.flow, schedule: '? 0 6 ? * *' }],
        ['list_backups', {}],
      ] as const) {
        const r = await callConfirming(client, name, a);
        keep(`stdio ${name}`, r.text);
      }
    } finally {
      await client.close();
    }
    await new Promise((r) => setTimeout(r, 200));
    keep('stdio frames', frames);
    keep('stdio stderr', stderr);
    expect(frames.length).toBeGreaterThan(100);
  }, 60_000);

  it('is in none of the captured output, logs, files under CELIGO_MANAGE_HOME, or tool snapshots', () => {
    const home_files = filesUnder(home);
    expect(home_files.some((f) => f.includes(`${join('backups', '')}`))).toBe(true);
    expect(home_files.some((f) => f.endsWith('health.html'))).toBe(true);
    const snapshots = [...filesUnder(join(root, 'test', '__toolsnaps__')), ...filesUnder(join(root, 'test', 'cli', '__snapshots__'))];
    const sources = [
      ...captured,
      ...[...home_files, ...snapshots].map((f) => ({ where: f, text: readFileSync(f).toString('utf8') + readFileSync(f).toString('latin1') })),
    ];
    expect(captured.length).toBeGreaterThan(100);
    const leaks = sources.filter((s) => tokenIn(s.text, TOKEN)).map((s) => `${s.where}: ${tokenIn(s.text, TOKEN)}`);
    expect(leaks).toEqual([]);
    // The token only ever travelled in the Authorization header: no URL or body the API saw holds it.
    expect(proxy.seen.length).toBeGreaterThan(100);
    expect(proxy.seen.filter((s) => tokenIn(s.url + s.body, TOKEN))).toEqual([]);
  });
});
