// Connections: list, show (secrets left out), test, and create (then test). A connection's settings come
// to `connections create` from a file and --set pairs, read at the terminal (src/cli/commands/connections-exports.ts).
import { z } from 'zod';
import { CONNECTION_FIELDS, getConnection, listConnections, testConnection } from '../ops/read/connections.js';
import type { ConnectionCreated } from '../ops/changes.js';
import { CONNECTION_TYPES } from '../core/schemas.js';
import { idOrName } from './args.js';
import { json, listArgs, listResult, objectResult, READ } from './format.js';
import { defineOperation, entry, type Colors, type Operation, type Terminal } from './types.js';


/** The --limit flag of a list command (limit is the page size of the tool). */
export const LIMIT_FLAG = { flags: '--limit <n>', description: 'Show at most N rows (default: 50 on a terminal, all when piped or with --json)' };
/** List arguments a terminal does not take: --json picks the fields and --limit the rows. */
export const MCP_ONLY = { hidden: true } as const;

/** The object without the given keys (a key it does not have is fine). */
export function omit<T extends object, K extends string>(r: T, keys: readonly K[]): Omit<T, K> {
  const copy = { ...r };
  for (const k of keys) Reflect.deleteProperty(copy, k);
  return copy;
}

/** The result without its verdict and next steps (the exit code, isError and the Next section say those). */
export const withoutVerdict = <T extends object>(r: T) => omit(r, ['outcome', 'next']);

/** A one-line headline over the object (or, with --json, the object alone). */
export function headed(t: Terminal, head: (c: Colors) => string, value: Record<string, unknown>): void {
  if (!t.jsonMode) t.print(`${head(t.c)}\n\n`);
  t.object(value);
}

const connection = { connection: idOrName('Connection') };
const CONNECTION_ARG = { connection: { description: 'Connection id or name' } };

const createConnection = entry(defineOperation({
  name: 'create_connection',
  toolset: 'connections',
  title: 'Create a connection',
  description: 'Create a connection and test it.',
  input: {
    name: z.string().describe('Name, e.g. "Zendesk Production"'),
    type: z.enum(CONNECTION_TYPES).describe('Connection type'),
    config: z.record(z.string(), z.unknown()).optional().describe('Settings under the type, e.g. {"http":{"baseURI":"https://x.zendesk.com"}}'),
    test: z.boolean().optional().describe('Test it once created (default true)'),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  cli: {
    noun: 'connections',
    verb: 'create',
    summary: 'Create a connection, then test it',
    args: ['name'],
    flags: {
      name: { description: 'Name of the new connection' },
      type: { description: 'Connection type: http, netsuite, salesforce, ftp, s3, rdbms, …' },
      config: MCP_ONLY,
      test: { flags: '--no-test', description: 'Do not test after creating' },
    },
    // Read into `config` before the command runs (src/cli/commands/connections-exports.ts).
    terminalFlags: [
      { flags: '--set <key=value>', description: 'A setting; dotted keys nest (http.baseURI=https://api.example.com); repeatable' },
      { flags: '--config <file>', description: 'Settings as a JSON file ("-" reads stdin); put secrets here, never on the command line' },
    ],
    examples: [
      'connections create "Orders API" --type http --set http.baseURI=https://api.example.com --set http.mediaType=json',
      'connections create "FTP drop" --type ftp --config ftp.json',
    ],
  },
  run: async (ctx, a): Promise<ConnectionCreated> => (await import('../ops/changes.js')).createConnection(ctx, a),
  forModel: (r) => {
    const shown = withoutVerdict(r);
    return { text: `${r.healthy === false ? 'Created, but the test FAILED.' : 'Created.'}\n${json(shown)}`, structured: shown };
  },
  forTerminal: (r, t) =>
    headed(
      t,
      (c) => (r.healthy === false ? `${c.yellow('!')} Created connection "${r.name}" (${r.id}), but the test FAILED: ${r.error}` : `${c.green('✓')} Created connection "${r.name}" (${r.id}).`),
      withoutVerdict(r),
    ),
}));

export const connectionOperations: Operation[] = [
  entry(defineOperation({
    name: 'list_connections',
    toolset: 'connections',
    title: 'List connections',
    description: 'Connections with type and online state.',
    input: {
      type: z.enum(CONNECTION_TYPES).optional().describe('Only this type'),
      name: z.string().optional().describe('Name contains, e.g. "netsuite"'),
      ...listArgs(),
    },
    annotations: READ,
    cli: {
      noun: 'connections',
      verb: 'list',
      summary: 'List connections and whether they are online',
      flags: {
        type: { description: 'Only this type (http, netsuite, salesforce, ftp, …)' },
        name: { flags: '--name <text>', description: 'Only names containing this text' },
        limit: LIMIT_FLAG,
        fields: MCP_ONLY,
        cursor: MCP_ONLY,
      },
      examples: ['connections list', 'connections list --type http', 'connections list --json id,name,status'],
    },
    run: (ctx, a) => listConnections(ctx, { type: a.type, name: a.name }),
    forModel: (rows, a) => listResult('connections', rows, a, CONNECTION_FIELDS),
    forTerminal: (rows, t, a) => t.list(rows, { noun: 'connections', fields: CONNECTION_FIELDS, columns: ['id', 'name', 'type', 'status'], limit: a.limit }),
  })),
  entry(defineOperation({
    name: 'get_connection',
    // Opt-in (select.ts OPT_IN_TOOLS): served by --toolsets connections or all, not by default.
    toolset: 'connections',
    title: 'Get a connection',
    description: 'One connection\'s settings and online status; secrets are left out.',
    input: connection,
    annotations: READ,
    cli: {
      noun: 'connections',
      verb: 'get',
      summary: 'Show a connection (secrets are never shown)',
      args: ['connection'],
      flags: CONNECTION_ARG,
      examples: ['connections get "NetSuite Production"', 'connections get "Shopify - acme-store" --json'],
    },
    run: (ctx, a) => getConnection(ctx, a.connection),
    forModel: (r) => objectResult(`Connection ${JSON.stringify(r.name)} (${r.id}):`, r),
  })),
  entry(defineOperation({
    name: 'test_connection',
    toolset: 'connections',
    title: 'Test a connection',
    description: 'Ping a connection: ok, or the remote error (e.g. 401), and latency.',
    input: connection,
    annotations: READ,
    cli: {
      noun: 'connections',
      verb: 'test',
      summary: 'Test a connection (exit 1 when it fails)',
      args: ['connection'],
      flags: CONNECTION_ARG,
      examples: ['connections test "NetSuite Production"', 'connections test "Shopify - acme-store" --json healthy,latencyMs'],
    },
    run: (ctx, a) => testConnection(ctx, a.connection),
    forModel: (r) => {
      const shown = withoutVerdict(r);
      return { text: `${r.healthy ? 'Healthy' : 'UNHEALTHY'}: ${json(shown)}`, structured: shown };
    },
    forTerminal: (r, t) =>
      headed(t, (c) => (r.healthy ? `${c.green('✓')} ${r.name} is healthy (${r.latencyMs} ms).` : `${c.red('✗')} ${r.name} failed the test: ${r.error ?? 'unknown error'}${r.fix ? `\n  ${r.fix}` : ''}`), withoutVerdict(r)),
  })),
  createConnection,
];
