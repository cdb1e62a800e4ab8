import { z } from 'zod';
import { defineTool, type ToolDef } from './types.js';
import { listArgs, listResult, idOrName, READ, json } from '../operations/format.js';
const listingOps = () => import('../ops/read/connections.js');

export const connectionReadTools: ToolDef[] = [
  defineTool({
    name: 'list_connections',
    toolset: 'connections',
    title: 'List connections',
    description: 'Connections: type, online/offline.',
    input: {
      type: z.string().optional().describe('e.g. netsuite, http'),
      name: z.string().optional().describe('Name contains'),
      ...listArgs(),
    },
    annotations: READ,
    handler: async (a, ctx) => listResult('connections', await (await listingOps()).listConnections(ctx, a), a, (await listingOps()).CONNECTION_FIELDS),
  }),
  defineTool({
    name: 'test_connection',
    toolset: 'connections',
    title: 'Test a connection',
    description: 'Ping a connection: health, latency, error.',
    input: { connection: idOrName('Connection') },
    annotations: { ...READ, idempotentHint: true },
    handler: async (a, ctx) => {
      const r = await (await listingOps()).testConnection(ctx, a.connection);
      return { text: `${r.healthy ? 'Healthy' : 'UNHEALTHY'}: ${json(r)}`, structured: r };
    },
  }),
] as unknown as ToolDef[];
