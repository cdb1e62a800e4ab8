// The workflows toolset: one call per thing people ask for (issue 4). Logic lives in src/ops; these
// handlers only shape compact text and structured reports.
import { z } from 'zod';
import { UsageError } from '../core/errors.js';
const dependenciesOps = () => import('../ops/dependencies.js');
const mappingOps = () => import('../ops/mapping/update.js');
const retryOps = () => import('../ops/retry.js');
const runOps = () => import('../ops/run.js');
import type { SetupSpec } from '../ops/setup.js';
const setupOps = () => import('../ops/setup.js');
import { truncate } from '../ops/util.js';
import { json, tsv } from '../operations/format.js';
import { RANGE_DESC } from './jobs.js';
import { defineTool, type ToolDef, type ToolResult } from './types.js';

const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true } as const;
const confirm = z.string().optional().describe('Preview token');

const lines = (...parts: (string | undefined | false)[]) => parts.filter(Boolean).join('\n');
const TEXT_LIMIT = 60_000;

function result(text: string, structured: object, isError = false): ToolResult {
  return { text: text.length > TEXT_LIMIT ? text.slice(0, TEXT_LIMIT) + '\n…(truncated)' : text, structured: structured as Record<string, unknown>, ...(isError ? { isError } : {}) };
}

const endpoint = (side: string) =>
  z.record(z.string(), z.unknown()).describe(`${side}: {connection} to reuse, or {type,name,config} to create`);

const field = {
  generate: z.string().min(1).describe('Target field'),
  extract: z.string().optional().describe('Source field'),
  hardCodedValue: z.string().optional().describe('Constant'),
};
const mappingChange = z.object({ op: z.enum(['add', 'change', 'remove']).describe('Operation'), ...field });

export const workflowTools: ToolDef[] = [
  defineTool({
    name: 'retry_failed_jobs',
    toolset: 'workflows',
    title: 'Retry failed jobs',
    description: 'Retry open errors by time range, integration, flow and pattern. Previews and asks first.',
    input: {
      range: z.string().optional().describe(RANGE_DESC),
      integration: z.string().optional().describe('Integration id or name'),
      flow: z.string().optional().describe('Flow id or name'),
      pattern: z.string().optional().describe('Error text or /regex/'),
      concurrency: z.number().int().min(1).max(16).optional().describe('Parallel steps'),
      wait: z.boolean().optional().describe('Wait and count resolved'),
      confirm,
    },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    handler: async (a, ctx) => {
      const r = await (await retryOps()).retryFailedJobs(ctx, a);
      return result(
        lines(
          r.summary,
          r.flows.length > 0 && tsv(r.flows.map((f) => ({ flow: f.name, id: f.flowId, errors: f.errors, jobs: f.jobs }))),
          r.failures.length > 0 && `Failures:\n- ${r.failures.slice(0, 10).join('\n- ')}`,
          r.jobs.length > 0 && `Retry jobs: ${r.jobs.slice(0, 20).map((j) => j.jobId).join(', ')}${r.jobs.length > 20 ? ', …' : ''}`,
        ),
        r,
        r.failed > 0 && r.retried === 0,
      );
    },
  }),
  defineTool({
    name: 'run_and_monitor',
    toolset: 'workflows',
    title: 'Run and monitor',
    description: 'Run a flow or export, follow it to the end, report records and error patterns.',
    input: {
      flow: z.string().optional().describe('Flow id or name'),
      export: z.string().optional().describe('Or an export id or name'),
      wait: z.boolean().optional().describe('Follow to the end (default true)'),
      timeoutSec: z.number().int().min(5).max(3600).optional().describe('Max wait (default 600)'),
    },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    handler: async (a, ctx) => {
      if (!a.flow === !a.export) throw new UsageError('Pass flow or export (one of them).');
      const opts = { wait: a.wait ?? true, timeoutMs: a.timeoutSec ? a.timeoutSec * 1000 : undefined };
      const r = a.flow ? await (await runOps()).runFlow(ctx, { flow: a.flow, ...opts }) : await (await runOps()).runExport(ctx, { export: a.export!, ...opts });
      return result(
        lines(
          r.summary,
          r.errorGroups.length > 0 && tsv(r.errorGroups.slice(0, 10).map((g) => ({ count: g.count, step: g.stepId, cause: g.causeLabel, pattern: truncate(g.pattern, 120) }))),
          `Follow up:\n- ${r.followUp.join('\n- ')}`,
        ),
        r,
      );
    },
  }),
  defineTool({
    name: 'update_mapping',
    toolset: 'workflows',
    title: 'Update a mapping',
    description: "Change a flow import's field mappings: preview on a sample, back up, write, verify.",
    input: {
      flow: z.string().min(1).describe('Flow id or name'),
      import: z.string().optional().describe('Import id or name, if several'),
      changes: z.array(mappingChange).min(1).describe('Changes'),
      sample: z.record(z.string(), z.unknown()).optional().describe('Sample record (default: from the export)'),
      dryRun: z.boolean().optional().describe('Preview only'),
      confirm,
    },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    handler: async (a, ctx) => {
      const r = await (await mappingOps()).updateMapping(ctx, a);
      return result(
        lines(
          r.summary,
          r.warnings.length > 0 && `Warnings:\n- ${r.warnings.join('\n- ')}`,
          r.problems.length > 0 && `Problems:\n- ${r.problems.join('\n- ')}`,
          r.preview && `Preview (${r.sample} sample): ${truncate(json(r.preview.output), 2000)}`,
        ),
        r,
        r.problems.length > 0,
      );
    },
  }),
  defineTool({
    name: 'setup_integration',
    toolset: 'workflows',
    title: 'Set up an integration',
    description: 'Create an integration end to end: tested connections, export, import with mapping, disabled flow, preview. Resumable.',
    input: {
      name: z.string().min(1).max(100).describe('Integration name'),
      recordType: z.string().min(1).describe('Record type, e.g. customer'),
      source: endpoint('Source'),
      destination: endpoint('Destination'),
      mappings: z.array(z.object(field)).optional().describe('Field mappings'),
      schedule: z.string().optional().describe('Cron, e.g. "? 0 2 ? * *"'),
      enable: z.boolean().optional().describe('Enable if both connections test OK'),
      resume: z.record(z.string(), z.string()).optional().describe('resume ids of a failed attempt'),
      confirm,
    },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    handler: async (a, ctx) => {
      const r = await (await setupOps()).setupIntegration(ctx, a as unknown as SetupSpec);
      return result(
        lines(
          r.summary,
          tsv(r.steps.map((s) => ({ step: s.step, status: s.status, id: s.id, note: truncate(s.message, 140) }))),
          r.nextSteps.length > 0 && `Next:\n- ${r.nextSteps.join('\n- ')}`,
        ),
        r,
        r.status === 'failed',
      );
    },
  }),
  defineTool({
    name: 'check_dependencies',
    toolset: 'workflows',
    title: 'Check dependencies',
    description: 'Which flows and integrations use a resource; check before delete, disable or connection change.',
    input: {
      // The values of DEPENDENCY_TYPES (ops/dependencies.ts), inlined so the module loads only when called.
      type: z.enum(['integration', 'flow', 'export', 'import', 'connection', 'tag']).describe('Resource type'),
      id: z.string().min(1).describe('Id or name'),
    },
    annotations: READ_ONLY,
    handler: async (a, ctx) => {
      const r = await (await dependenciesOps()).checkDependencies(ctx, a);
      return result(
        lines(
          r.summary,
          r.flows.length > 0 && tsv(r.flows.map((f) => ({ flow: f.name, id: f._id, enabled: !f.disabled, uses: f.uses.join(', ') }))),
          r.integrations.length > 0 && `Integrations: ${r.integrations.map((i) => `${i.name} (${i._id})`).join(', ')}`,
        ),
        r,
      );
    },
  }),
] as unknown as ToolDef[];
