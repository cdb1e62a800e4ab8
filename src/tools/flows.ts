import { z } from 'zod';
import { defineTool, type ToolDef } from './types.js';
import { listArgs, listResult, objectResult, idOrName, READ } from '../operations/format.js';
const listingOps = () => import('../ops/read/flows.js');

export const flowReadTools: ToolDef[] = [
  defineTool({
    name: 'list_flows',
    toolset: 'flows',
    title: 'List flows',
    description: 'Flows: enabled, schedule, last run, open errors.',
    input: {
      integration: z.string().optional().describe('Integration id/name'),
      enabled: z.boolean().optional().describe('Filter'),
      name: z.string().optional().describe('Name contains'),
      ...listArgs(),
    },
    annotations: READ,
    handler: async (a, ctx) => listResult('flows', await (await listingOps()).listFlows(ctx, a), a, (await listingOps()).FLOW_FIELDS),
  }),
  defineTool({
    name: 'get_flow',
    toolset: 'flows',
    title: 'Get a flow',
    description: 'A flow\'s steps with connections, mappings, open errors.',
    input: { flow: idOrName('Flow') },
    annotations: READ,
    handler: async (a, ctx) => {
      const r = await (await listingOps()).getFlow(ctx, a.flow);
      return objectResult(`Flow ${JSON.stringify(r.flow.name)} (${r.flow.id}), ${r.steps.length} steps:`, r);
    },
  }),
] as unknown as ToolDef[];
