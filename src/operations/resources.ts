// Issue 17, in the `manage` toolset (not served by default): deleting a resource (with a dependency
// pre-flight, a confirmation and a backup that restore_backup re-creates from), a job's errors summarised
// by pattern (from its error file when the list cannot hold them), and lookup caches, read-only.
import { z } from 'zod';
import type { DeleteReport, DeleteType } from '../ops/delete.js';
import type { JobErrorsReport } from '../ops/job-files.js';
import { listLookupCaches, lookupCacheData } from '../ops/lookup-caches.js';
import { JOB_ID_DESC, wholeNumber } from './args.js';
import { json, listArgs, listResult, READ } from './format.js';
import { CLI_LIST, terminalLimit } from './jobs.js';
import { defineOperation, entry, type CliSurface, type Operation, type Terminal, type ToolResult } from './types.js';

const DELETE_NOUNS: Record<DeleteType, string> = { integration: 'integrations', flow: 'flows', export: 'exports', import: 'imports', connection: 'connections' };
const EXAMPLE: Record<DeleteType, string> = {
  integration: 'Stripe Payments to NetSuite',
  flow: 'Shopify Customers to NetSuite',
  export: 'Get Shopify customers',
  import: 'Upsert NetSuite customers from Shopify',
  connection: 'NetSuite Sandbox',
};

const deleteInput = {
  type: z.enum(['integration', 'flow', 'export', 'import', 'connection']).describe('Kind of resource'),
  id: z.string().min(1).describe('Id or name, e.g. "Shopify Customers to NetSuite"'),
  force: z.boolean().optional().describe('Delete even while something uses it (those break)'),
  withSteps: z.boolean().optional().describe('A flow: also delete its exports and imports no other flow uses'),
};

function deleteSurface(type: DeleteType): CliSurface<typeof deleteInput> {
  return {
    noun: DELETE_NOUNS[type],
    verb: 'delete',
    summary: `Delete ${type === 'integration' ? 'an' : 'a'} ${type} (refused while something uses it; backed up first; undo: backups restore)`,
    args: ['id'],
    fixed: { type },
    flags: {
      id: { description: `${type[0].toUpperCase()}${type.slice(1)} id or name` },
      force: { description: 'Delete even though something uses it (the users break)' },
      withSteps: type === 'flow' ? { description: 'Also delete the exports and imports no other flow uses' } : { hidden: true },
    },
    details:
      'Checks what uses it first and refuses unless --force; asks first (--yes to skip); backs up everything removed. ' +
      (type === 'integration' ? 'Celigo deletes the integration\'s flows, exports and imports with it: the backup holds them all. ' : '') +
      (type === 'connection' ? 'Backups never hold secrets: a restored connection needs its credentials set again. ' : '') +
      'Undo: backups restore <id> (from the recycle bin where the account has one, else re-created with new ids).',
    examples: [`${DELETE_NOUNS[type]} delete "${EXAMPLE[type]}"${type === 'flow' ? ' --with-steps' : ''}`, `${DELETE_NOUNS[type]} delete "${EXAMPLE[type]}" --yes --json`],
  };
}

const deleteResourceOp = defineOperation({
  name: 'delete_resource',
  toolset: 'manage',
  title: 'Delete a resource',
  description: 'Delete an integration, flow, export, import or connection: refused while used unless force; backed up first (undo: restore_backup).',
  input: deleteInput,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  cli: (['integration', 'flow', 'export', 'import', 'connection'] as const).map(deleteSurface),
  run: async (ctx, a) => (await import('../ops/delete.js')).deleteResource(ctx, a),
  forModel: (r: DeleteReport): ToolResult => ({ text: `${r.summary}\n${json({ backupId: r.backupId, deleted: r.deleted, kept: r.kept, secretsLeftOut: r.secretsLeftOut })}`, structured: { ...r } }),
  forTerminal: (r: DeleteReport, t: Terminal) => (t.jsonMode ? t.object({ ...r }) : (t.print(r.summary), t.note(t.c.dim(`Undo: celigo-manage backups restore ${r.backupId}`)))),
});

function jobErrorsText(r: JobErrorsReport): string {
  const head = `Job ${r.job.id} (${r.job.type}, ${r.job.status}): ${r.job.numError} error(s); read ${r.read} from the ${r.source}${r.format ? ` (${r.format})` : ''}` +
    `, ${r.totalPatterns} pattern(s)${r.truncated ? `, the ${r.patterns.length} largest shown` : ''}.${r.note ? ` ${r.note}` : ''}`;
  const lines = r.patterns.map((p) => `${p.count}\t${p.pattern}\t${p.cause}; retry: ${p.retry}\t${p.lastSeen}`);
  return [head, ...(lines.length ? ['count\tpattern\tcause\tlastSeen', ...lines] : [])].join('\n');
}

const getJobErrorsOp = defineOperation({
  name: 'get_job_errors',
  toolset: 'manage',
  title: 'Summarise a job\'s errors',
  description: 'A job\'s errors by pattern with counts and samples, from its error file when it has more than the list returns (1000).',
  input: {
    job: z.string().min(1).describe(JOB_ID_DESC),
    file: z.boolean().optional().describe('Read the error file even for 1000 errors or fewer'),
    limit: wholeNumber(1, 50).optional().describe('Patterns shown, 1-50 (default 10)'),
  },
  annotations: READ,
  cli: {
    noun: 'jobs',
    verb: 'errors',
    summary: 'A job\'s errors grouped by pattern (from its error file when the list cannot hold them all)',
    args: ['job'],
    flags: { job: { description: 'Job id' }, file: { description: 'Read the error file even when the list holds every error' }, limit: { flags: '--limit <n>', description: 'Patterns shown (default 10)' } },
    details: 'Never prints the file: counts per pattern, the likely cause, and two samples each. The error file is fetched from its signed URL without your token.',
    examples: ['jobs errors 6a1f…', 'jobs errors 6a1f… --file --json patterns'],
  },
  run: async (ctx, a) => (await import('../ops/job-files.js')).jobErrorSummary(ctx, a),
  forModel: (r) => ({ text: jobErrorsText(r), structured: { ...r } }),
  forTerminal: (r, t) => (t.jsonMode ? t.object({ ...r }) : t.print(jobErrorsText(r))),
});

const CACHE_FIELDS = ['id', 'name', 'sizeBytes', 'sizeInMB', 'integrationId', 'description', 'lastModified'] as const;

const listLookupCachesOp = defineOperation({
  name: 'list_lookup_caches',
  toolset: 'manage',
  title: 'List lookup caches',
  description: 'Lookup caches with their sizes (bytes and Celigo\'s MB band).',
  input: listArgs(),
  annotations: READ,
  cli: {
    noun: 'lookup-caches',
    verb: 'list',
    summary: 'List lookup caches with their sizes',
    flags: { ...CLI_LIST },
    examples: ['lookup-caches list', 'lookup-caches list --json name,sizeBytes'],
  },
  run: (ctx) => listLookupCaches(ctx),
  forModel: (rows, a) => listResult('lookup caches', rows, a, CACHE_FIELDS, ['id', 'name', 'sizeBytes', 'sizeInMB']),
  forTerminal(rows, t: Terminal, a) {
    t.expectFields(CACHE_FIELDS);
    t.list(rows, { noun: 'lookup caches', fields: CACHE_FIELDS, columns: ['id', 'name', 'sizeInMB', 'sizeBytes', 'lastModified'], limit: terminalLimit(a.limit) });
  },
});

const getLookupCacheOp = defineOperation({
  name: 'get_lookup_cache',
  toolset: 'manage',
  title: 'Read a lookup cache',
  description: 'A page of one lookup cache\'s keys and values (at most 1000 per read: narrow with startsWith or keys).',
  input: {
    cache: z.string().min(1).describe('Lookup cache id or name, e.g. "Shopify SKU to NetSuite Item"'),
    startsWith: z.string().optional().describe('Only keys with this prefix, e.g. "SKU-1"'),
    keys: z.array(z.string()).optional().describe('Only these keys'),
    ...listArgs(),
  },
  annotations: READ,
  cli: {
    noun: 'lookup-caches',
    verb: 'get',
    summary: 'Keys and values of one lookup cache (at most 1000 per read; narrow with --starts-with or --keys)',
    args: ['cache'],
    flags: { cache: { description: 'Lookup cache id or name' }, startsWith: { flags: '--starts-with <prefix>' }, keys: { flags: '--keys <key>', description: 'Only this key (repeatable)' }, ...CLI_LIST },
    examples: ['lookup-caches get "Shopify SKU to NetSuite Item" --starts-with SKU-101', 'lookup-caches get "Salesforce Account to NetSuite Customer" --json key,value'],
  },
  run: (ctx, a) => lookupCacheData(ctx, a),
  forModel(r, a) {
    const page = listResult(`keys of "${r.cache.name ?? r.cache.id}"`, r.entries, { ...a, fields: a.fields }, ['key', 'value']);
    const capped = r.capped ? `\nThe read returned ${r.entries.length} keys, the most one read gives: the cache may hold more; narrow with startsWith.` : '';
    return { text: `Lookup cache "${r.cache.name}" (${r.cache.id}), ${r.cache.sizeInMB ?? '?'} (${r.cache.sizeBytes ?? '?'} bytes).\n${page.text}${capped}`, structured: { cache: r.cache, capped: r.capped, ...page.structured } };
  },
  forTerminal(r, t: Terminal, a) {
    t.expectFields(['key', 'value']);
    if (!t.jsonMode) t.note(`Lookup cache "${r.cache.name}" (${r.cache.id}), ${r.cache.sizeInMB ?? '?'}${r.capped ? '; at most 1000 keys per read: narrow with --starts-with' : ''}`);
    t.list(r.entries, { noun: 'keys', fields: ['key', 'value'], limit: terminalLimit(a.limit) });
  },
});

export const resourceOperations: Operation[] = [entry(deleteResourceOp), entry(getJobErrorsOp), entry(listLookupCachesOp), entry(getLookupCacheOp)];
