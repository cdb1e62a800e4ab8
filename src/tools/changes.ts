// The basic mutating tools of every toolset. Workflows (bulk retry, health, …) live in workflows.ts.
import { z } from 'zod';
import { defineTool, type ToolDef } from './types.js';
import { idOrName, json } from './format.js';
import { createIntegration, cloneIntegration, addTagToIntegration, updateFlow, createConnection } from '../ops/changes.js';
import { runFlow, runExport } from '../ops/run.js';
import { retryJob, retryErrors } from '../ops/retry.js';
import { clearErrors } from '../ops/clear.js';
import { RANGE_DESC } from './jobs.js';

const CREATE = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true } as const;
const confirm = z.string().optional().describe('Confirmation token from the preview');

function done(heading: string, r: object) {
  return { text: `${heading}\n${json(r)}`, structured: r as Record<string, unknown> };
}

export const changeTools: ToolDef[] = [
  defineTool({
    name: 'create_integration',
    toolset: 'integrations',
    title: 'Create an integration',
    description: 'Create an empty integration (backed up, undoable).',
    input: { name: z.string().min(1).max(100).describe('Name'), description: z.string().optional().describe('Description') },
    annotations: CREATE,
    handler: async (a, ctx) => done('Created.', await createIntegration(ctx, a)),
  }),
  defineTool({
    name: 'clone_integration',
    toolset: 'integrations',
    title: 'Clone an integration',
    description: 'Copy an integration with its flows under a new name.',
    input: { integration: idOrName('Source integration'), name: z.string().min(1).max(100).describe('Name of the copy') },
    annotations: CREATE,
    handler: async (a, ctx) => done('Cloned.', await cloneIntegration(ctx, a)),
  }),
  defineTool({
    name: 'add_tag_to_integration',
    toolset: 'tags',
    title: 'Tag an integration',
    description: 'Add a tag (created if new) to an integration; stored in the account for every user.',
    input: { integration: idOrName('Integration'), tag: z.string().min(1).max(100).describe('Tag label, e.g. critical') },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    handler: async (a, ctx) => done('Tagged.', await addTagToIntegration(ctx, a)),
  }),
  defineTool({
    name: 'update_flow',
    toolset: 'flows',
    title: 'Update a flow',
    description: 'Enable/disable, schedule, rename, or change import mappings. Backed up, read-modify-write, verified.',
    input: {
      flow: idOrName('Flow'),
      enabled: z.boolean().optional().describe('true to enable, false to disable'),
      schedule: z.string().optional().describe('Cron, e.g. "? 0 2 ? * *"; empty string removes it'),
      name: z.string().min(1).max(100).optional().describe('New name'),
      import: z.string().optional().describe('Import step id or name for mapping changes (default: the only import)'),
      mappingChanges: z
        .array(
          z.object({
            op: z.enum(['add', 'change', 'remove']).describe('add, change or remove'),
            generate: z.string().min(1).describe('Destination field'),
            extract: z.string().optional().describe('Source field'),
            hardCodedValue: z.string().optional().describe('Constant value'),
          }),
        )
        .optional()
        .describe('Field mapping changes'),
      confirm,
    },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    handler: async (a, ctx) => done('Updated.', await updateFlow(ctx, a)),
  }),
  defineTool({
    name: 'trigger_flow_run',
    toolset: 'flows',
    title: 'Run a flow',
    description: 'Start a flow now; with wait, monitor it to the end and report counts and errors.',
    input: {
      flow: idOrName('Flow'),
      wait: z.boolean().optional().describe('Monitor until the job ends (progress notifications)'),
      timeoutSec: z.number().int().min(5).max(3600).optional().describe('Give up waiting after this long (default 600)'),
    },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    handler: async (a, ctx) => {
      const r = await runFlow(ctx, { flow: a.flow, wait: a.wait, timeoutMs: a.timeoutSec ? a.timeoutSec * 1000 : undefined });
      return done(`Flow ${r.flowName}: job ${r.jobId} ${r.status}.`, r);
    },
  }),
  defineTool({
    name: 'create_connection',
    toolset: 'connections',
    title: 'Create a connection',
    description: 'Create a connection, then test it and report. Secrets go in config and are never echoed.',
    input: {
      name: z.string().min(1).max(100).describe('Name'),
      type: z.string().min(1).describe('Type: netsuite, salesforce, http, ftp, s3, rdbms, …'),
      config: z.record(z.string(), z.unknown()).optional().describe('Type block, e.g. {"http":{"baseURI":…,"auth":…}}'),
      test: z.boolean().optional().describe('Test after creating (default true)'),
    },
    annotations: CREATE,
    handler: async (a, ctx) => {
      const r = await createConnection(ctx, a);
      return done(r.healthy === false ? 'Created, but the test FAILED.' : 'Created.', r);
    },
  }),
  defineTool({
    name: 'retry_job',
    toolset: 'jobs',
    title: 'Retry a job',
    description: 'Retry the open errors of one failed job.',
    input: { job: z.string().min(1).describe('Job id') },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    handler: async (a, ctx) => done('Retry started.', await retryJob(ctx, a)),
  }),
  defineTool({
    name: 'retry_errors',
    toolset: 'errors',
    title: 'Retry errors',
    description: 'Retry open errors of a flow (one step, chosen ids, or all).',
    input: {
      flow: idOrName('Flow'),
      step: z.string().optional().describe('Step (export/import) id or name'),
      errorIds: z.array(z.string()).optional().describe('Only these errorIds'),
      all: z.boolean().optional().describe('All open errors of the flow/step'),
      confirm,
    },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    handler: async (a, ctx) => done('Retried.', await retryErrors(ctx, a)),
  }),
  defineTool({
    name: 'clear_errors',
    toolset: 'errors',
    title: 'Clear errors',
    description: 'Resolve open errors (or purge resolved ones) by scope, time range and pattern. Preview, then confirm.',
    input: {
      integration: z.string().optional().describe('Integration id or name'),
      flow: z.string().optional().describe('Flow id or name'),
      step: z.string().optional().describe('Step id or name'),
      range: z.string().optional().describe(RANGE_DESC),
      pattern: z.string().optional().describe('Only errors whose code/message contains this text'),
      state: z.enum(['open', 'resolved']).optional().describe('open: resolve them (default); resolved: purge them'),
      confirm,
    },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    handler: async (a, ctx) => done('Done.', await clearErrors(ctx, a)),
  }),
  defineTool({
    name: 'trigger_export',
    toolset: 'exports',
    title: 'Run an export',
    description: 'Run an export (through its flow) and monitor it to completion.',
    input: { export: idOrName('Export'), wait: z.boolean().optional().describe('Monitor to the end (default true)') },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    handler: async (a, ctx) => {
      const r = await runExport(ctx, { export: a.export, wait: a.wait ?? true });
      return done(`Export run: job ${r.jobId} ${r.status}.`, r);
    },
  }),
] as unknown as ToolDef[];
