import { z } from 'zod';
import { defineTool, type ToolDef } from './types.js';
import { listArgs, listResult, objectResult, idOrName, READ } from './format.js';
import { listIntegrations, getIntegration, INTEGRATION_FIELDS } from '../ops/listing.js';

export const integrationTools: ToolDef[] = [
  defineTool({
    name: 'list_integrations',
    toolset: 'integrations',
    title: 'List integrations',
    description: 'Integrations with status, flow count, open errors and tags. Filter by name or tag.',
    input: {
      name: z.string().optional().describe('Name contains (case-insensitive)'),
      tag: z.string().optional().describe('Only integrations with this tag'),
      ...listArgs(INTEGRATION_FIELDS),
    },
    annotations: READ,
    handler: async (a, ctx) => listResult('integrations', await listIntegrations(ctx, a), a, INTEGRATION_FIELDS),
  }),
  defineTool({
    name: 'get_integration',
    toolset: 'integrations',
    title: 'Get an integration',
    description: 'Full configuration of one integration (secrets masked) with its flows.',
    input: { integration: idOrName('Integration') },
    annotations: READ,
    handler: async (a, ctx) => {
      const r = await getIntegration(ctx, a.integration);
      return objectResult(`Integration ${r.integration.name} (${r.integration._id}), ${r.flows.length} flows:`, r);
    },
  }),
] as unknown as ToolDef[];
