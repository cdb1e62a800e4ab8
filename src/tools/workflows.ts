// The workflows toolset: one call per thing people ask for (issue 4). Logic lives in src/ops; these
// handlers only shape compact text and structured reports.
import { z } from 'zod';
import { UsageError } from '../core/errors.js';
const dependenciesOps = () => import('../ops/dependencies.js');
import type { HealthReport } from '../ops/health.js';
const healthOps = () => import('../ops/health.js');
const mappingOps = () => import('../ops/mapping/update.js');
const runOps = () => import('../ops/run.js');
const troubleshootOps = () => import('../ops/troubleshoot.js');
import { truncate } from '../ops/util.js';
import { json, tsv } from '../operations/format.js';
import { RANGE_DESC } from './jobs.js';
import { defineTool, type ToolDef, type ToolResult } from './types.js';

const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true } as const;
const confirm = z.string().optional().describe('Preview token');

const pct = (r: number | null | undefined) => (r === null || r === undefined ? '' : `${Math.round(r * 100)}%`);
const sec = (v: number | undefined) => (v === undefined ? '' : `${Math.round(v / 1000)}s`);
const lines = (...parts: (string | undefined | false)[]) => parts.filter(Boolean).join('\n');
const TEXT_LIMIT = 60_000;

function result(text: string, structured: object, isError = false): ToolResult {
  return { text: text.length > TEXT_LIMIT ? text.slice(0, TEXT_LIMIT) + '\n…(truncated)' : text, structured: structured as Record<string, unknown>, ...(isError ? { isError } : {}) };
}

/** The health report without the healthy flows' detail (the series stay, for charts). */
export function compactHealth(r: HealthReport): Record<string, unknown> {
  return {
    ...r,
    integrations: r.integrations.map((i) => ({ ...i, flows: i.flows.filter((f) => f.verdict !== 'healthy'), healthyFlows: i.flows.filter((f) => f.verdict === 'healthy').length })),
    failedJobs: r.failedJobs.slice(0, 20),
  };
}

const field = {
  generate: z.string().min(1).describe('Target field'),
  extract: z.string().optional().describe('Source field'),
  hardCodedValue: z.string().optional().describe('Constant'),
};
const mappingChange = z.object({ op: z.enum(['add', 'change', 'remove']).describe('Operation'), ...field });

export const workflowTools: ToolDef[] = [
  defineTool({
    name: 'daily_health_check',
    toolset: 'workflows',
    title: 'Daily health check',
    description: 'Health per integration over a window (default last 24 hours) vs the prior 7 days: verdicts, failures, errors, run times, connection tests.',
    input: { range: z.string().optional().describe(RANGE_DESC) },
    annotations: READ_ONLY,
    app: { uri: 'ui://celigo-manage/health-report', title: 'Health report' },
    handler: async (a, ctx) => {
      const r = await (await healthOps()).healthCheck(ctx, a);
      const { renderHealthHtml } = await import('../report/health-html.js');
      const table = tsv(
        r.integrations.map((i) => ({ verdict: i.verdict, integration: i.name, runs: i.jobs.total, failed: i.jobs.failed, success: pct(i.successRate), openErrors: i.openErrors, errorTrend: i.errorTrend, p95: sec(i.runTime.p95Ms), why: truncate(i.reasons.join('; '), 160) })),
      );
      const down = r.connections.filter((c) => !c.ok);
      const out = result(
        lines(
          r.summary,
          table,
          down.length > 0 && `Connections down:\n${tsv(down.map((c) => ({ connection: c.name ?? c.connectionId, id: c.connectionId, code: c.code, message: truncate(c.message, 120) })))}`,
          r.scheduleIssues.length > 0 && `Schedule issues:\n${tsv(r.scheduleIssues.map((s) => ({ flow: s.name, id: s.flowId, issue: s.issue })))}`,
          r.failedJobs.length > 0 && `Failed runs (newest ${Math.min(10, r.failedJobs.length)} of ${r.failedJobs.length}):\n${tsv(r.failedJobs.slice(0, 10).map((j) => ({ job: j.jobId, flow: j.flowName, at: j.createdAt, errors: j.numError })))}`,
          r.verdicts.failing + r.verdicts.degraded > 0 && 'Next: troubleshoot {"integration":"<name>"} for each failing or degraded integration.',
        ),
        compactHealth(r),
      );
      return { ...out, appHtml: renderHealthHtml(r) };
    },
  }),
  defineTool({
    name: 'troubleshoot',
    toolset: 'workflows',
    title: 'Troubleshoot',
    description: 'Why a job, flow or integration fails: error patterns, likely cause and fix, connection tests, changes made just before.',
    input: {
      job: z.string().optional().describe('Job id'),
      flow: z.string().optional().describe('Flow id or name'),
      integration: z.string().optional().describe('Integration id or name'),
    },
    annotations: READ_ONLY,
    handler: async (a, ctx) => {
      const r = await (await troubleshootOps()).troubleshoot(ctx, a);
      const groups = tsv(r.errorGroups.slice(0, 10).map((g) => ({ count: g.count, step: g.stepName ?? g.stepId, cause: g.causeLabel, retry: g.retry, firstSeen: g.firstSeen, pattern: truncate(g.pattern, 120) })));
      const badConns = [...new Map(r.steps.filter((s) => s.connection && !s.connection.ok).map((s) => [s.connection!.connectionId, s])).values()];
      return result(
        lines(
          r.summary,
          r.likelyCause && `Likely cause: ${r.likelyCause.label}. Evidence: ${r.likelyCause.evidence.join('; ')}`,
          groups && `Error patterns (${r.errorGroups.length}):\n${groups}`,
          badConns.length > 0 && `Connection tests failed: ${badConns.map((s) => `${s.connection!.name ?? s.connection!.connectionId} (${s.connection!.code})`).join(', ')}`,
          r.suspectChange && `Changed before the errors: ${r.suspectChange.resourceType} ${r.suspectChange.resourceName ?? r.suspectChange.resourceId} at ${r.suspectChange.at} (${r.suspectChange.minutesBeforeFirstError} min before)${r.suspectChange.fields.length ? `: ${r.suspectChange.fields.slice(0, 6).join(', ')}` : ''}${r.suspectChange.by ? ` by ${r.suspectChange.by}` : ''}`,
          r.nextSteps.length > 0 && `Next:\n- ${r.nextSteps.join('\n- ')}`,
        ),
        r,
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
