import type { NounSpec } from '../spec.js';
import { LIMIT, opt } from '../spec.js';
import { arg, INTEGRATION, limitOf, optStr } from './common.js';
import { printRun } from './flows.js';

export const exportsNoun: NounSpec = {
  name: 'exports',
  verbs: [
    {
      name: 'list',
      summary: 'List exports with the flow that runs them and its schedule',
      options: [INTEGRATION, opt('--name <text>', 'Only names containing this text'), LIMIT],
      examples: ['exports list', 'exports list --integration "Shopify - NetSuite Orders" --json id,name,flow'],
      async run(rc) {
        const { listExports, EXPORT_FIELDS } = await import('../../ops/read/exports.js');
        rc.out.expectFields(EXPORT_FIELDS);
        const rows = await listExports(await rc.ctx(), { integration: optStr(rc, 'integration'), name: optStr(rc, 'name') });
        rc.out.list(rows, { noun: 'exports', fields: EXPORT_FIELDS, columns: ['id', 'name', 'adaptorType', 'connection', 'flow', 'status', 'schedule'], limit: limitOf(rc) });
      },
    },
    {
      name: 'run',
      summary: 'Run an export through the flow whose source it is, and monitor it',
      args: ['<export>'],
      argHelp: { export: 'Export id or name' },
      options: [opt('--no-wait', 'Start it and return without monitoring'), opt('--timeout <seconds>', 'Stop waiting after this long (default 600); exit 8 if still running', { int: true })],
      mutating: true,
      examples: ['exports run "Get Shopify orders"', 'exports run "Get Shopify orders" --no-wait'],
      async run(rc) {
        const { runExport } = await import('../../ops/run.js');
        const t = rc.opts.timeout as number | undefined;
        const r = await runExport(await rc.ctx(), { export: arg(rc, 0), wait: rc.opts.wait !== false, timeoutMs: t !== undefined ? Math.max(1, t) * 1000 : undefined });
        return printRun(rc, r);
      },
    },
  ],
};

export const importsNoun: NounSpec = {
  name: 'imports',
  verbs: [
    {
      name: 'list',
      summary: 'List imports with their connection and mapping size',
      options: [INTEGRATION, opt('--name <text>', 'Only names containing this text'), LIMIT],
      examples: ['imports list', 'imports list --json id,name,mappedFields'],
      async run(rc) {
        const { listImports, IMPORT_FIELDS } = await import('../../ops/read/exports.js');
        rc.out.expectFields(IMPORT_FIELDS);
        const rows = await listImports(await rc.ctx(), { integration: optStr(rc, 'integration'), name: optStr(rc, 'name') });
        rc.out.list(rows, { noun: 'imports', fields: IMPORT_FIELDS, columns: ['id', 'name', 'adaptorType', 'connection', 'mappingFormat', 'mappedFields'], limit: limitOf(rc) });
      },
    },
    {
      name: 'get',
      summary: 'Show an import (its mapping is shown by: mapping show)',
      args: ['<import>'],
      argHelp: { import: 'Import id or name' },
      examples: ['imports get "Create NetSuite sales orders"', 'imports get "Create NetSuite sales orders" --json'],
      async run(rc) {
        const [{ getImport }, { stripSecrets }] = await Promise.all([import('../../ops/read/exports.js'), import('../../ops/backups/content.js')]);
        const imp = await getImport(await rc.ctx(), arg(rc, 0));
        const { data } = stripSecrets(imp);
        const { _id, name, adaptorType, _connectionId, mapping, mappings, lastModified, ...rest } = data as Record<string, unknown>;
        const mapped = Array.isArray(mappings) && mappings.length ? { mappings } : mapping ? { mapping } : {};
        if (rc.out.jsonMode) rc.out.object({ id: _id, name, adaptorType, connectionId: _connectionId, lastModified, ...rest, ...mapped });
        else rc.out.object({ id: _id, name, adaptorType, connectionId: _connectionId, lastModified, ...rest });
      },
    },
  ],
};
