// The basic mutating tools of every toolset. Workflows (bulk retry, health, …) live in workflows.ts.
import { z } from 'zod';
import { defineTool, type ToolDef } from './types.js';
import { idOrName, json } from '../operations/format.js';
const changesOps = () => import('../ops/changes.js');
const runOps = () => import('../ops/run.js');
const retryOps = () => import('../ops/retry.js');
const clearOps = () => import('../ops/clear.js');
import { RANGE_DESC } from './jobs.js';

const CREATE = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true } as const;
const confirm = z.string().optional().describe('Preview token');

function done(heading: string, r: object) {
  return { text: `${heading}\n${json(r)}`, structured: r as Record<string, unknown> };
}

/** A retry or clear that did nothing of what was asked is an error for the model, with the report. */
function outcome(r: { summary: string; matched: number; retried?: number; cleared?: number; failed: number; unsupported?: boolean }) {
  const did = r.retried ?? r.cleared ?? 0;
  const isError = !!r.unsupported || (r.matched > 0 && did === 0) || r.failed > 0;
  return { ...done(r.summary, r), ...(isError ? { isError } : {}) };
}

export const changeTools: ToolDef[] = [
  defineTool({
    name: 'create_integration',
    toolset: 'integrations',
    title: 'Create an integration',
    description: 'Create an empty integration.',
    input: { name: z.string().describe('Name'), description: z.string().optional().describe('Description') },
    annotations: CREATE,
    handler: async (a, ctx) => done('Created.', await (await changesOps()).createIntegration(ctx, a)),
  }),
  defineTool({
    name: 'clone_integration',
    toolset: 'integrations',
    title: 'Clone an integration',
    description: 'Copy an integration and its flows.',
    // The op also takes an explicit connectionMap (the CLI's --connection); the default tool list has no
    // room for it under its 12,000-byte budget, so the tool always reuses the source's connections.
    input: { integration: idOrName('Source integration'), name: z.string().describe('New name') },
    annotations: CREATE,
    handler: async (a, ctx) => done('Cloned.', await (await changesOps()).cloneIntegration(ctx, a)),
  }),
  defineTool({
    name: 'add_tag_to_integration',
    toolset: 'tags',
    title: 'Set an integration\'s tag',
    description: 'Celigo keeps ONE tag per integration: sets it, replacing any existing tag.',
    input: { integration: idOrName('Integration'), tag: z.string().describe('e.g. critical') },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    handler: async (a, ctx) => {
      const r = await (await changesOps()).addTagToIntegration(ctx, a);
      return done(r.summary, r);
    },
  }),
  defineTool({
    name: 'create_connection',
    toolset: 'connections',
    title: 'Create a connection',
    description: 'Create a connection, then test it.',
    input: {
      name: z.string().describe('Name'),
      type: z.string().describe('e.g. netsuite, http, ftp'),
      config: z.record(z.string(), z.unknown()).optional().describe('e.g. {"http":{…}}'),
      test: z.boolean().optional().describe('Default true'),
    },
    annotations: CREATE,
    handler: async (a, ctx) => {
      const r = await (await changesOps()).createConnection(ctx, a);
      return done(r.healthy === false ? 'Created, but the test FAILED.' : 'Created.', r);
    },
  }),
  defineTool({
    name: 'retry_job',
    toolset: 'jobs',
    title: 'Retry a job',
    description: 'Retry a job\'s open errors.',
    input: { job: z.string().describe('Job id') },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    handler: async (a, ctx) => outcome(await (await retryOps()).retryJob(ctx, a)),
  }),
  defineTool({
    name: 'retry_errors',
    toolset: 'errors',
    title: 'Retry errors',
    description: 'Retry a flow\'s open errors (a step, ids, or all).',
    input: {
      flow: idOrName('Flow'),
      step: z.string().optional().describe('Step id/name'),
      errorIds: z.array(z.string()).optional().describe('errorIds'),
      all: z.boolean().optional().describe('All open'),
      confirm,
    },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    handler: async (a, ctx) => outcome(await (await retryOps()).retryErrors(ctx, a)),
  }),
  defineTool({
    name: 'clear_errors',
    toolset: 'errors',
    title: 'Clear errors',
    description: 'Resolve open (or purge resolved) errors by scope, time, pattern.',
    input: {
      integration: z.string().optional().describe('Integration id/name'),
      flow: z.string().optional().describe('Flow id/name'),
      step: z.string().optional().describe('Step id/name'),
      range: z.string().optional().describe(RANGE_DESC),
      pattern: z.string().optional().describe('Text in code/message'),
      state: z.enum(['open', 'resolved']).optional().describe('Default open'),
      confirm,
    },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    handler: async (a, ctx) => outcome(await (await clearOps()).clearErrors(ctx, a)),
  }),
  defineTool({
    name: 'trigger_export',
    toolset: 'exports',
    title: 'Run an export',
    description: 'Run an export via its flow and follow it.',
    input: { export: idOrName('Export'), wait: z.boolean().optional().describe('Default true') },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    handler: async (a, ctx) => {
      const r = await (await runOps()).runExport(ctx, { export: a.export, wait: a.wait ?? true });
      return done(`Export run: job ${r.jobId} ${r.status}.`, r);
    },
  }),
] as unknown as ToolDef[];
