// The health report as one self-contained HTML page: inline CSS, inline SVG charts, no script, no
// external URL (a Content-Security-Policy forbids loading anything). A pure function of the report, so
// the CLI (`health --html FILE`) and the MCP server (a ui:// resource) render the same page.
// Chart elements carry data attributes (data-chart, data-series, data-points) that tests read.
import type { HealthReport, Verdict } from '../ops/health.js';
import { integrationVerdicts } from '../ops/health-judge.js';
import { errorColor, integrationColors, VERDICT_COLOR, type ColorOf } from './colors.js';

/** Error counts by pattern, when the caller has them (the health check itself counts errors per integration). */
export interface ErrorPatternCount {
  pattern: string;
  count: number;
  cause?: string;
  flow?: string;
}

export type HealthHtmlInput = HealthReport & {
  errorPatterns?: ErrorPatternCount[];
  /** Why the error counts by pattern could not be read (the chart says so instead of "no errors"). */
  errorPatternsError?: string;
};

export interface RenderOptions {
  title?: string;
}


export function esc(s: unknown): string {
  return String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function pct(v: number | null | undefined): string {
  return v === null || v === undefined ? '–' : `${Math.round(v * 1000) / 10}%`;
}

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = s / 60;
  if (m < 60) return `${m.toFixed(m < 10 ? 1 : 0)} min`;
  return `${(m / 60).toFixed(1)} h`;
}

function shortDay(d: string): string {
  return d.slice(5);
}

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

interface LineSeries {
  name: string;
  color: string;
  values: (number | null)[];
  dashed?: boolean;
}

interface LineChartOptions {
  chart: string;
  days: string[];
  series: LineSeries[];
  /** Fixed y maximum (e.g. 100 for percentages); default: a round number above the data. */
  yMax?: number;
  yLabel: (v: number) => string;
  valueLabel: (v: number) => string;
  /** Index of the first day of the report's window (shaded). */
  windowStart?: number;
  width?: number;
  height?: number;
  title: string;
  extraAttrs?: string;
}

/** A line chart: one <g data-series data-points> per series, a circle per point, gaps where a value is null. */
export function lineChart(o: LineChartOptions): string {
  const W = o.width ?? 760;
  const H = o.height ?? 280;
  const m = { l: 52, r: 16, t: 14, b: 34 };
  const iw = W - m.l - m.r;
  const ih = H - m.t - m.b;
  const n = o.days.length;
  const all = o.series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  const yMax = o.yMax ?? niceMax(Math.max(0, ...all) * 1.05);
  const x = (i: number) => m.l + (n <= 1 ? iw / 2 : (i * iw) / (n - 1));
  const y = (v: number) => m.t + ih - (Math.max(0, Math.min(v, yMax)) / yMax) * ih;
  const parts: string[] = [];
  parts.push(`<svg class="chart" role="img" aria-label="${esc(o.title)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" data-chart="${esc(o.chart)}" data-days="${n}" data-series-count="${o.series.length}"${o.extraAttrs ?? ''}>`);
  parts.push(`<title>${esc(o.title)}</title>`);
  if (o.windowStart !== undefined && o.windowStart < n) {
    const x0 = o.windowStart <= 0 ? m.l : (x(o.windowStart - 1) + x(o.windowStart)) / 2;
    parts.push(`<rect class="window" x="${x0.toFixed(1)}" y="${m.t}" width="${(m.l + iw - x0).toFixed(1)}" height="${ih}"><title>report window</title></rect>`);
  }
  for (let k = 0; k <= 4; k++) {
    const v = (yMax * k) / 4;
    const yy = y(v).toFixed(1);
    parts.push(`<line class="grid" x1="${m.l}" x2="${m.l + iw}" y1="${yy}" y2="${yy}"/><text class="axis" x="${m.l - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle">${esc(o.yLabel(v))}</text>`);
  }
  const every = Math.max(1, Math.ceil(n / 10));
  o.days.forEach((d, i) => {
    if (i % every === 0 || i === n - 1) parts.push(`<text class="axis" x="${x(i).toFixed(1)}" y="${H - 12}" text-anchor="middle">${esc(shortDay(d))}</text>`);
  });
  // The first series (the worst integration: the report sorts failing first) is drawn last, on top.
  for (const s of [...o.series].reverse()) {
    const pts = s.values.map((v, i) => (v === null || !Number.isFinite(v) ? null : ([x(i), y(v), v, i] as const)));
    const count = pts.filter(Boolean).length;
    const segs: string[] = [];
    let cur: string[] = [];
    for (const p of pts) {
      if (!p) {
        if (cur.length) segs.push(cur.join(' '));
        cur = [];
        continue;
      }
      cur.push(`${cur.length ? 'L' : 'M'}${p[0].toFixed(1)},${p[1].toFixed(1)}`);
    }
    if (cur.length) segs.push(cur.join(' '));
    parts.push(`<g class="series" data-series="${esc(s.name)}" data-points="${count}" style="--c:${s.color}">`);
    if (segs.length) parts.push(`<path class="line${s.dashed ? ' dashed' : ''}" d="${segs.join(' ')}" stroke="${s.color}"/>`);
    for (const p of pts) {
      if (!p) continue;
      parts.push(`<circle class="point" cx="${p[0].toFixed(1)}" cy="${p[1].toFixed(1)}" r="3" fill="${s.color}" data-day="${esc(o.days[p[3]])}" data-value="${fmt(p[2])}"><title>${esc(s.name)} · ${esc(o.days[p[3]])}: ${esc(o.valueLabel(p[2]))}</title></circle>`);
    }
    parts.push('</g>');
  }
  parts.push('</svg>');
  return parts.join('');
}

/** Horizontal bars: one <g data-series data-value> per bar. */
export function barChart(chart: string, title: string, bars: { label: string; value: number; color: string; note?: string }[], width = 760): string {
  const rowH = 26;
  const labelW = Math.min(330, Math.max(120, ...bars.map((b) => Math.min(48, b.label.length) * 6.6 + 10)));
  const m = { l: labelW, r: 60, t: 8, b: 8 };
  const H = m.t + m.b + Math.max(1, bars.length) * rowH;
  const iw = width - m.l - m.r;
  const max = niceMax(Math.max(1, ...bars.map((b) => b.value)));
  const parts = [`<svg class="chart" role="img" aria-label="${esc(title)}" viewBox="0 0 ${width} ${H}" width="${width}" height="${H}" data-chart="${esc(chart)}" data-points="${bars.length}"><title>${esc(title)}</title>`];
  bars.forEach((b, i) => {
    const yy = m.t + i * rowH;
    const w = Math.max(1, (b.value / max) * iw);
    const label = b.label.length > 48 ? b.label.slice(0, 47) + '…' : b.label;
    parts.push(
      `<g class="bar" data-series="${esc(b.label)}" data-value="${b.value}">` +
        `<text class="label" x="${m.l - 8}" y="${yy + rowH / 2}" text-anchor="end" dominant-baseline="middle">${esc(label)}</text>` +
        `<rect x="${m.l}" y="${yy + 4}" width="${w.toFixed(1)}" height="${rowH - 8}" rx="3" fill="${b.color}"><title>${esc(b.label)}: ${b.value}${b.note ? ` (${esc(b.note)})` : ''}</title></rect>` +
        `<text class="value" x="${(m.l + w + 6).toFixed(1)}" y="${yy + rowH / 2}" dominant-baseline="middle">${b.value}</text></g>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

function legend(series: { name: string; color: string; dashed?: boolean }[]): string {
  return `<ul class="legend">${series.map((s) => `<li><span class="swatch${s.dashed ? ' dashed' : ''}" style="background:${s.color}"></span>${esc(s.name)}</li>`).join('')}</ul>`;
}

function badge(v: Verdict): string {
  return `<span class="badge ${v}">${v}</span>`;
}

function table(headers: string[], rows: string[][], cls = ''): string {
  if (!rows.length) return '<p class="muted">None.</p>';
  return `<table class="${cls}"><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

function windowStartIndex(r: HealthReport): number {
  const d = r.window.from.slice(0, 10);
  const i = r.series.days.findIndex((x) => x >= d);
  return i < 0 ? r.series.days.length : i;
}

const CSS = `
:root{color-scheme:light;--fg:#111827;--muted:#6b7280;--line:#e5e7eb;--bg:#ffffff;--panel:#f9fafb}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1180px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}h3{font-size:14px;margin:0 0 6px}
.muted{color:var(--muted)}
.summary{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:12px 16px;margin:14px 0}
.cards{display:flex;gap:12px;margin:12px 0;flex-wrap:wrap}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 16px;min-width:130px}
.card .n{font-size:26px;font-weight:600}
.card.healthy .n{color:${VERDICT_COLOR.healthy}}.card.degraded .n{color:${VERDICT_COLOR.degraded}}.card.failing .n{color:${VERDICT_COLOR.failing}}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;color:#fff}
.badge.healthy{background:${VERDICT_COLOR.healthy}}.badge.degraded{background:${VERDICT_COLOR.degraded}}.badge.failing{background:${VERDICT_COLOR.failing}}
table{border-collapse:collapse;width:100%;margin:6px 0 4px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;text-transform:uppercase;letter-spacing:.03em;color:var(--muted);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.panel{border:1px solid var(--line);border-radius:8px;padding:12px;margin:8px 0;overflow-x:auto}
svg.chart{width:100%;max-width:100%;height:auto;display:block}
.grid2 svg.chart{max-width:560px}
svg .grid{stroke:var(--line);stroke-width:1}
svg .axis{fill:var(--muted);font-size:11px}
svg .label{fill:var(--fg);font-size:12px}
svg .value{fill:var(--muted);font-size:12px}
svg .line{fill:none;stroke-width:2}
svg .line.dashed{stroke-dasharray:5 4}
svg .window{fill:#eff6ff}
.legend{list-style:none;padding:0;margin:6px 0 0;display:flex;flex-wrap:wrap;gap:6px 16px;font-size:12px}
.swatch{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:6px;vertical-align:-1px}
.swatch.dashed{background-image:linear-gradient(90deg,transparent 50%,#fff 50%)!important;background-size:6px 6px}
.grid2{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:12px}
.reasons{margin:0;padding-left:16px}
footer{margin:32px 0 8px;color:var(--muted);font-size:12px}
`;

/** The daily success rate of every integration in one chart, with its legend. */
function successPanel(r: HealthReport, color: ColorOf, ws: number): string {
  const series: LineSeries[] = r.series.integrations.map((s) => ({ name: s.name, color: color(s), values: s.successRate.map((v) => (v === null ? null : v * 100)) }));
  const chart = lineChart({
    chart: 'success-rate',
    title: 'Job success rate per day per integration',
    days: r.series.days,
    series,
    yMax: 100,
    yLabel: (v) => `${fmt(v)}%`,
    valueLabel: (v) => `${fmt(Math.round(v * 10) / 10)}%`,
    windowStart: ws,
  });
  return `${chart}${legend(series)}`;
}

/** The 15 commonest error patterns as bars and a table, or a note that there are none. */
function patternPanel(errorPatterns: readonly ErrorPatternCount[] | undefined, failure?: string): string {
  if (failure) return `<p class="muted" data-chart="error-patterns" data-points="0">The error counts by pattern could not be read: ${esc(failure)}</p>`;
  const patterns = [...(errorPatterns ?? [])].sort((a, b) => b.count - a.count).slice(0, 15);
  if (!patterns.length) return '<p class="muted" data-chart="error-patterns" data-points="0">No open errors in this window.</p>';
  const chart = barChart('error-patterns', 'Error counts by pattern', patterns.map((p, i) => ({ label: p.pattern, value: p.count, color: errorColor(i), note: [p.cause, p.flow].filter(Boolean).join(', ') })));
  return chart + table(['Count', 'Pattern', 'Likely cause', 'Flow'], patterns.map((p) => [`<span class="num">${p.count}</span>`, esc(p.pattern), esc(p.cause ?? ''), esc(p.flow ?? '')]));
}

/** A p50 / p95 run-time chart per integration that has run times. */
function runtimePanels(r: HealthReport, color: ColorOf, ws: number): string {
  return r.series.integrations
    .filter((s) => s.p50Ms.some((v) => v !== null) || s.p95Ms.some((v) => v !== null))
    .map((s) => {
      const c = color(s);
      const chart = lineChart({
        chart: 'runtime',
        title: `Run time of ${s.name}: p50 and p95 per day`,
        days: r.series.days,
        series: [
          { name: 'p50', color: c, values: s.p50Ms.map((v) => (v === null ? null : v / 1000)) },
          { name: 'p95', color: c, values: s.p95Ms.map((v) => (v === null ? null : v / 1000)), dashed: true },
        ],
        yLabel: (v) => `${fmt(Math.round(v * 10) / 10)} s`,
        valueLabel: (v) => duration(v * 1000),
        windowStart: ws,
        width: 540,
        height: 230,
        extraAttrs: ` data-integration="${esc(s.name)}"`,
      });
      return `<div class="panel"><h3>${esc(s.name)}</h3>${chart}${legend([{ name: 'p50', color: c }, { name: 'p95', color: c, dashed: true }])}</div>`;
    })
    .join('');
}

function verdictTable(r: HealthReport): string {
  const rows = r.integrations.map((i) => [
    esc(i.name) + (i.tag ? ` <span class="muted">${esc(i.tag)}</span>` : ''),
    badge(i.verdict),
    `<span class="num">${pct(i.successRate)}</span>`,
    `<span class="num">${i.jobs.total}</span>`,
    `<span class="num">${i.jobs.failed}</span>`,
    `<span class="num">${i.openErrors}</span>`,
    i.errorTrend === 'new' ? `${i.errorsInWindow} <span class="muted">(new: nothing ran in the 7 days before)</span>` : `${i.errorsInWindow} <span class="muted">vs ${i.errorsBaseline} (${i.errorTrend})</span>`,
    `${duration(i.runTime.p50Ms)} / ${duration(i.runTime.p95Ms)} <span class="muted">(was ${duration(i.runTime.baselineP50Ms)} / ${duration(i.runTime.baselineP95Ms)})</span>`,
    i.reasons.length ? `<ul class="reasons">${i.reasons.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>` : '<span class="muted">–</span>',
  ]);
  return table(['Integration', 'Verdict', 'Success', 'Runs', 'Failed', 'Open errors', 'Errors vs typical', 'Run time p50 / p95', 'Why'], rows, 'verdicts');
}

/** Failed jobs shown on the page. */
const FAILED_JOBS_SHOWN = 25;

function failedJobsTable(r: HealthReport): string {
  const rows = r.failedJobs.slice(0, FAILED_JOBS_SHOWN).map((j) => [esc(j.createdAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z')), esc(j.flowName), `<code>${esc(j.jobId)}</code>`, `<span class="num">${j.numError}</span>`]);
  return table(['Created', 'Flow', 'Job', 'Errors'], rows);
}

function connectionsTable(r: HealthReport): string {
  const rows = r.connections.map((c) => [esc(c.name ?? c.connectionId), esc(c.type ?? ''), c.ok ? badge('healthy').replace('healthy</', 'ok</') : badge('failing').replace('failing</', 'down</'), esc(c.message ?? ''), esc(c.reasons.join('; '))]);
  return table(['Connection', 'Type', 'Result', 'Message', 'Why tested'], rows);
}

function scheduleTable(r: HealthReport): string {
  return table(['Flow', 'Schedule', 'Issue'], r.scheduleIssues.map((s) => [esc(s.name), `<code>${esc(s.schedule)}</code>`, esc(s.issue)]));
}

const fmtTime = (iso: string) => esc(iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, 'Z'));

/** Integrations by verdict, as the summary counts them, and the standalone flows' verdict apart. */
function verdictCards(r: HealthReport): string {
  const v = integrationVerdicts(r.integrations);
  const cards = (['failing', 'degraded', 'healthy'] as const).map((k) => `<div class="card ${k}"><div class="n">${v[k]}</div>${k}</div>`);
  if (v.standalone) cards.push(`<div class="card ${v.standalone}"><div class="n">${badge(v.standalone)}</div>standalone flows</div>`);
  return `\n${cards.join('\n')}\n`;
}

/** The whole report page. */
export function renderHealthHtml(report: HealthHtmlInput, opts: RenderOptions = {}): string {
  const r = report;
  const title = opts.title ?? 'Celigo integration health';
  const color = integrationColors(r);
  const ws = windowStartIndex(r);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)} · ${esc(r.window.label)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
<h1>${esc(title)}</h1>
<div class="muted">${esc(r.window.label)}: ${fmtTime(r.window.from)} → ${fmtTime(r.window.to)} · compared with ${fmtTime(r.baseline.from)} → ${fmtTime(r.baseline.to)}</div>
</header>
<section class="summary" id="summary"><p>${esc(r.summary)}</p></section>
<section class="cards" id="verdicts">${verdictCards(r)}</section>

<h2>Verdicts</h2>
<div class="panel">${verdictTable(r)}</div>

<h2>Job success rate per day</h2>
<div class="panel" id="success-rate">${successPanel(r, color, ws)}<p class="muted">Shaded: the report window. Gaps: days without finished jobs.</p></div>

<h2>Error counts by pattern</h2>
<div class="panel" id="error-patterns">${patternPanel(r.errorPatterns, r.errorPatternsError)}</div>

<h2>Run-time trend (p50 / p95)</h2>
<div class="grid2" id="runtime">${runtimePanels(r, color, ws) || '<p class="muted">No finished jobs with run times.</p>'}</div>

<h2>Failed jobs${r.failedJobs.length > FAILED_JOBS_SHOWN ? ` (${FAILED_JOBS_SHOWN} of ${r.failedJobs.length})` : ''}</h2>
<div class="panel">${failedJobsTable(r)}</div>

<h2>Connections tested</h2>
<div class="panel">${connectionsTable(r)}</div>

<h2>Scheduled flows disabled or not run</h2>
<div class="panel">${scheduleTable(r)}</div>

<footer>Generated by celigo-manage from ${r.requests} API requests. Self-contained page: no scripts, no external resources.</footer>
</main>
</body>
</html>
`;
}
