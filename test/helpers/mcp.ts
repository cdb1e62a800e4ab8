// Fixture tools and client helpers for the protocol tests: an SDK Client against our server factory,
// in memory or over HTTP, on either protocol revision.
import { z } from 'zod';
import { Client, InMemoryTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { CeligoClient } from '../../src/core/client.js';
import { CeligoApiError, UsageError } from '../../src/core/errors.js';
import { Cancelled } from '../../src/ops/context.js';
import { defineTool, type ToolDef } from '../../src/operations/tool.js';
import { createServerFactory, type ServerFactoryOptions } from '../../src/mcp/server.js';
import { startStdio } from '../../src/mcp/stdio.js';

export type Era = 'legacy' | 'modern';
export const ERAS: Era[] = ['legacy', 'modern'];
export const MODERN = '2026-07-28';
export const SECRET = 'sk_live_0123456789abcdef';

const RO = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;
const DESTRUCTIVE = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true } as const;

/** What the fixture tools observed, for assertions. */
export const seen = { aborted: 0, deleted: [] as string[], started: 0 };

export function fixtureTools(): ToolDef[] {
  return [
    defineTool({
      name: 'echo',
      toolset: 'integrations',
      title: 'Echo',
      description: 'Echo a message.',
      input: { message: z.string().describe('What to echo'), times: z.number().int().min(1).max(3).optional().describe('Repeat') },
      annotations: RO,
      handler: async (a) => ({ text: a.message.repeat(a.times ?? 1) }),
    }),
    defineTool({
      name: 'report',
      toolset: 'jobs',
      title: 'Report',
      description: 'A structured report.',
      input: {},
      output: { total: z.number(), truncated: z.boolean() },
      annotations: RO,
      handler: async () => ({ text: 'total 3', structured: { total: 3, truncated: false } }),
    }),
    defineTool({
      name: 'api_fails',
      toolset: 'flows',
      title: 'API fails',
      description: 'Always a 404 from integrator.io.',
      input: {},
      annotations: RO,
      handler: async () => {
        throw new CeligoApiError({ status: 404, code: 'not_found', message: 'Flow not found', method: 'GET', path: '/v1/flows/abc' });
      },
    }),
    defineTool({
      name: 'usage_fails',
      toolset: 'flows',
      title: 'Usage fails',
      description: 'Ambiguous name.',
      input: {},
      annotations: RO,
      handler: async () => {
        throw new UsageError('Several flows match "orders".', ['Orders A (f1)', 'Orders B (f2)']);
      },
    }),
    defineTool({
      name: 'crashes',
      toolset: 'flows',
      title: 'Crashes',
      description: 'A bug, with a secret in the message.',
      input: {},
      annotations: RO,
      handler: async () => {
        throw new TypeError(`boom with Bearer ${SECRET}\n    at somewhere (file.ts:1:1)`);
      },
    }),
    defineTool({
      name: 'slow',
      toolset: 'jobs',
      title: 'Slow',
      description: 'Reports progress, then waits until cancelled (or 5 s).',
      input: { steps: z.number().int().min(1).max(10).describe('Progress steps') },
      annotations: RO,
      handler: async (a, ctx) => {
        seen.started++;
        for (let i = 1; i <= a.steps; i++) await ctx.progress?.({ done: i, total: a.steps, message: `step ${i}` });
        await new Promise<void>((resolve) => {
          const onAbort = () => {
            seen.aborted++;
            clearTimeout(t);
            resolve();
          };
          const t = setTimeout(resolve, 5000);
          if (ctx.signal?.aborted) onAbort();
          else ctx.signal?.addEventListener('abort', onAbort);
        });
        if (ctx.signal?.aborted) throw new Cancelled();
        return { text: 'finished' };
      },
    }),
    defineTool({
      name: 'delete_thing',
      toolset: 'flows',
      title: 'Delete a thing',
      description: 'Destructive: asks for confirmation.',
      input: { id: z.string().describe('Thing id') },
      annotations: DESTRUCTIVE,
      handler: async (a, ctx) => {
        const plan = { action: `Delete thing ${a.id}`, details: [`thing ${a.id} (3 parts)`], digest: `d-${a.id}` };
        if (!ctx.confirm) throw new Cancelled('no one to ask');
        if (!(await ctx.confirm(plan))) throw new Cancelled(`${plan.action}: declined. Nothing was changed.`);
        seen.deleted.push(a.id);
        return { text: `deleted ${a.id}` };
      },
    }),
    defineTool({
      name: 'shifting_plan',
      toolset: 'flows',
      title: 'Shifting plan',
      description: 'Its plan changes between the first and second call (data changed meanwhile).',
      input: {},
      annotations: DESTRUCTIVE,
      handler: async (_a, ctx) => {
        seen.started++;
        const version = Math.min(seen.started, 2);
        const plan = { action: `Apply plan v${version}`, details: [], digest: `v${version}` };
        if (!(await ctx.confirm!(plan))) throw new Cancelled('declined');
        return { text: `applied v${version}` };
      },
    }),
  ] as unknown as ToolDef[];
}

export const fakeApi = {} as CeligoClient;

export function factory(o: Partial<ServerFactoryOptions> = {}) {
  return createServerFactory({ api: fakeApi, tools: fixtureTools(), secrets: [SECRET], ...o });
}

export type ElicitAnswer = { action: 'accept' | 'decline' | 'cancel'; content?: Record<string, string | number | boolean | string[]> };

export interface ClientOptions {
  era: Era;
  /** Declare form elicitation and answer every elicitation with this. */
  elicit?: ElicitAnswer;
}

export function makeClient(o: ClientOptions): { client: Client; asked: string[] } {
  const asked: string[] = [];
  const client = new Client(
    { name: 'test-client', version: '1.0.0' },
    {
      capabilities: o.elicit ? { elicitation: { form: {} } } : {},
      versionNegotiation: { mode: o.era === 'modern' ? { pin: MODERN } : 'legacy' },
    },
  );
  if (o.elicit) {
    const answer = o.elicit;
    client.setRequestHandler('elicitation/create', async (req) => {
      asked.push(String((req.params as { message?: string }).message));
      return answer;
    });
  }
  return { client, asked };
}

/** A client connected in memory to a fresh serveStdio entry over our factory. */
export async function connectInMemory(o: ClientOptions & { server?: Partial<ServerFactoryOptions> }) {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const handle = await startStdio(factory(o.server), { transport: serverSide });
  const { client, asked } = makeClient(o);
  await client.connect(clientSide);
  return {
    client,
    asked,
    close: async () => {
      await client.close().catch(() => {});
      await handle.close().catch(() => {});
    },
  };
}

export async function connectHttp(url: string, o: ClientOptions & { headers?: Record<string, string> }) {
  const { client, asked } = makeClient(o);
  const transport = new StreamableHTTPClientTransport(new URL(url), o.headers ? { requestInit: { headers: o.headers } } : undefined);
  await client.connect(transport);
  return { client, asked, transport, close: () => client.close().catch(() => {}) };
}

export function textOf(r: { content?: unknown }): string {
  const c = (r.content ?? []) as { type: string; text?: string }[];
  return c.filter((b) => b.type === 'text').map((b) => b.text).join('\n');
}
