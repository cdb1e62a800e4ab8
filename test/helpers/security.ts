// Shared by the security suites: valid arguments for every tool on the demo account, calling the whole
// catalogue (confirming what asks), and a proxy that lets a distinctive token reach the emulator.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@modelcontextprotocol/client';
import type { CeligoClient } from '../../src/core/client.js';
import { DEMO, } from '../../src/emulator/seed/demo.js';
import { DEMO_TOKEN } from '../../src/emulator/index.js';
import { textOf } from './mcp.js';

/** Looks like a real integrator.io token (32 hex), and appears nowhere else. */
export const REAL_LOOKING_TOKEN = '5ec12e7c0ffee1234abcd5678ef90a1b';

export interface Refs {
  integration: string;
  flow: string;
  flowWithErrors: string;
  mappingFlow: string;
  job: string;
  failedJob: string;
  export: string;
  import: string;
  connection: string;
  backupId?: string;
}

export async function demoRefs(api: CeligoClient, now: number): Promise<Refs> {
  const since = new Date(now - 7 * 86_400_000).toISOString();
  const [flows, jobs, failed, exps, imps] = await Promise.all([
    api.flows.list(),
    api.jobs.list({ createdAt_gte: since }),
    api.jobs.list({ createdAt_gte: since, status: 'failed' }),
    api.exports.list(),
    api.imports.list(),
  ]);
  const enabled = flows.find((f) => !f.disabled && f.name === 'Daily Exchange Rates to NetSuite') ?? flows.find((f) => !f.disabled)!;
  return {
    integration: DEMO.integrations.shopify,
    flow: enabled.name!,
    flowWithErrors: DEMO.mappingEditedFlow,
    mappingFlow: DEMO.mappingEditedFlow,
    job: jobs[0]!._id,
    failedJob: (failed[0] ?? jobs[0])!._id,
    export: exps[0]!._id,
    import: imps[0]!._id,
    connection: 'NetSuite Production',
  };
}

/** One valid call per tool of the catalogue (mutating ones included). */
export function toolArgs(r: Refs): Record<string, Record<string, unknown>> {
  return {
    list_integrations: {},
    get_integration: { integration: r.integration },
    create_integration: { name: 'Security test integration' },
    clone_integration: { integration: r.integration, name: 'Security test copy' },
    list_flows: {},
    get_flow: { flow: r.flow },
    update_flow: { flow: r.flow, enabled: false },
    trigger_flow_run: { flow: r.flow, wait: false },
    list_connections: {},
    test_connection: { connection: r.connection },
    get_connection: { connection: r.connection },
    create_connection: { name: 'Security test connection', type: 'http', config: { http: { baseURI: 'https://api.example.com', auth: { type: 'basic', basic: { username: 'u', password: 'pw-security-test' } } } }, test: false },
    list_jobs: {},
    get_job: { job: r.job },
    // force: the failed job's errors may wait on a connection that fails its test, and the call must reach the retry POST.
    retry_job: { job: r.failedJob, force: true },
    list_errors: { flow: r.flowWithErrors },
    retry_errors: { flow: r.flowWithErrors, all: true },
    clear_errors: { flow: r.flowWithErrors },
    list_exports: {},
    get_export: { export: r.export },
    list_imports: {},
    get_import: { import: r.import },
    trigger_export: { export: r.export, wait: false },
    list_tags: {},
    add_tag_to_integration: { integration: r.integration, tag: 'security-check' },
    daily_health_check: {},
    troubleshoot: { flow: r.flowWithErrors },
    retry_failed_jobs: { flow: r.flowWithErrors, wait: false },
    run_and_monitor: { flow: r.flow, wait: false },
    update_mapping: { flow: r.mappingFlow, changes: [{ op: 'add', generate: 'Description', hardCodedValue: 'security test' }] },
    get_mapping: { flow: r.mappingFlow },
    setup_integration: { name: 'Security test setup', recordType: 'customer', source: { connection: r.connection }, destination: { connection: 'Salesforce Production' } },
    check_dependencies: { type: 'flow', id: r.flow },
    list_backups: {},
    list_changes: { since: 'last 7 days' },
    diff_backup: { id: r.backupId ?? 'bk-none' },
    restore_backup: { id: r.backupId ?? 'bk-none' },
    promote_integration: { integration: r.integration, from: 'sandbox', to: 'demo', apply: true },
    // The manage toolset (issue 17): an unused connection, so nothing later depends on what goes.
    delete_resource: { type: 'connection', id: 'NetSuite Sandbox' },
    get_job_errors: { job: r.job },
    list_lookup_caches: {},
    get_lookup_cache: { cache: 'Shopify SKU to NetSuite Item', limit: 5 },
    cancel_job: { job: r.job },
    update_export: { export: r.export, changes: [{ path: 'description', value: 'security test' }] },
    update_import: { import: r.import, changes: [{ path: 'description', value: 'security test' }] },
    update_connection: { connection: r.connection, changes: [{ path: 'name', value: 'Security test renamed' }] },
  };
}

export interface CallRecord {
  tool: string;
  isError: boolean;
  text: string;
  confirmed: boolean;
}

/** Calls a tool; when it answers with a plan and a confirm token, calls it again with the token. */
export async function callConfirming(client: Client, tool: string, args: Record<string, unknown>): Promise<CallRecord> {
  let r = await client.callTool({ name: tool, arguments: args }, { timeout: 60_000 });
  let confirmed = false;
  const token = (r.structuredContent as { confirmation_required?: { token?: string } } | undefined)?.confirmation_required?.token;
  if (token) {
    r = await client.callTool({ name: tool, arguments: { ...args, confirm: token } }, { timeout: 60_000 });
    confirmed = true;
  }
  return { tool, isError: !!r.isError, text: textOf(r) + (r.structuredContent ? `\n${JSON.stringify(r.structuredContent)}` : ''), confirmed };
}

/**
 * An HTTP proxy in front of the emulator that accepts only `Bearer <token>` and forwards it as the demo
 * token, so a run can use a token no other part of the system knows. Records every request it saw.
 */
export async function tokenProxy(target: string, token: string): Promise<{ baseUrl: string; seen: { method: string; url: string; body: string }[]; close(): Promise<void> }> {
  const seen: { method: string; url: string; body: string }[] = [];
  const up = new URL(target);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method ?? '', url: req.url ?? '', body: body.toString('utf8') });
      const auth = req.headers.authorization;
      // Host is passed through, as a reverse proxy does: the emulator builds absolute Link URLs from it.
      const headers = { ...req.headers };
      if (auth === `Bearer ${token}`) headers.authorization = `Bearer ${DEMO_TOKEN}`;
      else headers.authorization = 'Bearer wrong-token-for-the-emulator';
      const fwd = request({ host: up.hostname, port: up.port, path: req.url, method: req.method, headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      fwd.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      fwd.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
