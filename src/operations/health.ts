// The daily health check: a verdict per integration over a window, against the 7 days before. A model
// reads counts, the worst integrations a page at a time (or one integration's flows) and what is down
// (health-model.ts); a person reads the whole report at a terminal (and with --html a page with charts);
// MCP hosts that show apps get the same page. Its next steps: troubleshoot the integrations that are not
// healthy, then retry the failed runs.
import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import type { OpContext } from '../ops/context.js';
import { integrationVerdicts, STANDALONE, STANDALONE_NAME } from '../ops/health-judge.js';
import { FAILED_JOBS_SHOWN, type HealthReport, type Verdict } from '../ops/health-report.js';
import { decodeCursor } from '../ops/project.js';
import { resolveIntegration } from '../ops/resolve.js';
import { renderHealthHtml, type HealthHtmlInput } from '../report/health-html.js';
import { rangeArg } from './args.js';
import { READ } from './format.js';
import { healthCheck } from '../ops/health.js';
import { healthForModel, pct, VERDICTS, type HealthFocus } from './health-model.js';
import { defineOperation, entry, type Colors, type NextStep, type Operation, type Terminal } from './types.js';

export { healthModelOutput } from './health-model.js';

const ORDER: Record<Verdict, number> = { healthy: 0, degraded: 1, failing: 2 };

/** The check, the error counts by pattern its page charts, the integration asked about, and what to do next. */
type HealthResult = HealthHtmlInput & { focus?: HealthFocus; next: NextStep[] };

/** The report alone: what --json shows (the page's extras are for the page). */
function reportOf(r: HealthResult): HealthReport {
  const { errorPatterns: _p, errorPatternsError: _e, next: _n, focus: _f, ...report } = r;
  return report;
}

/** The integration `integration` names (id or name), or the standalone flows' group by its name. */
async function focusOf(ctx: OpContext, ref: string): Promise<HealthFocus> {
  const q = ref.trim();
  if (!q) throw new UsageError('Give an integration id or name for integration, e.g. "Shopify - NetSuite Orders" (list_integrations shows them), or leave it out for every integration.');
  if (q.toLowerCase() === STANDALONE_NAME.toLowerCase()) return { integrationId: STANDALONE, name: STANDALONE_NAME };
  const i = await resolveIntegration(ctx.api, q);
  return { integrationId: i._id, name: i.name };
}

/** The report as the terminal shows it with --verdict or --integration: only those integrations, and what concerns them. */
function narrowed(r: HealthReport, verdict: Verdict | undefined, focus: HealthFocus | undefined): HealthReport {
  if (!verdict && !focus) return r;
  const keep = (id: string) => !focus || id === focus.integrationId;
  const integrations = r.integrations.filter((i) => keep(i.integrationId) && (!verdict || i.verdict === verdict));
  if (!focus) return { ...r, integrations };
  const flowIds = new Set(integrations.flatMap((i) => i.flows.map((f) => f.flowId)));
  return {
    ...r,
    integrations,
    failedJobs: r.failedJobs.filter((j) => keep(j.integrationId)),
    connections: r.connections.filter((c) => c.usedByFlows.some((f) => flowIds.has(f))),
    scheduleIssues: r.scheduleIssues.filter((s) => keep(s.integrationId)),
    series: { ...r.series, integrations: r.series.integrations.filter((s) => keep(s.integrationId)) },
  };
}

function verdictColor(c: Colors, v: string): string {
  return v === 'failing' || v === 'failed' ? c.red(v) : v === 'healthy' ? c.green(v) : c.yellow(v);
}

/** The verdict badges of the whole account, counted as the summary counts them. */
function badges(r: HealthReport, c: Colors): string {
  const v = integrationVerdicts(r.integrations);
  const standalone = v.standalone ? `  ${c.dim('standalone flows')} ${verdictColor(c, v.standalone)}` : '';
  return `${c.red(`${v.failing} failing`)}  ${c.yellow(`${v.degraded} degraded`)}  ${c.green(`${v.healthy} healthy`)}${standalone}`;
}

/** The text report: summary first, then the verdict table, then what needs attention. */
function healthText(r: HealthReport, t: Terminal, c: Colors, all: HealthReport = r): string {
  const day = (iso: string) => iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, 'Z');
  const out: string[] = [];
  out.push(c.bold(`Health: ${r.window.label}${r.window.timeZone ? ` (${r.window.timeZone})` : ''}`) + c.dim(` (${day(r.window.from)} → ${day(r.window.to)}, compared with the 7 days before)`), '');
  out.push(...r.summary.split(/(?<=\.)\s+(?=[A-Z0-9])/).map((s) => `  ${s}`), '');
  out.push(badges(all, c), '');
  const arrow = (trend: string) => (trend === 'up' ? '↑' : trend === 'down' ? '↓' : '→');
  const rows = r.integrations.map((i) => ({
    integration: i.name,
    verdict: i.verdict,
    success: pct(i.successRate),
    runs: i.jobs.total,
    failed: i.jobs.failed,
    openErrors: i.openErrors,
    errorsVsUsual: i.errorTrend === 'new' ? `${i.errorsInWindow} (new)` : `${i.errorsInWindow} vs ${i.errorsBaseline} ${arrow(i.errorTrend)}`,
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

async function healthForTerminal(r: HealthResult, t: Terminal, input: { verdict?: Verdict }, flags: Record<string, unknown>): Promise<number | void> {
  const file = typeof flags.html === 'string' ? flags.html : undefined;
  // `--html --no-connections` would otherwise write a file called "--no-connections".
  if (file !== undefined && (file === '' || file.startsWith('-'))) throw new UsageError(`--html needs a file name${file ? `, not "${file}"` : ''} (e.g. --html report.html).`);
  if (file) await writePage(file, r);
  const report = narrowed(reportOf(r), input.verdict, r.focus);
  t.object({ ...report }, { human: (c) => healthText(report, t, c, r) });
  if (file) t.note(`HTML report written to ${file}`);
  const failOn = flags.failOn === 'degraded' || flags.failOn === 'failing' ? flags.failOn : undefined;
  if (failOn && report.integrations.some((i) => ORDER[i.verdict] >= ORDER[failOn])) return 1;
}

export const healthOperations: Operation[] = [
  entry(defineOperation({
    name: 'daily_health_check',
    toolset: 'workflows',
    title: 'Daily health check',
    description: 'Verdict per integration vs the 7 days before: failures, errors, run times, connection tests, missed schedules.',
    input: {
      range: rangeArg(),
      testConnections: z.boolean().optional().describe('Test connections (default true)'),
      verdict: z.enum(VERDICTS).optional().describe('Only this verdict, e.g. "failing"'),
      integration: z.string().optional().describe('One integration in detail (id or name), e.g. "Shopify - NetSuite"'),
      cursor: z.string().optional().describe('A nextCursor value'),
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
        verdict: { description: 'Only integrations with this verdict' },
        integration: { description: 'Only this integration (id or name): its verdict, failed jobs, connections and schedules' },
        cursor: { hidden: true },
      },
      terminalFlags: [
        { flags: '--html <file>', description: 'Also write a self-contained HTML report with charts to this file', page: true },
        { flags: '--fail-on <verdict>', description: 'Exit 1 when any integration is this bad or worse', choices: ['degraded', 'failing'] },
      ],
      details: 'Default window: the last 24 hours, compared with the 7 days before.',
      examples: ['--demo health', 'health --range yesterday --html report.html', 'health --fail-on failing --json summary,verdicts', 'health --verdict failing'],
    },
    async run(ctx, input): Promise<HealthResult> {
      decodeCursor(input.cursor); // a bad cursor is refused before the check runs
      const focus = input.integration !== undefined ? await focusOf(ctx, input.integration) : undefined;
      const [{ healthCheckWithPatterns }, { nextAfterHealth }] = await Promise.all([import('../report/health-page.js'), import('../ops/health-assemble.js')]);
      // The error-pattern chart of the page is a scan of every open error of the window (about 3,000
      // requests on the large seed): only when the page will be shown.
      const r: HealthHtmlInput = ctx.pages === false ? await healthCheck(ctx, input) : await healthCheckWithPatterns(ctx, input);
      return { ...r, ...(focus ? { focus } : {}), next: nextAfterHealth(r, focus) };
    },
    forModel(r, input) {
      return { ...healthForModel(reportOf(r), input, r.focus), appHtml: renderHealthHtml(r) };
    },
    forTerminal: (r, t, input, flags) => healthForTerminal(r, t, input, flags),
  })),
];
