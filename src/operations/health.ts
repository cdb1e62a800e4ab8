// The daily health check: a verdict per integration over a window, against the 7 days before. A model
// reads a summary, a verdict table and what is down; a person reads the report at a terminal (and with
// --html a page with charts); MCP hosts that show apps get the same page. Its next steps: troubleshoot
// the integrations that are not healthy, then retry the failed runs.
import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import { FAILED_JOBS_SHOWN, type HealthReport, type Verdict } from '../ops/health-report.js';
import { truncate } from '../ops/util.js';
import { renderHealthHtml, type HealthHtmlInput } from '../report/health-html.js';
import { READ, tsv } from './format.js';
import { healthCheck } from '../ops/health.js';
import { defineOperation, entry, type Colors, type NextStep, type Operation, type Terminal } from './types.js';

const RANGE_DESC = 'ISO, A..B, yesterday, last 24 hours…';
const TEXT_LIMIT = 60_000;
const ORDER: Record<Verdict, number> = { healthy: 0, degraded: 1, failing: 2 };

/** The check, the error counts by pattern its page charts, and what to do next. */
type HealthResult = HealthHtmlInput & { next: NextStep[] };

const pct = (r: number | null | undefined) => (r === null || r === undefined ? '' : `${Math.round(r * 100)}%`);
const sec = (v: number | undefined) => (v === undefined ? '' : `${Math.round(v / 1000)}s`);
const lines = (...parts: (string | undefined | false)[]) => parts.filter(Boolean).join('\n');

/** The report alone: what --json and the model's structured result show (the page's extras are for the page). */
function reportOf(r: HealthResult): HealthReport {
  const { errorPatterns: _p, errorPatternsError: _e, next: _n, ...report } = r;
  return report;
}

/** The health report without the healthy flows' detail (the series stay, for charts). */
export function compactHealth(r: HealthReport): Record<string, unknown> {
  return {
    ...r,
    integrations: r.integrations.map((i) => ({ ...i, flows: i.flows.filter((f) => f.verdict !== 'healthy'), healthyFlows: i.flows.filter((f) => f.verdict === 'healthy').length })),
    failedJobs: r.failedJobs.slice(0, 20),
  };
}

function healthForModel(r: HealthResult) {
  const table = tsv(
    r.integrations.map((i) => ({ verdict: i.verdict, integration: i.name, runs: i.jobs.total, failed: i.jobs.failed, success: pct(i.successRate), openErrors: i.openErrors, errorTrend: i.errorTrend, p95: sec(i.runTime.p95Ms), why: truncate(i.reasons.join('; '), 160) })),
  );
  const down = r.connections.filter((c) => !c.ok);
  const shown = r.failedJobs.slice(0, FAILED_JOBS_SHOWN);
  const text = lines(
    r.summary,
    table,
    down.length > 0 && `Connections down:\n${tsv(down.map((c) => ({ connection: c.name ?? c.connectionId, id: c.connectionId, code: c.code, message: truncate(c.message, 120) })))}`,
    r.scheduleIssues.length > 0 && `Schedule issues:\n${tsv(r.scheduleIssues.map((s) => ({ flow: s.name, id: s.flowId, issue: s.issue })))}`,
    r.failedJobs.length > 0 && `Failed runs (newest ${shown.length} of ${r.failedJobs.length}):\n${tsv(shown.map((j) => ({ job: j.jobId, flow: j.flowName, at: j.createdAt, errors: j.numError })))}`,
  );
  return { text: text.length > TEXT_LIMIT ? text.slice(0, TEXT_LIMIT) + '\n…(truncated)' : text, structured: compactHealth(reportOf(r)) };
}

function verdictColor(c: Colors, v: string): string {
  return v === 'failing' || v === 'failed' ? c.red(v) : v === 'healthy' ? c.green(v) : c.yellow(v);
}

/** The text report: summary first, then the verdict table, then what needs attention. */
function healthText(r: HealthReport, t: Terminal, c: Colors): string {
  const day = (iso: string) => iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, 'Z');
  const out: string[] = [];
  out.push(c.bold(`Health: ${r.window.label}`) + c.dim(` (${day(r.window.from)} → ${day(r.window.to)}, compared with the 7 days before)`), '');
  out.push(...r.summary.split(/(?<=\.)\s+(?=[A-Z0-9])/).map((s) => `  ${s}`), '');
  out.push(`${c.red(`${r.verdicts.failing} failing`)}  ${c.yellow(`${r.verdicts.degraded} degraded`)}  ${c.green(`${r.verdicts.healthy} healthy`)}`, '');
  const arrow = (trend: string) => (trend === 'up' ? '↑' : trend === 'down' ? '↓' : '→');
  const rows = r.integrations.map((i) => ({
    integration: i.name,
    verdict: i.verdict,
    success: pct(i.successRate),
    runs: i.jobs.total,
    failed: i.jobs.failed,
    openErrors: i.openErrors,
    errorsVsUsual: `${i.errorsInWindow} vs ${i.errorsBaseline} ${arrow(i.errorTrend)}`,
    // Named ...Ms, the table shows them as durations under the headers P50 and P95.
    p50Ms: i.runTime.p50Ms,
    p95Ms: i.runTime.p95Ms,
  }));
  out.push(t.table(rows, ['integration', 'verdict', 'success', 'runs', 'failed', 'openErrors', 'errorsVsUsual', 'p50Ms', 'p95Ms']));
  const why = r.integrations.filter((i) => i.verdict !== 'healthy' && i.reasons.length);
  if (why.length) {
    out.push('', c.bold('Why'));
    for (const i of why) out.push(`  ${verdictColor(c, i.verdict)}  ${i.name}`, ...i.reasons.slice(0, 8).map((reason) => `    ${c.dim('-')} ${reason}`));
  }
  if (r.failedJobs.length) {
    const jobs = r.failedJobs.slice(0, FAILED_JOBS_SHOWN).map((j) => ({ createdAt: j.createdAt, flow: j.flowName, job: j.jobId, errors: j.numError }));
    // Not indented: the table is fitted to the terminal's full width.
    out.push('', c.bold(`Failed jobs (${r.failedJobs.length})`), t.table(jobs, ['createdAt', 'flow', 'job', 'errors']));
    if (r.failedJobs.length > FAILED_JOBS_SHOWN) out.push(c.dim(`… ${r.failedJobs.length - FAILED_JOBS_SHOWN} more`));
  }
  const down = r.connections.filter((x) => !x.ok);
  if (r.connections.length) {
    out.push('', c.bold(`Connections tested (${r.connections.length}, ${down.length} down)`));
    for (const x of r.connections) out.push(`  ${x.ok ? c.green('ok  ') : c.red('down')}  ${x.name ?? x.connectionId}${x.ok ? c.dim(` ${x.latencyMs ?? '?'} ms`) : `: ${x.message ?? 'failed'}`}`);
  }
  if (r.scheduleIssues.length) {
    out.push('', c.bold('Scheduled flows disabled or not run'));
    for (const s of r.scheduleIssues) out.push(`  ${s.issue === 'disabled' ? c.yellow('disabled') : c.red('failed')}  ${s.name} ${c.dim(s.schedule)}`);
  }
  return out.join('\n');
}

/** The page (the same one the MCP App serves) written to FILE. */
async function writePage(file: string, r: HealthResult): Promise<void> {
  try {
    await writeFile(file, renderHealthHtml(r));
  } catch (err) {
    throw new UsageError(`Cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
  }
}

async function healthForTerminal(r: HealthResult, t: Terminal, flags: Record<string, unknown>): Promise<number | void> {
  const file = typeof flags.html === 'string' ? flags.html : undefined;
  // `--html --no-connections` would otherwise write a file called "--no-connections".
  if (file !== undefined && (file === '' || file.startsWith('-'))) throw new UsageError(`--html needs a file name${file ? `, not "${file}"` : ''} (e.g. --html report.html).`);
  if (file) await writePage(file, r);
  const report = reportOf(r);
  t.object({ ...report }, { human: (c) => healthText(report, t, c) });
  if (file) t.note(`HTML report written to ${file}`);
  const failOn = flags.failOn === 'degraded' || flags.failOn === 'failing' ? flags.failOn : undefined;
  if (failOn && r.integrations.some((i) => ORDER[i.verdict] >= ORDER[failOn])) return 1;
}

export const healthOperations: Operation[] = [
  entry(defineOperation({
    name: 'daily_health_check',
    toolset: 'workflows',
    title: 'Daily health check',
    description: 'Health per integration over a window (default last 24 hours) vs the prior 7 days: verdicts, failures, errors, run times, connection tests.',
    input: {
      range: z.string().optional().describe(RANGE_DESC),
      testConnections: z.boolean().optional().describe('Test connections (default true)'),
    },
    annotations: READ,
    app: { uri: 'ui://celigo-manage/health-report', title: 'Health report' },
    cli: {
      noun: 'health',
      summary: 'Daily health check: verdict per integration, failed jobs, error trend, run times, connections',
      flags: {
        range: { description: 'Time range: ISO, "A..B", or a phrase (today, yesterday, "last 24 hours", "last 7 days", "since Monday")' },
        // Commander gives `--no-connections` the option key `connections`, true unless the flag is given.
        testConnections: { flags: '--no-connections', description: 'Do not test connections' },
      },
      terminalFlags: [
        { flags: '--html <file>', description: 'Also write a self-contained HTML report with charts to this file', page: true },
        { flags: '--fail-on <verdict>', description: 'Exit 1 when any integration is this bad or worse', choices: ['degraded', 'failing'] },
      ],
      details: 'Default window: the last 24 hours, compared with the 7 days before.',
      examples: ['--demo health', 'health --range yesterday --html report.html', 'health --fail-on failing --json summary,verdicts'],
    },
    async run(ctx, input): Promise<HealthResult> {
      const [{ healthCheckWithPatterns }, { nextAfterHealth }] = await Promise.all([import('../report/health-page.js'), import('../ops/health-assemble.js')]);
      // The error-pattern chart of the page is a scan of every open error of the window (about 3,000
      // requests on the large seed): only when the page will be shown.
      const r: HealthHtmlInput = ctx.pages === false ? await healthCheck(ctx, input) : await healthCheckWithPatterns(ctx, input);
      return { ...r, next: nextAfterHealth(r) };
    },
    forModel(r) {
      return { ...healthForModel(r), appHtml: renderHealthHtml(r) };
    },
    forTerminal: (r, t, _input, flags) => healthForTerminal(r, t, flags),
  })),
];
