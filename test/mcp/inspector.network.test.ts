// A real MCP client over stdio: the MCP Inspector's CLI mode against `celigo-manage mcp --demo`
// (design.md §6). Needs the npm registry for npx, so it runs in `npm run test:conformance` (vitest.network.config.ts).
import { describe, it, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/celigo-manage.js', import.meta.url));
const INSPECTOR = '@modelcontextprotocol/inspector@2.12.0';

function inspector(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['-y', INSPECTOR, '--cli', '--format', 'json', '-q', process.execPath, bin, 'mcp', '--demo', ...args],
      { timeout: 240_000, maxBuffer: 8 * 1024 * 1024, env: { ...process.env, npm_config_loglevel: 'error' } },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('MCP Inspector CLI smoke test', () => {
  it('lists the tools, calls one, and gets exit code 5 for a tool error', async () => {
    const list = await inspector(['--method', 'tools/list']);
    expect(list.code, list.stderr).toBe(0);
    const names = (JSON.parse(list.stdout) as { result: { tools: { name: string }[] } }).result.tools.map((t) => t.name);
    expect(names).toContain('list_integrations');
    expect(names).toContain('clear_errors');

    const call = await inspector(['--method', 'tools/call', '--tool-name', 'list_flows', '--tool-args-json', '{"limit":3}']);
    expect(call.code, call.stderr).toBe(0);
    const text = (JSON.parse(call.stdout) as { result: { content: { text: string }[] } }).result.content[0].text;
    expect(text).toMatch(/^Showing 3 of \d+ flows/);

    const bad = await inspector(['--method', 'tools/call', '--tool-name', 'get_flow', '--tool-args-json', '{"flow":"no such flow"}']);
    expect(bad.code).toBe(5);
  }, 600_000);
});
