// The daily health check as a model reads it: the account's counts, then the worst integrations a page at
// a time (or one integration and its flows), then the connections down, schedule problems and failed runs,
// each capped, with how to see the rest. Text plus structured part stay within MODEL_BUDGET on any account
// size (design.md §3: a result under 25,000 characters, next steps included); the terminal, --json and the
// HTML page show the whole report. The structured part holds the same rows as the text, never the series.
import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import { STANDALONE } from '../ops/health-judge.js';
import { worstFirst, type FlowHealth, type HealthReport, type IntegrationHealth, type Verdict } from '../ops/health-report.js';
import { rateOf as rate } from '../ops/job-tally.js';
import { decodeCursor, encodeCursor, paginate, type Paged } from '../ops/project.js';
import { plural, truncate } from '../ops/util.js';
import { tsv } from './format.js';
import type { ToolResult } from './types.js';

export const VERDICTS = ['failing', 'degraded', 'healthy'] as const;
/** Rows of a page (fewer when they do not fit ROWS_BUDGET characters). */
export const PAGE_ROWS = 20;
/** Rows of each capped section: connections down, schedule problems, failed runs. */
export const SECTION_ROWS = 5;
/** Text plus structured part before the next steps: room is left for those under design.md's 25,000. */
export const MODEL_BUDGET = 21_000;
/** Compact JSON of a page's rows; their text is shorter (no keys, no quotes). */
const ROWS_BUDGET = 8_000;


const verdict = z.enum(VERDICTS);
const integrationRow = z.object({
  integrationId: z.string(),
  name: z.string(),
  verdict,
  runs: z.number(),
  failed: z.number(),
  successRate: z.number().nullable(),
  openErrors: z.number(),
  errorsInWindow: z.number(),
  errorsBaseline: z.number(),
  errorTrend: z.enum(['up', 'down', 'flat', 'new']),
  p95Ms: z.number().optional(),
  why: z.string(),
});
const flowRow = z.object({
  flowId: z.string(),
  name: z.string(),
  verdict,
  disabled: z.boolean(),
  runs: z.number(),
  failed: z.number(),
  successRate: z.number().nullable(),
  openErrors: z.number(),
  lastRun: z.object({ status: z.string(), at: z.string() }).optional(),
  p95Ms: z.number().optional(),
  why: z.string(),
});
const capped = <T extends z.ZodType>(row: T) => z.object({ total: z.number(), rows: z.array(row) });
const connectionRow = z.object({ connectionId: z.string(), name: z.string().optional(), code: z.number().optional(), message: z.string().optional(), flows: z.number() });
const scheduleRow = z.object({ flowId: z.string(), name: z.string(), issue: z.enum(['disabled', 'not run']), schedule: z.string() });
const failedRunRow = z.object({ jobId: z.string(), flow: z.string(), createdAt: z.string(), errors: z.number() });

/**
 * The model's structured result of daily_health_check: a stable shape for an outputSchema. `total`,
 * `truncated` and `nextCursor` are those of the paged list: the integrations, or with `integration` that
 * integration's flows. Counts are the whole account's; the sections follow `integration`.
 */
export const healthModelOutput = {
  window: z.object({ from: z.string(), to: z.string(), label: z.string(), timeZone: z.string().optional() }),
  counts: z.object({
    integrations: z.number().describe('Integrations listed (the standalone flows are not one)'),
    standaloneFlows: verdict.optional().describe("The standalone flows' verdict, when there are any; counted in the verdicts"),
    failing: z.number(),
    degraded: z.number(),
    healthy: z.number(),
    runs: z.number(),
    failedRuns: z.number(),
    successRate: z.number().nullable(),
    openErrors: z.number(),
    connectionsTested: z.number(),
    connectionsDown: z.number(),
    scheduleIssues: z.number(),
  }),
  filter: z.object({ verdict: verdict.optional(), integration: z.string().optional() }),
  paged: z.enum(['integrations', 'flows']),
  total: z.number(),
  truncated: z.boolean(),
  nextCursor: z.string().optional(),
  integrations: z.array(integrationRow),
  flows: z.array(flowRow).optional(),
  connectionsDown: capped(connectionRow),
  scheduleIssues: capped(scheduleRow),
  failedRuns: capped(failedRunRow),
};

export type HealthModel = z.infer<z.ZodObject<typeof healthModelOutput>>;
type IntegrationRow = z.infer<typeof integrationRow>;
type FlowRow = z.infer<typeof flowRow>;

/** What the model asked to see of the report. */
export interface HealthView {
  verdict?: Verdict;
  cursor?: string;
}

/** The one integration (or the standalone flows' group) whose detail was asked for. */
export interface HealthFocus {
  integrationId: string;
  name: string;
}

export const pct = (r: number | null | undefined) => (r === null || r === undefined ? '' : `${Math.round(r * 100)}%`);
export const sec = (v: number | undefined) => (v === undefined ? '' : `${Math.round(v / 1000)}s`);
export const lines = (...parts: (string | undefined | false)[]) => parts.filter(Boolean).join('\n');
const name = (s: string | undefined, max = 100) => truncate(s, max) ?? '';

export { worstFirst };

function integrationRowOf(i: IntegrationHealth): IntegrationRow {
  return {
    integrationId: i.integrationId,
    name: name(i.name),
    verdict: i.verdict,
    runs: i.jobs.total,
    failed: i.jobs.failed,
    successRate: i.successRate,
    openErrors: i.openErrors,
    errorsInWindow: i.errorsInWindow,
    errorsBaseline: i.errorsBaseline,
    errorTrend: i.errorTrend,
    ...(i.runTime.p95Ms !== undefined ? { p95Ms: i.runTime.p95Ms } : {}),
    why: name(i.reasons.join('; '), 120),
  };
}

function flowRowOf(f: FlowHealth): FlowRow {
  return {
    flowId: f.flowId,
    name: name(f.name),
    verdict: f.verdict,
    disabled: f.disabled,
    runs: f.jobs.total,
    failed: f.jobs.failed,
    successRate: f.successRate,
    openErrors: f.openErrors,
    ...(f.lastRun ? { lastRun: { status: f.lastRun.status, at: f.lastRun.at } } : {}),
    ...(f.runTime.p95Ms !== undefined ? { p95Ms: f.runTime.p95Ms } : {}),
    why: name(f.reasons.join('; '), 120),
  };
}

/**
 * One page of `items` from `cursor`: only the page's candidates become rows, and paginate keeps those that
 * fit `maxChars`; the cursor counts items, as paginate's does.
 */
export function pageOf<T, R>(items: readonly T[], toRow: (item: T) => R, o: { limit: number; cursor?: string; maxChars: number }): Paged<R> {
  const offset = decodeCursor(o.cursor);
  const page = paginate(items.slice(offset, offset + o.limit).map(toRow), { limit: o.limit, maxChars: o.maxChars });
  const end = offset + page.items.length;
  const truncated = end < items.length;
  return { items: page.items, total: items.length, truncated, nextCursor: truncated ? encodeCursor(end) : undefined };
}

/** The account's counts: verdicts (the standalone flows' group among them), runs, errors, what is down. */
export function healthCounts(r: HealthReport): HealthModel['counts'] {
  const standalone = r.integrations.find((i) => i.integrationId === STANDALONE);
  const jobs = r.integrations.reduce((c, i) => ({ ...c, total: c.total + i.jobs.total, completed: c.completed + i.jobs.completed, failed: c.failed + i.jobs.failed }), { total: 0, completed: 0, failed: 0, canceled: 0, active: 0, withErrors: 0 });
  return {
    integrations: r.integrations.length - (standalone ? 1 : 0),
    ...(standalone ? { standaloneFlows: standalone.verdict } : {}),
    ...r.verdicts,
    runs: jobs.total,
    failedRuns: jobs.failed,
    successRate: rate(jobs),
    openErrors: r.integrations.reduce((n, i) => n + i.openErrors, 0),
    connectionsTested: r.connections.length,
    connectionsDown: r.connections.filter((c) => !c.ok).length,
    scheduleIssues: r.scheduleIssues.length,
  };
}

/** The sections about what is down, each the first SECTION_ROWS with the total; of one integration when focused. */
function sections(r: HealthReport, focus: IntegrationHealth | undefined): Pick<HealthModel, 'connectionsDown' | 'scheduleIssues' | 'failedRuns'> {
  const flowIds = focus && new Set(focus.flows.map((f) => f.flowId));
  const down = r.connections.filter((c) => !c.ok && (!flowIds || c.usedByFlows.some((f) => flowIds.has(f))));
  const issues = r.scheduleIssues.filter((s) => !focus || s.integrationId === focus.integrationId);
  const failed = r.failedJobs.filter((j) => !focus || j.integrationId === focus.integrationId);
  const failedTotal = focus ? focus.jobs.failed : r.integrations.reduce((n, i) => n + i.jobs.failed, 0);
  return {
    connectionsDown: {
      total: down.length,
      rows: down.slice(0, SECTION_ROWS).map((c) => ({ connectionId: c.connectionId, ...(c.name ? { name: name(c.name, 80) } : {}), ...(c.code !== undefined ? { code: c.code } : {}), ...(c.message ? { message: name(c.message, 120) } : {}), flows: c.usedByFlows.length })),
    },
    scheduleIssues: { total: issues.length, rows: issues.slice(0, SECTION_ROWS).map((s) => ({ flowId: s.flowId, name: name(s.name, 80), issue: s.issue, schedule: name(s.schedule, 60) })) },
    failedRuns: { total: Math.max(failedTotal, failed.length), rows: failed.slice(0, SECTION_ROWS).map((j) => ({ jobId: j.jobId, flow: name(j.flowName, 80), createdAt: j.createdAt, errors: j.numError })) },
  };
}

/** The model's result at a given budget for the page's rows (healthForModel shrinks it until it fits). */
function buildHealthModel(r: HealthReport, view: HealthView, focus: HealthFocus | undefined, rowsBudget: number): HealthModel {
  const one = focus && r.integrations.find((i) => i.integrationId === focus.integrationId);
  if (focus && !one) {
    throw new UsageError(
      focus.integrationId === STANDALONE
        ? 'This account has no standalone flows (flows outside any integration); leave integration out to see every integration.'
        : `Integration ${JSON.stringify(focus.name)} (${focus.integrationId}) is not in the check's result (created since?); run the check again.`,
    );
  }
  const base = { window: r.window, counts: healthCounts(r), filter: { ...(view.verdict ? { verdict: view.verdict } : {}), ...(one ? { integration: one.integrationId } : {}) }, ...sections(r, one) };
  if (one) {
    const flows = one.flows.filter((f) => !view.verdict || f.verdict === view.verdict).sort(worstFirst);
    const page = pageOf(flows, flowRowOf, { limit: PAGE_ROWS, cursor: view.cursor, maxChars: rowsBudget });
    return { ...base, paged: 'flows', total: page.total, truncated: page.truncated, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}), integrations: [integrationRowOf(one)], flows: page.items };
  }
  const rows = r.integrations.filter((i) => !view.verdict || i.verdict === view.verdict).sort(worstFirst);
  const page = pageOf(rows, integrationRowOf, { limit: PAGE_ROWS, cursor: view.cursor, maxChars: rowsBudget });
  return { ...base, paged: 'integrations', total: page.total, truncated: page.truncated, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}), integrations: page.items };
}

/** After a section's heading: " (5 of 12; how to see the rest)" when it shows only some, else " (12)". */
function more(total: number, shown: number, rest: string): string {
  return total > shown ? ` (${shown} of ${total}; ${rest})` : ` (${total})`;
}

/** One sentence of counts. */
function countsText(c: HealthModel['counts']): string {
  return [
    `${plural(c.integrations, 'integration')}${c.standaloneFlows ? ' and the standalone flows' : ''}: ${c.failing} failing, ${c.degraded} degraded, ${c.healthy} healthy.`,
    `${plural(c.runs, 'run')}${c.successRate !== null ? `, ${pct(c.successRate)} succeeded` : ''}, ${plural(c.failedRuns, 'failed run')}; ${plural(c.openErrors, 'open error')}.`,
    c.connectionsTested ? `${plural(c.connectionsTested, 'connection')} tested, ${c.connectionsDown} down.` : '',
    c.scheduleIssues ? `${plural(c.scheduleIssues, 'scheduled flow')} disabled or not run.` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** "Showing 20 of 210 degraded integrations (worst first); pass cursor …" */
function pageLine(m: HealthModel, shown: number, offset: number, what: string, narrow: string): string {
  if (m.total === 0) return `No ${what}.`;
  if (shown === 0) return `No more ${what}: all ${m.total} were shown on earlier pages.`;
  const range = offset ? `, rows ${offset + 1}-${offset + shown}` : '';
  const fit = m.nextCursor && shown < PAGE_ROWS ? '; as many as fit' : '';
  return `Showing ${shown} of ${m.total} ${what} (worst first${range}${fit})` + (m.nextCursor ? `; pass cursor "${m.nextCursor}" for more, or ${narrow} to narrow.` : '.');
}

/** How to see the rest of each section, with real tools and arguments. */
function sectionHints(m: HealthModel): { connections: string; schedule: string; failedRuns: string } {
  const id = m.filter.integration;
  const scoped = id !== undefined && id !== STANDALONE ? { integration: id } : {};
  const oneIntegration = id === undefined ? 'daily_health_check with integration shows those of one integration; ' : '';
  return {
    connections: `${oneIntegration}test_connection tests one`,
    schedule: `${oneIntegration}list_flows ${JSON.stringify({ ...scoped, enabled: false })} lists the disabled flows`,
    failedRuns: `list_jobs ${JSON.stringify({ status: 'failed', ...scoped, range: m.window.label })} lists ${id === STANDALONE ? "the account's" : 'them all'}`,
  };
}

/** The text of a model result: counts, the page (or one integration's detail), then the sections. */
function healthModelText(m: HealthModel, offset: number): string {
  const [one] = m.filter.integration !== undefined ? m.integrations : [];
  const pageHead = (what: string, narrow: string) => pageLine(m, (m.flows ?? m.integrations).length, offset, what, narrow);
  const v = m.filter.verdict ? `${m.filter.verdict} ` : '';
  const head = one
    ? lines(
        `Integration ${JSON.stringify(one.name)}${one.integrationId ? ` (${one.integrationId})` : ''}: ${one.verdict}. ${plural(one.runs, 'run')}, ${one.failed} failed${one.successRate !== null ? `, ${pct(one.successRate)} succeeded` : ''}; ${plural(one.openErrors, 'open error')}; record errors ${one.errorTrend === 'new' ? `${one.errorsInWindow} (nothing ran in the 7 days before to compare with)` : `${one.errorsInWindow} vs ${one.errorsBaseline} usually (${one.errorTrend})`}${one.p95Ms !== undefined ? `; p95 run time ${sec(one.p95Ms)}` : ''}.`,
        pageHead(`${v}flows`, 'verdict'),
        tsv((m.flows ?? []).map((f) => ({ verdict: f.verdict, flow: f.name, id: f.flowId, runs: f.runs, failed: f.failed, success: pct(f.successRate), openErrors: f.openErrors, lastRun: f.lastRun?.status, p95: sec(f.p95Ms), why: f.why }))),
      )
    : lines(
        pageHead(`${v}integrations`, 'verdict/integration'),
        tsv(m.integrations.map((i) => ({ verdict: i.verdict, integration: i.name, id: i.integrationId, runs: i.runs, failed: i.failed, success: pct(i.successRate), openErrors: i.openErrors, errors: i.errorTrend === 'new' ? `${i.errorsInWindow} new` : `${i.errorsInWindow} vs ${i.errorsBaseline} ${i.errorTrend}`, p95: sec(i.p95Ms), why: i.why }))),
      );
  const { connectionsDown: cd, scheduleIssues: si, failedRuns: fr } = m;
  const hint = sectionHints(m);
  return lines(
    `Health over ${m.window.label}${m.window.timeZone ? ` in ${m.window.timeZone}` : ''} (${m.window.from} → ${m.window.to}, end excluded) against the 7 days before. ${countsText(m.counts)}`,
    head,
    cd.total > 0 && `Connections down${more(cd.total, cd.rows.length, hint.connections)}:\n${tsv(cd.rows.map((c) => ({ connection: c.name ?? c.connectionId, id: c.connectionId, code: c.code, usedByFlows: c.flows, message: c.message })))}`,
    si.total > 0 && `Scheduled flows disabled or not run${more(si.total, si.rows.length, hint.schedule)}:\n${tsv(si.rows.map((s) => ({ flow: s.name, id: s.flowId, issue: s.issue, schedule: s.schedule })))}`,
    fr.total > 0 && (fr.rows.length ? `Failed runs, newest${more(fr.total, fr.rows.length, hint.failedRuns)}:\n${tsv(fr.rows.map((j) => ({ job: j.jobId, flow: j.flow, at: j.createdAt, errors: j.errors })))}` : `${plural(fr.total, 'failed run')}: ${hint.failedRuns}.`),
  );
}

/** The size design.md limits: the text plus the structured part as compact JSON. */
export const resultSize = (r: ToolResult) => r.text.length + (r.structured ? JSON.stringify(r.structured).length : 0);

/**
 * The model's view of a health report: `view` filters and pages the integrations (with `focus`, that
 * integration's flows). The page stops at PAGE_ROWS rows or at its character budget, which is cut by a fifth
 * until the whole result fits MODEL_BUDGET.
 */
export function healthForModel(r: HealthReport, view: HealthView = {}, focus?: HealthFocus): ToolResult {
  const offset = decodeCursor(view.cursor);
  for (let budget = ROWS_BUDGET; ; budget = Math.floor(budget * 0.8)) {
    const m = buildHealthModel(r, view, focus, budget);
    const result = { text: healthModelText(m, offset), structured: m };
    if (resultSize(result) <= MODEL_BUDGET || budget < 200) return result;
  }
}
