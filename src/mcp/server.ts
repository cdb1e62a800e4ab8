// One server factory for every transport and both protocol revisions (2025-11-25 and 2026-07-28):
// serveStdio, createMcpHandler and the sessionful 2025 HTTP leg all call it for fresh instances.
import { readFileSync } from 'node:fs';
import { McpServer, type ServerCapabilities } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { CeligoClient } from '../core/client.js';
import type { PromptDef } from '../tools/prompts.js';
import type { ToolDef } from '../tools/types.js';
import { requestStateCodec } from './confirm.js';
import { registerTools, type RegisterDeps } from './register.js';

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
  production?: boolean;
  /** Extra line for the instructions, e.g. which account this server talks to. */
  label?: string;
}

let version: string | undefined;
function packageVersion(): string {
  if (version) return version;
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    version = pkg.version ?? '0.0.0';
  } catch {
    version = '0.0.0';
  }
  return version;
}

function instructions(label?: string): string {
  return [
    'Operate a Celigo integrator.io account' + (label ? ` (${label})` : '') + '.',
    'Every id argument also accepts a name (case-insensitive). List tools return total and truncated; page with cursor.',
    'Destructive tools ask for confirmation: by a form when the client supports it, otherwise they return a plan',
    'and a token; call the same tool again with the same arguments plus confirm: "<token>" to proceed.',
  ].join(' ');
}

function registerPrompt(server: McpServer, p: PromptDef): void {
  const shape: Record<string, z.ZodType<string | undefined>> = {};
  for (const a of p.args) shape[a.name] = a.required ? z.string().describe(a.description) : z.string().optional().describe(a.description);
  server.registerPrompt(
    p.name,
    { title: p.title, description: p.description, argsSchema: z.object(shape) },
    async (args: Record<string, string | undefined>) => ({
      messages: [{ role: 'user' as const, content: { type: 'text' as const, text: p.render(args ?? {}) } }],
    }),
  );
}

export function createServerFactory(o: ServerFactoryOptions): () => McpServer {
  const deps: RegisterDeps = { api: o.api, secrets: o.secrets, log: o.log, now: o.now, home: o.home, production: o.production };
  const prompts = o.prompts ?? [];
  const codec = requestStateCodec();
  const capabilities: ServerCapabilities = { tools: { listChanged: false } };
  if (prompts.length) capabilities.prompts = { listChanged: false };

  return () => {
    const server = new McpServer(
      { name: 'celigo-manage', title: 'Celigo integrator.io', version: packageVersion() },
      {
        capabilities,
        instructions: instructions(o.label),
        // requestState of 2026-07-28 confirmation rounds is HMAC-signed; tampered state is refused (-32602).
        requestState: { verify: codec.verify },
        inputRequired: { roundTimeoutMs: 600_000 },
      },
    );
    registerTools(server, o.tools, deps);
    for (const p of prompts) registerPrompt(server, p);
    o.fixtures?.(server);
    server.server.onerror = (err) => o.log?.(`mcp: ${err.message}`);
    return server;
  };
}
