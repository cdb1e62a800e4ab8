import { z } from 'zod';
import { defineTool, type ToolDef } from './types.js';
import { listArgs, listResult, objectResult, idOrName, READ } from '../operations/format.js';
const listingOps = () => import('../ops/read/integrations.js');

export const integrationTools: ToolDef[] = [
  defineTool({
    name: 'list_integrations',
    toolset: 'integrations',
    title: 'List integrations',
    description: 'Integrations: status, flows, open errors, tag.',
    input: {
      name: z.string().optional().describe('Name contains'),
      tag: z.string().optional().describe('Tag'),
      ...listArgs(),
    },
    annotations: READ,
    handler: async (a, ctx) => listResult('integrations', await (await listingOps()).listIntegrations(ctx, a), a, (await listingOps()).INTEGRATION_FIELDS),
  }),
  defineTool({
    name: 'get_integration',
    toolset: 'integrations',
    title: 'Get an integration',
    description: 'One integration\'s configuration and flows.',
    input: { integration: idOrName('Integration') },
    annotations: READ,
    handler: async (a, ctx) => {
      const r = await (await listingOps()).getIntegration(ctx, a.integration);
      return objectResult(`Integration ${JSON.stringify(r.integration.name)} (${r.integration._id}), ${r.flows.length} flows:`, r);
    },
  }),
] as unknown as ToolDef[];
