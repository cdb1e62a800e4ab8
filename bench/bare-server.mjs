// The baseline for start-up benchmarks: a bare SDK v2 server with one tool over stdio.
import { McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';

serveStdio(() => {
  const server = new McpServer({ name: 'bare', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.registerTool('echo', { description: 'Echo a message.', inputSchema: z.object({ message: z.string().describe('Text') }) }, async ({ message }) => ({
    content: [{ type: 'text', text: message }],
  }));
  return server;
});
