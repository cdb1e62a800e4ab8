// The health check as an MCP App: the tool points at a ui:// resource that shows its latest report.
import { describe, it, expect, afterAll } from 'vitest';
import { openSession } from '../../src/app/session.js';
import { catalogue } from '../../src/operations/catalogue.js';
import { selectTools } from '../../src/operations/select.js';
import { connectInMemory, textOf } from '../helpers/mcp.js';

const session = await openSession({ demo: true, env: {} });
afterAll(() => session.close());

describe('daily_health_check as an MCP App', () => {
  it('links the tool to a ui:// resource and serves the latest report there', async () => {
    const conn = await connectInMemory({ era: 'legacy', server: { api: session.api, tools: selectTools(catalogue(), { toolsets: ['all'] }), home: '/tmp/cm-app-test' } });
    try {
      const tool = (await conn.client.listTools()).tools.find((t) => t.name === 'daily_health_check')!;
      const uri = (tool._meta as { ui?: { resourceUri?: string } }).ui?.resourceUri;
      expect(uri).toBe('ui://celigo-manage/health-report');
      const before = await conn.client.readResource({ uri: uri! });
      expect((before.contents[0] as { text: string }).text).toContain('No result yet');
      const r = await conn.client.callTool({ name: 'daily_health_check', arguments: {} });
      expect(r.isError).toBeFalsy();
      expect(textOf(r)).not.toContain('<html');
      const page = await conn.client.readResource({ uri: uri! });
      const c = page.contents[0] as { text: string; mimeType: string };
      expect(c.mimeType).toBe('text/html;profile=mcp-app');
      expect(c.text).toContain('Salesforce - NetSuite Customers');
      expect(c.text).toMatch(/data-series/);
    } finally {
      await conn.close();
    }
  });
});

describe('the health page costs its reads only for a host that shows Apps', () => {
  it('scans the error patterns for the chart only when the client declares the MCP Apps extension', async () => {
    const { Client, InMemoryTransport } = await import('@modelcontextprotocol/client');
    const { startStdio } = await import('../../src/mcp/stdio.js');
    const { factory } = await import('../helpers/mcp.js');
    const { MCP_APPS_EXTENSION } = await import('../../src/mcp/register.js');
    const requestsFor = async (capabilities: Record<string, unknown>): Promise<{ requests: number; html: string }> => {
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      const handle = await startStdio(factory({ api: session.api, tools: selectTools(catalogue(), { toolsets: ['all'] }), home: '/tmp/cm-app-test' }), { transport: serverSide });
      const client = new Client({ name: 'apps-test', version: '1.0.0' }, { capabilities, versionNegotiation: { mode: 'legacy' } });
      await client.connect(clientSide);
      try {
        const before = session.api.http.stats.requests;
        await client.callTool({ name: 'daily_health_check', arguments: {} });
        const page = await client.readResource({ uri: 'ui://celigo-manage/health-report' });
        return { requests: session.api.http.stats.requests - before, html: (page.contents[0] as { text: string }).text };
      } finally {
        await client.close();
        await handle.close();
      }
    };
    const plain = await requestsFor({});
    const apps = await requestsFor({ extensions: { [MCP_APPS_EXTENSION]: {} } });
    expect(apps.requests).toBeGreaterThan(plain.requests);
    expect(apps.html).toMatch(/data-chart="error-patterns" data-points="[1-9]/);
    expect(plain.html).not.toMatch(/data-chart="error-patterns" data-points="[1-9]/);
  });
});
