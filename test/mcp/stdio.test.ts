// A real child process speaking MCP on stdio: stdout carries only protocol frames, logs go to stderr,
// and the process exits when the client closes stdin.
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { ERAS, MODERN, textOf, type Era } from '../helpers/mcp.js';

const root = join(import.meta.dirname, '..', '..');
const viteNode = join(root, 'node_modules', 'vite-node', 'vite-node.mjs');
const bin = join(root, 'bin', 'celigo-manage.js');
const built = existsSync(join(root, 'dist', 'mcp', 'main.js'));

function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

async function spawnClient(era: Era, args: string[], env: Record<string, string> = {}) {
  const stderr = new PassThrough();
  let logs = '';
  stderr.on('data', (d) => (logs += d));
  const transport = new StdioClientTransport({
    command: process.execPath,
    args,
    cwd: root,
    stderr: 'pipe',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TMPDIR: tmpdir(), CELIGO_MANAGE_HOME: join(root, 'test/.artifacts/mcp-home'), ...env },
  });
  transport.stderr?.pipe(stderr);
  const client = new Client(
    { name: 'stdio-test', version: '1.0.0' },
    { versionNegotiation: { mode: era === 'modern' ? { pin: MODERN } : 'legacy' } },
  );
  await client.connect(transport);
  return { client, transport, logs: () => logs };
}

describe.each(ERAS)('spawned stdio server, %s revision', (era) => {
  it('lists and calls tools, logs only to stderr, exits when stdin closes', async () => {
    const { client, transport, logs } = await spawnClient(era, [viteNode, 'test/mcp/stdio-launcher.ts']);
    const pid = transport.pid!;
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe(era === 'modern' ? MODERN : '2025-11-25');
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toContain('echo');
      expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'stdio' } }))).toBe('stdio');
      const confirm = await client.callTool({ name: 'delete_thing', arguments: { id: 's1' } });
      const token = /confirm: "([^"]+)"/.exec(textOf(confirm))?.[1];
      expect(textOf(await client.callTool({ name: 'delete_thing', arguments: { id: 's1', confirm: token } }))).toBe('deleted s1');
      await expect.poll(logs).toMatch(/launcher: serving fixture tools on stdio/);
    } finally {
      await client.close();
    }
    await expect.poll(() => gone(pid), { timeout: 5000 }).toBe(true);
  }, 30_000);
});

describe.skipIf(!built)('the celigo-manage bin (dist/ built)', () => {
  it('serves the read-only catalogue on the demo account, without fixtures unless asked', async () => {
    const { client, transport, logs } = await spawnClient('modern', [bin, 'mcp', '--demo', '--read-only']);
    const pid = transport.pid!;
    try {
      const tools = (await client.listTools()).tools;
      expect(tools.length).toBeGreaterThan(0);
      for (const t of tools) expect(t.annotations?.readOnlyHint).toBe(true);
      expect(tools.map((t) => t.name)).not.toContain('test_simple_text');
      await expect.poll(logs).toMatch(/celigo-manage mcp: serving \d+ tools, account demo, read-only on stdio/);
    } finally {
      await client.close();
    }
    // stdin closed: the server stops the in-process emulator too, so the process exits.
    await expect.poll(() => gone(pid), { timeout: 5000 }).toBe(true);
  }, 30_000);

  it('registers the conformance fixtures only with CELIGO_MANAGE_CONFORMANCE=1', async () => {
    const { client } = await spawnClient('legacy', [bin, 'mcp', '--demo', '--tools', 'list_integrations'], { CELIGO_MANAGE_CONFORMANCE: '1' });
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toContain('list_integrations');
      expect(names).toContain('test_simple_text');
      expect((await client.listResources()).resources.map((r) => r.uri)).toContain('test://static-text');
    } finally {
      await client.close();
    }
  }, 30_000);
});
