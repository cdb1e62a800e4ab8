// One server factory for every transport and both protocol revisions (2025-11-25 and 2026-07-28):
// serveStdio, createMcpHandler and the sessionful 2025 HTTP leg all call it for fresh instances.
import { VERSION } from '../version.js';
import { McpServer, type ServerCapabilities } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { CeligoClient } from '../core/client.js';
import type { PromptDef } from '../operations/prompts.js';
import type { ToolDef } from '../operations/tool.js';
import { DEFAULT_LIST_CACHE_MS, ReadCache } from '../core/shared-reads.js';
import { requestStateCodec } from './confirm.js';
import { explainWithheld, registerTools, type RegisterDeps } from './register.js';
import { oneLine } from './stdio.js';
import { latestAppPage } from './app-pages.js';

/** Registers test-only surface (conformance fixtures) on a fresh instance. */
export type FixtureInstaller = (server: McpServer) => void;

export interface ServerFactoryOptions {
  api: CeligoClient;
  tools: readonly ToolDef[];
  prompts?: readonly PromptDef[];
  /** Conformance fixtures; only ever passed when CELIGO_MANAGE_CONFORMANCE=1 or `fixtures: true`. */
  fixtures?: FixtureInstaller;
  /** Never echoed to a client (API token, HTTP bearer). */
  secrets?: string[];
  log?: (line: string) => void;
  now?: () => Date;
  home?: string;
  /** The shared store of backups and the change log (CELIGO_MANAGE_DATABASE_URL); absent: files under `home`. */
  store?: RegisterDeps['store'];
  production?: boolean;
  /** The time zone time phrases are read in (app/session.ts). */
  timeZone?: RegisterDeps['timeZone'];
  /** Other accounts of the session by profile name (a promotion's other side). */
  accounts?: RegisterDeps['accounts'];
  /** The server's environment (a secret named by its variable is read there). */
  env?: NodeJS.ProcessEnv;
  /** Extra line for the instructions, e.g. which account this server talks to. */
  label?: string;
  /**
   * Every tool of the catalogue, served or not: text naming one that is not served is left out, and a
   * call to one is answered with why it is not served (default: the served tools, nothing withheld).
   */
  known?: readonly string[];
  /** Why tools of the catalogue are not served here, e.g. read-only mode (see withheldCall). */
  withheldReason?: (tool: string) => string;
  /** Test hooks: how long a call follows a job before answering pending, and how polling ops sleep. */
  followForMs?: RegisterDeps['followForMs'];
  sleep?: RegisterDeps['sleep'];
  /**
   * How long each instance (one per session: stdio's connection, a 2025-era HTTP session; a stateless
   * 2026-07-28 HTTP request is an instance of its own) reuses a resource list it read, in ms; 0 turns it
   * off (default DEFAULT_LIST_CACHE_MS; runMcp passes CELIGO_MANAGE_LIST_CACHE_MS). core/shared-reads.ts.
   */
  listCacheMs?: number;
}

function instructions(label?: string): string {
  return [
    'Operate a Celigo integrator.io account' + (label ? ` (${label})` : '') + '.',
    'Every id argument also accepts a name (case-insensitive). List tools return structuredContent {total, truncated, nextCursor?, rows}: the rows of the text; page with cursor.',
    'Destructive tools ask for confirmation: by a form when the client supports it, otherwise they return a plan',
    'and a token; call the same tool again with the same arguments plus confirm: "<token>" to proceed.',
  ].join(' ');
}

function registerPrompt(server: McpServer, p: PromptDef, serves: (tool: string) => boolean, known: readonly string[]): void {
  const shape: Record<string, z.ZodType<string | undefined>> = {};
  for (const a of p.args) shape[a.name] = a.required ? z.string().describe(a.description) : z.string().optional().describe(a.description);
  server.registerPrompt(
    p.name,
    { title: p.title, description: p.description, argsSchema: z.object(shape) },
    async (args: Record<string, string | undefined>) => ({
      messages: [{ role: 'user' as const, content: { type: 'text' as const, text: p.render(args ?? {}, serves, known) } }],
    }),
  );
}

/** MCP Apps: the tool's latest result as a self-contained HTML page (text/html;profile=mcp-app). */
function registerApp(server: McpServer, tool: ToolDef, latest: Map<string, string>): void {
  const app = tool.app!;
  server.registerResource(
    `${tool.name}_app`,
    app.uri,
    { title: app.title, description: `Latest result of ${tool.name} as a page`, mimeType: 'text/html;profile=mcp-app' },
    async (uri: URL) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: 'text/html;profile=mcp-app',
          text:
            latestAppPage(latest, app.uri) ??
            `<!doctype html><meta charset="utf-8"><title>${app.title}</title><p>No result yet: call ${tool.name} first.</p>`,
        },
      ],
    }),
  );
}

export function createServerFactory(o: ServerFactoryOptions): () => McpServer {
  // Shared by every instance of this factory: each person's latest view of each MCP App tool (keepAppPage).
  const appHtml = new Map<string, string>();
  const deps: RegisterDeps = { api: o.api, secrets: o.secrets ?? [], log: o.log, now: o.now, home: o.home, store: o.store, production: o.production, timeZone: o.timeZone, accounts: o.accounts, env: o.env, appHtml, known: o.known, followForMs: o.followForMs, sleep: o.sleep };
  const served = new Set(o.tools.map((t) => t.name));
  const serves = (tool: string) => served.has(tool);
  const known = o.known ?? [...served];
  const prompts = (o.prompts ?? []).filter((p) => p.needs.every(serves));
  const apps = o.tools.filter((t) => t.app);
  const codec = requestStateCodec();
  const capabilities: ServerCapabilities = { tools: { listChanged: false } };
  if (prompts.length) capabilities.prompts = { listChanged: false };
  if (apps.length) capabilities.resources = { listChanged: false };
  const listCacheMs = o.listCacheMs ?? DEFAULT_LIST_CACHE_MS;

  return () => {
    const server = new McpServer(
      { name: 'celigo-manage', title: 'Celigo integrator.io', version: VERSION },
      {
        capabilities,
        instructions: instructions(o.label),
        // requestState of 2026-07-28 confirmation rounds is HMAC-signed; tampered state is refused (-32602).
        requestState: { verify: codec.verify },
        inputRequired: { roundTimeoutMs: 600_000 },
      },
    );
    // The session's own list cache: its tool calls reuse what it read a moment ago, never another session's.
    registerTools(server, o.tools, listCacheMs > 0 ? { ...deps, readCache: new ReadCache({ ttlMs: listCacheMs }) } : deps);
    for (const t of apps) registerApp(server, t, appHtml);
    for (const p of prompts) registerPrompt(server, p, serves, known);
    if (o.withheldReason) explainWithheld(server, known.filter((n) => !served.has(n)), o.withheldReason);
    o.fixtures?.(server);
    server.server.onerror = (err) => o.log?.(`mcp: ${oneLine(err.message)}`);
    return server;
  };
}
