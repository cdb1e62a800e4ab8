// A troubleshoot report as a model reads it: counts, the likely cause and the suspect change, then the
// error patterns largest first a page at a time (each with its cause, retry advice and a sample), the fix
// of each cause shown, and the flows and connections at fault, capped with how to see the rest. Text plus
// structured part stay within MODEL_BUDGET on any account size; the terminal and --json show the report.
import { z } from 'zod';
import { describeEffect, type TroubleGroup } from '../ops/troubleshoot-judge.js';
import type { TroubleshootReport } from '../ops/troubleshoot-report.js';
import { patternRegex } from '../ops/patterns.js';
import { decodeCursor } from '../ops/project.js';
import { plural, truncate } from '../ops/util.js';
import { tsv } from './format.js';
import { lines, MODEL_BUDGET, pageOf, resultSize } from './health-model.js';
import type { ToolResult } from './types.js';

/** Patterns of a page (fewer when they do not fit ROWS_BUDGET characters). */
export const PATTERN_ROWS = 10;
/** Rows of each capped section: the flows with errors, the connections that failed their test. */
const SECTION_ROWS = 5;
const ROWS_BUDGET = 8_000;

const patternRow = z.object({
  count: z.number(),
  pattern: z.string(),
  code: z.string(),
  step: z.string().optional(),
  stepId: z.string().optional(),
  flowId: z.string().optional(),
  cause: z.string(),
  retry: z.enum(['now', 'after_fix', 'no']),
  firstSeen: z.string(),
  lastSeen: z.string(),
  jobs: z.number(),
  sample: z.object({ errorId: z.string(), occurredAt: z.string(), message: z.string().optional() }).optional(),
});
const capped = <T extends z.ZodType>(row: T) => z.object({ total: z.number(), rows: z.array(row) });

/**
 * The model's structured result of troubleshoot: a stable shape for an outputSchema. `total`,
 * `truncated` and `nextCursor` are those of the error patterns (after `pattern`); counts are the target's.
 */
export const troubleshootModelOutput = {
  target: z.object({ type: z.enum(['job', 'flow', 'integration']), id: z.string(), name: z.string().optional() }),
  summary: z.string(),
  job: z.object({ jobId: z.string(), status: z.string(), createdAt: z.string(), exported: z.number(), succeeded: z.number(), failed: z.number() }).optional(),
  recentJobs: z.array(z.object({ jobId: z.string(), status: z.string(), createdAt: z.string(), numError: z.number() })).optional(),
  counts: z.object({ openErrors: z.number(), patterns: z.number(), flowsWithErrors: z.number(), stepsExamined: z.number(), connectionsDown: z.number(), changes: z.number() }),
  likelyCause: z.object({ cause: z.string(), label: z.string(), fix: z.string(), evidence: z.array(z.string()) }).optional(),
  suspectChange: z
    .object({ at: z.string(), resourceType: z.string(), resourceId: z.string(), resourceName: z.string().optional(), action: z.string(), by: z.string().optional(), fields: z.array(z.string()), mapping: z.string().optional(), backupId: z.string().optional(), minutesBeforeFirstError: z.number() })
    .optional(),
  filter: z.object({ pattern: z.string().optional() }),
  total: z.number(),
  truncated: z.boolean(),
  nextCursor: z.string().optional(),
  patterns: z.array(patternRow),
  /** The fix of each cause among the patterns shown, by cause label. */
  fixes: z.record(z.string(), z.string()),
  flows: capped(z.object({ flowId: z.string(), name: z.string(), openErrors: z.number() })),
  connectionsDown: capped(z.object({ connectionId: z.string(), name: z.string().optional(), code: z.number().optional(), message: z.string().optional() })),
};

export type TroubleshootModel = z.infer<z.ZodObject<typeof troubleshootModelOutput>>;
type PatternRow = z.infer<typeof patternRow>;

/** What the model asked to see of the report. */
export interface TroubleshootView {
  pattern?: string;
  cursor?: string;
}

const cut = (s: string | undefined, max: number) => truncate(s, max);

/** Does an error group match a `pattern` filter: its text (any case), or a /regex/ of its pattern, code, step, cause or samples? */
export function groupMatches(filter: string | undefined, g: TroubleGroup): boolean {
  if (!filter?.trim()) return true;
  const texts = [g.pattern, g.code, g.stepName ?? '', g.causeLabel, g.cause, ...g.samples.map((s) => s.message ?? '')];
  const rx = patternRegex(filter);
  if (rx) return texts.some((t) => rx.test(t));
  const f = filter.trim().toLowerCase();
  return texts.some((t) => t.toLowerCase().includes(f));
}

function patternRowOf(g: TroubleGroup): PatternRow {
  const s = g.samples[0];
  return {
    count: g.count,
    pattern: cut(g.pattern, 160)!,
    code: cut(g.code, 60)!,
    ...(g.stepName || g.stepId ? { step: cut(g.stepName ?? g.stepId, 80) } : {}),
    ...(g.stepId ? { stepId: g.stepId } : {}),
    ...(g.flowId ? { flowId: g.flowId } : {}),
    cause: g.causeLabel,
    retry: g.retry,
    firstSeen: g.firstSeen,
    lastSeen: g.lastSeen,
    jobs: g.jobCount,
    ...(s ? { sample: { errorId: s.errorId, occurredAt: s.occurredAt, ...(s.message ? { message: cut(s.message, 120) } : {}) } } : {}),
  };
}

/** The parts that do not depend on the page: what was troubleshot, counts, cause, suspect, flows, connections. */
function headOf(r: TroubleshootReport): Omit<TroubleshootModel, 'filter' | 'total' | 'truncated' | 'nextCursor' | 'patterns' | 'fixes'> {
  const down = [...new Map(r.steps.flatMap((s) => (s.connection && !s.connection.ok ? [[s.connection.connectionId, s.connection] as const] : []))).values()];
  const withErrors = r.flows.filter((f) => f.openErrors > 0).sort((a, b) => b.openErrors - a.openErrors);
  const s = r.suspectChange;
  const lc = r.likelyCause;
  return {
    target: { ...r.target, ...(r.target.name !== undefined ? { name: cut(r.target.name, 100) } : {}) },
    summary: cut(r.summary, 600)!,
    ...(r.job ? { job: { jobId: r.job.jobId, status: r.job.status, createdAt: r.job.createdAt, exported: r.job.counts.exported, succeeded: r.job.counts.succeeded, failed: r.job.counts.failed } } : {}),
    ...(r.recentJobs ? { recentJobs: r.recentJobs.slice(0, 10) } : {}),
    counts: { openErrors: r.totalErrors, patterns: r.errorGroups.length, flowsWithErrors: withErrors.length, stepsExamined: r.steps.length, connectionsDown: down.length, changes: r.changes.length },
    ...(lc ? { likelyCause: { cause: lc.cause, label: lc.label, fix: lc.fix, evidence: lc.evidence.slice(0, 4).map((e) => cut(e, 240)!) } } : {}),
    ...(s
      ? {
          suspectChange: {
            at: s.at,
            resourceType: s.resourceType,
            resourceId: s.resourceId,
            ...(s.resourceName !== undefined ? { resourceName: cut(s.resourceName, 100) } : {}),
            action: cut(s.action, 80)!,
            ...(s.by ? { by: cut(s.by, 80) } : {}),
            fields: s.fields.slice(0, 6).map((f) => cut(f, 80)!),
            ...(s.mappingEffect ? { mapping: cut(describeEffect(s.mappingEffect), 300) } : {}),
            ...(s.backupId ? { backupId: s.backupId } : {}),
            minutesBeforeFirstError: s.minutesBeforeFirstError,
          },
        }
      : {}),
    flows: { total: withErrors.length, rows: withErrors.slice(0, SECTION_ROWS).map((f) => ({ flowId: f.flowId, name: cut(f.name, 100)!, openErrors: f.openErrors })) },
    connectionsDown: {
      total: down.length,
      rows: down.slice(0, SECTION_ROWS).map((c) => ({ connectionId: c.connectionId, ...(c.name ? { name: cut(c.name, 80) } : {}), ...(c.code !== undefined ? { code: c.code } : {}), ...(c.message ? { message: cut(c.message, 120) } : {}) })),
    },
  };
}

function buildTroubleshootModel(r: TroubleshootReport, view: TroubleshootView, rowsBudget: number): TroubleshootModel {
  const groups = r.errorGroups.filter((g) => groupMatches(view.pattern, g));
  const page = pageOf(groups, patternRowOf, { limit: PATTERN_ROWS, cursor: view.cursor, maxChars: rowsBudget });
  const offset = decodeCursor(view.cursor);
  const fixes: Record<string, string> = {};
  for (const g of groups.slice(offset, offset + page.items.length)) fixes[g.causeLabel] = g.fix;
  return {
    ...headOf(r),
    filter: view.pattern ? { pattern: view.pattern } : {},
    total: page.total,
    truncated: page.truncated,
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    patterns: page.items,
    fixes,
  };
}

/** "Showing 10 of 37 error patterns (3,100 of 5,000 open errors), largest first; pass cursor …" */
function pageLine(m: TroubleshootModel, offset: number): string {
  const what = m.filter.pattern !== undefined ? `error patterns matching ${JSON.stringify(m.filter.pattern)}` : 'error patterns';
  if (m.total === 0) return m.filter.pattern !== undefined ? `No ${what}; leave pattern out to see all ${m.counts.patterns}.` : '';
  const shown = m.patterns.length;
  if (shown === 0) return `No more ${what}: all ${m.total} were shown on earlier pages.`;
  const errors = m.patterns.reduce((n, p) => n + p.count, 0);
  const range = offset ? `, rows ${offset + 1}-${offset + shown}` : '';
  const fit = m.nextCursor && shown < PATTERN_ROWS ? '; as many as fit' : '';
  return `Showing ${shown} of ${m.total} ${what} (${errors} of ${m.counts.openErrors} open errors; largest first${range}${fit})` + (m.nextCursor ? `; pass cursor "${m.nextCursor}" for more, or pattern to narrow.` : '.');
}

/** The text of a model result, from the same rows as the structured part. */
function troubleshootModelText(m: TroubleshootModel, offset: number): string {
  const { job, likelyCause: lc, suspectChange: s, flows, connectionsDown: cd } = m;
  return lines(
    m.summary,
    job && `Job ${job.jobId}: ${job.status}, created ${job.createdAt}; ${job.exported} exported, ${job.succeeded} succeeded, ${job.failed} failed.`,
    !!m.recentJobs?.length && `Recent runs, newest first: ${m.recentJobs.map((j) => `${j.status} ${j.createdAt}${j.numError ? ` (${plural(j.numError, 'error')})` : ''}`).join('; ')}.`,
    lc && `Likely cause: ${lc.label}. Fix: ${lc.fix}\nEvidence:\n${lc.evidence.map((e) => `- ${e}`).join('\n')}`,
    s && `Changed before the errors: ${s.resourceType} ${JSON.stringify(s.resourceName ?? s.resourceId)} (${s.resourceId}) at ${s.at}, ${s.minutesBeforeFirstError} min before${s.by ? `, by ${JSON.stringify(s.by)}` : ''}${s.fields.length ? `; fields ${JSON.stringify(s.fields)}` : ''}${s.mapping ? `; mapping: ${JSON.stringify(s.mapping)}` : ''}.`,
    pageLine(m, offset),
    tsv(m.patterns.map((p) => ({ count: p.count, step: p.step, cause: p.cause, retry: p.retry, firstSeen: p.firstSeen, lastSeen: p.lastSeen, jobs: p.jobs, pattern: p.pattern, sample: p.sample?.message, errorId: p.sample?.errorId }))),
    Object.keys(m.fixes).length > 0 && `Fix by cause:\n${Object.entries(m.fixes).map(([cause, fix]) => `- ${cause}: ${fix}`).join('\n')}`,
    m.target.type === 'integration' && flows.total > 0 && `Flows with open errors${flows.total > flows.rows.length ? ` (${flows.rows.length} of ${flows.total}; troubleshoot with flow for one)` : ` (${flows.total})`}:\n${tsv(flows.rows.map((f) => ({ flow: f.name, id: f.flowId, openErrors: f.openErrors })))}`,
    cd.total > 0 && `Connection tests failed${cd.total > cd.rows.length ? ` (${cd.rows.length} of ${cd.total}; test_connection tests one)` : ` (${cd.total})`}:\n${tsv(cd.rows.map((c) => ({ connection: c.name ?? c.connectionId, id: c.connectionId, code: c.code, message: c.message })))}`,
  );
}

/**
 * The model's view of a troubleshoot report: `view` filters and pages the error patterns. The page stops
 * at PATTERN_ROWS rows or at its character budget, which is cut by a fifth until the result fits MODEL_BUDGET.
 */
export function troubleshootForModel(r: TroubleshootReport, view: TroubleshootView = {}): ToolResult {
  const offset = decodeCursor(view.cursor);
  for (let budget = ROWS_BUDGET; ; budget = Math.floor(budget * 0.8)) {
    const m = buildTroubleshootModel(r, view, budget);
    const result = { text: troubleshootModelText(m, offset), structured: m };
    if (resultSize(result) <= MODEL_BUDGET || budget < 200) return result;
  }
}
