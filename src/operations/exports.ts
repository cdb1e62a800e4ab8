// Exports and imports: lists with the flow or mapping they belong to, one export or import, and running an
// export through the flow whose source it is.
import { stripSecrets } from '../ops/backups/content.js';
import { EXPORT_FIELDS, IMPORT_FIELDS, getExport, getImport, listExports, listImports, nameContains } from '../ops/read/exports.js';
import type { RunReport } from '../ops/run.js';
import { LIMIT_FLAG, MCP_ONLY } from './connections.js';
import { idOrName, optionalIdOrName } from './args.js';
import { json, listArgs, listResult, objectResult, READ } from './format.js';
import { TIMEOUT_BOUNDS } from './retries.js';
import { runData, runForTerminal } from './run-view.js';
import { defineOperation, entry, type Operation, type OperationContext } from './types.js';
import { waitArg } from './wait.js';

/**
 * How long `exports run --timeout` follows the run. Not an input of trigger_export (the default tools/list
 * has no room for one), so the terminal passes it in the context (src/cli/commands/connections-exports.ts).
 */
export interface RunDeadline {
  followForMs?: number;
}

const integration = { integration: optionalIdOrName('Integration') };
const LIST_FLAGS = { integration: { description: 'Integration id or name' }, limit: LIMIT_FLAG, fields: MCP_ONLY, cursor: MCP_ONLY };
/** Not an input of the tools: a terminal filter of the rows shown. */
const NAME_FLAG = { flags: '--name <text>', description: 'Only names containing this text' };
const nameOf = (flags: Record<string, unknown>) => (typeof flags.name === 'string' ? flags.name : undefined);

/** An export or import at the terminal: secrets left out, the id first. */
function view(doc: Record<string, unknown>): Record<string, unknown> {
  const { _id, name, adaptorType, _connectionId, lastModified, ...rest } = stripSecrets(doc).data as Record<string, unknown>;
  return { id: _id, name, adaptorType, connectionId: _connectionId, lastModified, ...rest };
}

export const exportOperations: Operation[] = [
  entry(defineOperation({
    name: 'list_exports',
    toolset: 'exports',
    title: 'List exports',
    description: 'Exports (flow sources) with adaptor, connection, flow, schedule.',
    input: { ...integration, ...listArgs() },
    annotations: READ,
    cli: {
      noun: 'exports',
      verb: 'list',
      summary: 'List exports with the flow that runs them and its schedule',
      flags: LIST_FLAGS,
      terminalFlags: [NAME_FLAG],
      examples: ['exports list', 'exports list --integration "Shopify - NetSuite Orders" --json id,name,flow'],
    },
    run: (ctx, a) => listExports(ctx, { integration: a.integration }),
    forModel: (rows, a) => listResult('exports', rows, a, EXPORT_FIELDS),
    forTerminal: (rows, t, a, flags) =>
      t.list(nameContains(rows, nameOf(flags)), { noun: 'exports', fields: EXPORT_FIELDS, columns: ['id', 'name', 'adaptorType', 'connection', 'flow', 'status', 'schedule'], limit: a.limit }),
  })),
  entry(defineOperation({
    name: 'get_export',
    toolset: 'exports',
    title: 'Get an export',
    description: 'One export\'s configuration.',
    input: { export: idOrName('Export') },
    annotations: READ,
    cli: {
      noun: 'exports',
      verb: 'get',
      summary: 'Show an export (secrets are never shown)',
      args: ['export'],
      flags: { export: { description: 'Export id or name' } },
      examples: ['exports get "Get Shopify orders"', 'exports get "Get Shopify orders" --json'],
    },
    run: (ctx, a) => getExport(ctx, a.export),
    forModel: (e) => objectResult(`Export ${JSON.stringify(e.name)} (${e._id}):`, e),
    forTerminal: (e, t) => t.object(view(e)),
  })),
  entry(defineOperation({
    name: 'list_imports',
    toolset: 'exports',
    title: 'List imports',
    description: 'Imports: adaptor, connection, mapping size.',
    input: { ...integration, ...listArgs() },
    annotations: READ,
    cli: {
      noun: 'imports',
      verb: 'list',
      summary: 'List imports with their connection and mapping size',
      flags: LIST_FLAGS,
      terminalFlags: [NAME_FLAG],
      examples: ['imports list', 'imports list --json id,name,mappedFields'],
    },
    run: (ctx, a) => listImports(ctx, { integration: a.integration }),
    forModel: (rows, a) => listResult('imports', rows, a, IMPORT_FIELDS),
    forTerminal: (rows, t, a, flags) =>
      t.list(nameContains(rows, nameOf(flags)), { noun: 'imports', fields: IMPORT_FIELDS, columns: ['id', 'name', 'adaptorType', 'connection', 'mappingFormat', 'mappedFields'], limit: a.limit }),
  })),
  entry(defineOperation({
    name: 'get_import',
    toolset: 'exports',
    title: 'Get an import',
    description: 'One import\'s configuration and mapping.',
    input: { import: idOrName('Import') },
    annotations: READ,
    cli: {
      noun: 'imports',
      verb: 'get',
      summary: 'Show an import (its mapping is shown by: mapping show)',
      args: ['import'],
      flags: { import: { description: 'Import id or name' } },
      examples: ['imports get "Create NetSuite sales orders"', 'imports get "Create NetSuite sales orders" --json'],
    },
    run: (ctx, a) => getImport(ctx, a.import),
    forModel: (i) => objectResult(`Import ${JSON.stringify(i.name)} (${i._id}):`, i),
    // The mapping only with --json: on a terminal `mapping show` reads it better.
    forTerminal: (i, t) => {
      const { mapping, mappings, ...rest } = view(i);
      const mapped = Array.isArray(mappings) && mappings.length ? { mappings } : mapping ? { mapping } : {};
      t.object(t.jsonMode ? { ...rest, ...mapped } : rest);
    },
  })),
  entry(defineOperation({
    name: 'trigger_export',
    toolset: 'exports',
    title: 'Run an export',
    description: 'Run one export (its flow runs with only it).',
    // `wait`: the rule and its words are in wait.ts (a single-call tool: no wait unless asked; the
    // terminal's `exports run` follows unless --no-wait).
    input: { export: idOrName('Export'), wait: waitArg(false) },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    cli: {
      noun: 'exports',
      verb: 'run',
      summary: 'Run an export through the flow whose source it is, and monitor it',
      args: ['export'],
      flags: { export: { description: 'Export id or name' }, wait: { flags: '--no-wait', description: 'Start it and return without monitoring' } },
      terminalFlags: [{ flags: '--timeout <seconds>', description: 'Stop waiting after this long (default 600); exit 8 if still running', number: TIMEOUT_BOUNDS }],
      examples: ['exports run "Get Shopify orders"', 'exports run "Get Shopify orders" --no-wait'],
    },
    run: async (ctx: OperationContext & RunDeadline, a): Promise<RunReport> =>
      (await import('../ops/run.js')).runExport(ctx, { export: a.export, wait: a.wait ?? false, timeoutMs: ctx.followForMs }),
    // The verdict and next steps are the run report's own (ops/run.ts), as for trigger_flow_run.
    forModel: (r) => ({ text: `Export run: job ${r.jobId} ${r.status}.\n${json(runData(r))}`, structured: runData(r) }),
    forTerminal: runForTerminal,
  })),
];
