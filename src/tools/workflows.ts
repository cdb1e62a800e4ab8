// The workflows toolset: one call per thing people ask for (issue 4). Logic lives in src/ops; these
// handlers only shape compact text and structured reports.
import { z } from 'zod';
import type { HealthReport } from '../ops/health.js';
const healthOps = () => import('../ops/health.js');
const troubleshootOps = () => import('../ops/troubleshoot.js');
import { truncate } from '../ops/util.js';
import { tsv } from '../operations/format.js';
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
] as unknown as ToolDef[];
