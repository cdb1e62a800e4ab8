// The health check's badges count what its sentence counts, and its charts' colours follow the verdicts
// (issue 13 item 16): the standalone flows are not a sixth healthy integration; a failing integration is
// drawn in a red, a degraded one in an amber, a healthy one never in either; error bars are never green.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../src/app/session.js';
import { healthCheck, type HealthReport } from '../../src/ops/health.js';
import { STANDALONE } from '../../src/ops/health-judge.js';
import { collectErrorPatterns } from '../../src/report/error-patterns.js';
import { renderHealthHtml, type ErrorPatternCount } from '../../src/report/health-html.js';
import { run } from '../helpers/cli.js';

let session: Session;
let report: HealthReport;
let patterns: ErrorPatternCount[];
let html: string;

beforeAll(async () => {
  session = await openSession({ demo: true, env: {} });
  const ctx = { api: session.api, home: mkdtempSync(join(tmpdir(), 'celigo-report-')) };
  report = await healthCheck(ctx, {});
  patterns = await collectErrorPatterns(ctx, report);
  html = renderHealthHtml({ ...report, errorPatterns: patterns });
}, 60_000);

afterAll(async () => {
  await session?.close();
});

/** Hue of a #rrggbb colour in degrees. */
function hue(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const max = Math.max(r, g, b);
  const d = max - Math.min(r, g, b);
  if (d === 0) return -1;
  const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return (h * 60 + 360) % 360;
}
const isRed = (c: string) => hue(c) >= 345 || (hue(c) >= 0 && hue(c) < 15);
const isAmber = (c: string) => hue(c) >= 15 && hue(c) < 50;

/** The healthy count of the summary sentence ("…, 5 healthy; standalone flows healthy."). */
const sentenceHealthy = (summary: string) => Number(/(\d+) healthy/.exec(summary)![1]);

describe('health verdict badges', () => {
  it('the demo account has standalone flows (what the badges used to count as one more integration)', () => {
    expect(report.integrations.some((i) => i.integrationId === STANDALONE)).toBe(true);
    expect(report.summary).toMatch(/standalone flows \w+/);
  });

  it('the page cards count integrations as the sentence does, and show the standalone flows apart', () => {
    const n = sentenceHealthy(report.summary);
    expect(html).toMatch(new RegExp(`<div class="card healthy"><div class="n">${n}</div>healthy</div>`));
    expect(html).toMatch(/class="card[^"]*"[^>]*>.*standalone flows/);
  });

  it('the terminal badges too', async () => {
    const r = await run(['--demo', 'health'], { tty: true, columns: 160, env: { NO_COLOR: '1' } });
    const badges = r.stdout.split('\n').find((l) => /^\d+ failing {2}\d+ degraded/.test(l))!;
    expect(badges).toContain(`${sentenceHealthy(r.stdout)} healthy`);
    expect(badges).toMatch(/standalone flows (healthy|degraded|failing)/);
  });
});

describe('health chart colours', () => {
  it('each integration line has the colour family of its verdict', () => {
    const verdictOf = new Map(report.integrations.map((i) => [i.name, i.verdict]));
    const series = [...html.matchAll(/<g class="series" data-series="([^"]+)"[^>]*style="--c:(#[0-9a-f]{6})"/g)].filter((m) => verdictOf.has(m[1].replace(/&amp;/g, '&')));
    expect(series.length).toBeGreaterThan(3);
    const seenVerdicts = new Set<string>();
    for (const [, name, colour] of series) {
      const v = verdictOf.get(name.replace(/&amp;/g, '&'))!;
      seenVerdicts.add(v);
      if (v === 'failing') expect(isRed(colour), `${name} ${v} ${colour}`).toBe(true);
      else if (v === 'degraded') expect(isAmber(colour), `${name} ${v} ${colour}`).toBe(true);
      else expect(isRed(colour) || isAmber(colour), `${name} ${v} ${colour}`).toBe(false);
    }
    expect(seenVerdicts).toEqual(new Set(['failing', 'degraded', 'healthy']));
  });

  it('error bars are drawn in error colours (reds and ambers), never green or blue', () => {
    const chart = html.slice(html.indexOf('data-chart="error-patterns"'));
    const fills = [...chart.slice(0, chart.indexOf('</svg>')).matchAll(/<rect [^>]*fill="(#[0-9a-f]{6})"/g)].map((m) => m[1]);
    expect(fills.length).toBeGreaterThan(2);
    for (const f of fills) expect(isRed(f) || isAmber(f), f).toBe(true);
  });
});
