import { z } from 'zod';
import { defineTool, type ToolDef } from './types.js';
import { listArgs, listResult, objectResult, idOrName, READ } from '../operations/format.js';
const listingOps = () => import('../ops/read/exports.js');

export const exportReadTools: ToolDef[] = [
  defineTool({
    name: 'list_exports',
    toolset: 'exports',
    title: 'List exports',
    description: 'Exports: adaptor, connection, flow, status, schedule.',
    input: { integration: z.string().optional().describe('Integration id/name'), ...listArgs() },
    annotations: READ,
    handler: async (a, ctx) => listResult('exports', await (await listingOps()).listExports(ctx, a), a, (await listingOps()).EXPORT_FIELDS),
  }),
  defineTool({
    name: 'get_export',
    toolset: 'exports',
    title: 'Get an export',
    description: 'One export\'s configuration.',
    input: { export: idOrName('Export') },
    annotations: READ,
    handler: async (a, ctx) => {
      const e = await (await listingOps()).getExport(ctx, a.export);
      return objectResult(`Export ${JSON.stringify(e.name)} (${e._id}):`, e);
    },
  }),
  defineTool({
    name: 'list_imports',
    toolset: 'exports',
    title: 'List imports',
    description: 'Imports: adaptor, connection, mapping size.',
    input: { integration: z.string().optional().describe('Integration id/name'), ...listArgs() },
    annotations: READ,
    handler: async (a, ctx) => listResult('imports', await (await listingOps()).listImports(ctx, a), a, (await listingOps()).IMPORT_FIELDS),
  }),
  defineTool({
    name: 'get_import',
    toolset: 'exports',
    title: 'Get an import',
    description: 'One import\'s configuration and mapping.',
    input: { import: idOrName('Import') },
    annotations: READ,
    handler: async (a, ctx) => {
      const i = await (await listingOps()).getImport(ctx, a.import);
      return objectResult(`Import ${JSON.stringify(i.name)} (${i._id}):`, i);
    },
  }),
] as unknown as ToolDef[];
