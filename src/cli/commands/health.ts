import { writeFile } from 'node:fs/promises';
import type { NounSpec, RunContext } from '../spec.js';
import { opt } from '../spec.js';
import { optStr, RANGE } from './common.js';
import { renderTable, formatDuration, colorStatus, type Colors } from '../output.js';
import { cliWords } from '../words.js';
import { UsageError } from '../../core/errors.js';
import type { HealthReport, Verdict } from '../../ops/health.js';
import type { ErrorPatternCount } from '../../report/health-html.js';

const ORDER: Record<Verdict, number> = { healthy: 0, degraded: 1, failing: 2 };

function pct(v: number | null): string {
  return v === null ? '' : `${Math.round(v * 100)}%`;
}

/** The text report: summary first, then the verdict table, then what needs attention. */
export function renderHealthText(r: HealthReport, c: Colors, width: number): string {
  const day = (iso: string) => iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, 'Z');
  const lines: string[] = [];
  lines.push(c.bold(`Health: ${r.window.label}`) + c.dim(` (${day(r.window.from)} → ${day(r.window.to)}, compared with the 7 days before)`));
  lines.push('');
  lines.push(...r.summary.split(/(?<=\.)\s+(?=[A-Z0-9])/).map((s) => `  ${s}`));
  lines.push('');
  const counts = `${c.red(`${r.verdicts.failing} failing`)}  ${c.yellow(`${r.verdicts.degraded} degraded`)}  ${c.green(`${r.verdicts.healthy} healthy`)}`;
  lines.push(counts, '');
  const rows = r.integrations.map((i) => ({
    integration: i.name,
    verdict: i.verdict,
    success: pct(i.successRate),
    runs: i.jobs.total,
    failed: i.jobs.failed,
    openErrors: i.openErrors,
    errorTrend: `${i.errorsInWindow} vs ${i.errorsBaseline} ${i.errorTrend === 'up' ? '↑' : i.errorTrend === 'down' ? '↓' : '→'}`,
    p50: i.runTime.p50Ms !== undefined ? formatDuration(i.runTime.p50Ms) : '',
    p95: i.runTime.p95Ms !== undefined ? formatDuration(i.runTime.p95Ms) : '',
  }));
  lines.push(renderTable(rows, ['integration', 'verdict', 'success', 'runs', 'failed', 'openErrors', 'errorTrend', 'p50', 'p95'], c, width, { openErrors: 'open errors', errorTrend: 'errors vs usual' }));
  const why = r.integrations.filter((i) => i.verdict !== 'healthy' && i.reasons.length);
  if (why.length) {
    lines.push('', c.bold('Why'));
    for (const i of why) {
      lines.push(`  ${colorStatus(c, i.verdict)}  ${i.name}`);
      for (const reason of i.reasons.slice(0, 8)) lines.push(`    ${c.dim('-')} ${reason}`);
    }
  }
  if (r.failedJobs.length) {
    lines.push('', c.bold(`Failed jobs (${r.failedJobs.length})`));
    lines.push(renderTable(r.failedJobs.slice(0, 10).map((j) => ({ createdAt: j.createdAt, flow: j.flowName, job: j.jobId, errors: j.numError })), ['createdAt', 'flow', 'job', 'errors'], c, width - 2).replace(/^/gm, '  '));
    if (r.failedJobs.length > 10) lines.push(c.dim(`  … ${r.failedJobs.length - 10} more (celigo-manage jobs list --status failed)`));
  }
  const down = r.connections.filter((x) => !x.ok);
  if (r.connections.length) {
    lines.push('', c.bold(`Connections tested (${r.connections.length}, ${down.length} down)`));
    for (const x of r.connections) lines.push(`  ${x.ok ? c.green('ok  ') : c.red('down')}  ${x.name ?? x.connectionId}${x.ok ? c.dim(` ${x.latencyMs ?? '?'} ms`) : `: ${x.message ?? 'failed'}`}`);
  }
  if (r.scheduleIssues.length) {
    lines.push('', c.bold('Scheduled flows disabled or not run'));
    for (const s of r.scheduleIssues) lines.push(`  ${colorStatus(c, s.issue === 'disabled' ? 'disabled' : 'failed')}  ${s.name} ${c.dim(s.schedule)}`);
  }
  const bad = r.integrations.filter((i) => i.verdict !== 'healthy' && i.integrationId);
  if (bad.length) {
    lines.push('', c.bold('Next'));
    for (const i of bad.slice(0, 5)) lines.push(`  celigo-manage troubleshoot --integration ${JSON.stringify(i.name)}`);
    if (r.failedJobs.length) lines.push('  celigo-manage errors retry --range ' + JSON.stringify(r.window.label) + '   (after fixing the cause)');
  }
  return cliWords(lines.join('\n'));
}

/** Error counts by pattern for the HTML report, when the health check does not carry them. */
async function errorPatterns(rc: RunContext, report: HealthReport & { errorPatterns?: ErrorPatternCount[] }): Promise<ErrorPatternCount[]> {
  if (report.errorPatterns) return report.errorPatterns;
  const { collectErrorPatterns } = await import('../../report/error-patterns.js');
  return collectErrorPatterns(await rc.ctx(), report);
}

export const health: NounSpec = {
  name: 'health',
  command: {
    name: 'health',
    summary: 'Daily health check: verdict per integration, failed jobs, error trend, run times, connections',
    options: [
      RANGE,
      opt('--html <file>', 'Also write a self-contained HTML report with charts to this file'),
      opt('--no-connections', 'Do not test connections'),
      opt('--fail-on <verdict>', 'Exit 1 when any integration is this bad or worse', { choices: ['degraded', 'failing'] }),
    ],
    details: 'Default window: the last 24 hours, compared with the 7 days before.',
    examples: ['--demo health', 'health --range yesterday --html report.html', 'health --fail-on failing --json summary,verdicts'],
    async run(rc) {
      const file = optStr(rc, 'html');
      // `--html --no-connections` would otherwise write a file called "--no-connections".
      if (file !== undefined && (file === '' || file.startsWith('-'))) {
        throw new UsageError(`--html needs a file name${file ? `, not "${file}"` : ''} (e.g. --html report.html).`);
      }
      const { healthCheck } = await import('../../ops/health.js');
      const report = await healthCheck(await rc.ctx(), { range: optStr(rc, 'range'), testConnections: rc.opts.connections !== false });
      if (file) {
        const { renderHealthHtml } = await import('../../report/health-html.js');
        const html = renderHealthHtml({ ...report, errorPatterns: await errorPatterns(rc, report) });
        try {
          await writeFile(file, html);
        } catch (err) {
          throw new UsageError(`Cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
        }
      }
      rc.out.object(report as unknown as Record<string, unknown>, { human: (c) => renderHealthText(report, c, rc.out.width) });
      if (file) rc.out.note(`HTML report written to ${file}`);
      const failOn = optStr(rc, 'failOn') as Verdict | undefined;
      if (failOn && report.integrations.some((i) => ORDER[i.verdict] >= ORDER[failOn])) return 1;
      return 0;
    },
  },
};
