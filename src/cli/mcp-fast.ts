// `celigo-manage mcp …` without commander: the MCP server's start-up is benchmarked against a bare SDK
// server, and loading the whole command table costs it tens of milliseconds. Only plain invocations take
// this path; anything it does not recognise (help, unknown flags, bad values) returns undefined and goes
// through the full parser, which owns the error messages. The flags are those of commands/servers.ts.
import { parseArgs } from 'node:util';
import type { CliIO } from './io.js';
import { GLOBAL_FLAGS, longFlag } from './globals.js';

const MCP_GLOBALS = Object.fromEntries(
  GLOBAL_FLAGS.filter((g) => g.mcp).map((g) => [longFlag(g).slice(2), { type: g.value ? 'string' : 'boolean' }] as const),
) as Record<'demo' | 'read-only', { type: 'boolean' }> & Record<'profile' | 'record', { type: 'string' }>;

const OPTIONS = {
  http: { type: 'boolean' },
  port: { type: 'string' },
  host: { type: 'string' },
  toolsets: { type: 'string' },
  tools: { type: 'string' },
  'exclude-tools': { type: 'string' },
  // The global flags `mcp` accepts (cli/globals.ts): --demo, --profile, --read-only, --record.
  ...MCP_GLOBALS,
} as const;

const list = (v: string | undefined) => (v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter(Boolean));

/** Runs the server and resolves with the exit code, or undefined when the full CLI should handle argv. */
export async function runMcpFast(argv: readonly string[], io: Partial<CliIO> | undefined): Promise<number | undefined> {
  if (io || argv[0] !== 'mcp') return undefined;
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv.slice(1), options: OPTIONS, strict: true, allowPositionals: false }));
  } catch {
    return undefined;
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) return undefined;
  const [{ runMcp }, { CeligoApiError, MissingTokenError, describeError }] = await Promise.all([import('../mcp/main.js'), import('../core/errors.js')]);
  try {
    const server = await runMcp({
      http: !!values.http,
      port,
      host: values.host as string | undefined,
      demo: !!values.demo,
      profile: values.profile as string | undefined,
      readOnly: values['read-only'] ? true : undefined,
      record: values.record as string | undefined,
      toolsets: list(values.toolsets as string | undefined),
      tools: list(values.tools as string | undefined),
      excludeTools: list(values['exclude-tools'] as string | undefined),
    });
    await server.closed;
    return 0;
  } catch (err) {
    process.stderr.write(`Error: ${describeError(err)}\n`);
    // As every other command (program.ts EXIT.auth): no token, or one the API refuses, exits 4.
    return err instanceof MissingTokenError || (err instanceof CeligoApiError && (err.status === 401 || err.status === 403)) ? 4 : 1;
  }
}
