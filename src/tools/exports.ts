import { z } from 'zod';
import { defineTool, type ToolDef } from './types.js';
import { listArgs, listResult, objectResult, idOrName, READ } from './format.js';
import { listExports, listImports, getExport, getImport, EXPORT_FIELDS, IMPORT_FIELDS } from '../ops/listing.js';

export const exportReadTools: ToolDef[] = [
  defineTool({
    name: 'list_exports',
    toolset: 'exports',
    title: 'List exports',
    description: 'Exports: adaptor, connection, flow, status, schedule.',
    input: { integration: z.string().optional().describe('Integration id/name'), ...listArgs(EXPORT_FIELDS) },
    annotations: READ,
    handler: async (a, ctx) => listResult('exports', await listExports(ctx, a), a, EXPORT_FIELDS),
  }),
  defineTool({
    name: 'get_export',
    toolset: 'exports',
    title: 'Get an export',
    description: 'One export\'s configuration.',
    input: { export: idOrName('Export') },
    annotations: READ,
    handler: async (a, ctx) => {
      const e = await getExport(ctx, a.export);
      return objectResult(`Export ${e.name} (${e._id}):`, e);
    },
  }),
  defineTool({
    name: 'list_imports',
    toolset: 'exports',
    title: 'List imports',
    description: 'Imports: adaptor, connection, mapping size.',
    input: { integration: z.string().optional().describe('Integration id/name'), ...listArgs(IMPORT_FIELDS) },
    annotations: READ,
    handler: async (a, ctx) => listResult('imports', await listImports(ctx, a), a, IMPORT_FIELDS),
  }),
  defineTool({
    name: 'get_import',
    toolset: 'exports',
    title: 'Get an import',
    description: 'One import\'s configuration and mapping.',
    input: { import: idOrName('Import') },
    annotations: READ,
    handler: async (a, ctx) => {
      const i = await getImport(ctx, a.import);
      return objectResult(`Import ${i.name} (${i._id}):`, i);
    },
  }),
] as unknown as ToolDef[];
