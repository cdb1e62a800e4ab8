// The HTML health report of the demo account, rendered and opened in headless Chromium (Debian's
// /usr/bin/chromium driven by playwright-core): no console errors, nothing loaded from outside, the charts
// carry the expected series and points, and a screenshot is saved to test/.artifacts/health.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openSession, type Session } from '../../src/app/session.js';
import { healthCheck, type HealthReport } from '../../src/ops/health.js';
import { integrationVerdicts } from '../../src/ops/health-judge.js';
import { renderHealthHtml, esc, type ErrorPatternCount } from '../../src/report/health-html.js';
import { collectErrorPatterns } from '../../src/report/error-patterns.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = resolve('test/.artifacts');
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`SKIPPED the browser check of the HTML health report: ${CHROMIUM} is missing (apt-get install chromium).`);

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

const nonNull = (xs: (number | null)[]) => xs.filter((x) => x !== null).length;

describe('renderHealthHtml', () => {
  it('is one self-contained page: no script, no external URL, a CSP that forbids loading', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });

  it('escapes names from the account', () => {
    const evil = renderHealthHtml({
      ...report,
      integrations: report.integrations.map((i, n) => (n === 0 ? { ...i, name: '<img src=x onerror=alert(1)>' } : i)),
      errorPatterns: [{ pattern: '"><script>alert(1)</script>', count: 1 }],
    });
    expect(evil).not.toContain('<img src=x');
    expect(evil).not.toContain('<script>');
    expect(evil).toContain(esc('<img src=x onerror=alert(1)>'));
  });

  it('the demo report has what the charts need', () => {
    expect(report.series.integrations.length).toBeGreaterThan(3);
    expect(report.series.days.length).toBeGreaterThan(7);
    expect(patterns.length).toBeGreaterThan(2);
  });
});

// Minimal shapes of the playwright-core API this test uses (the package is a devDependency).
interface PwPage {
  on(event: 'console', fn: (m: { type(): string; text(): string }) => void): void;
  on(event: 'pageerror', fn: (e: Error) => void): void;
  on(event: 'request', fn: (r: { url(): string }) => void): void;
  goto(url: string): Promise<unknown>;
  evaluate<T>(fn: () => T): Promise<T>;
  screenshot(o: { path: string; fullPage: boolean }): Promise<unknown>;
}
interface PwContext {
  newPage(): Promise<PwPage>;
  close(): Promise<void>;
}
interface PwChromium {
  launchPersistentContext(dir: string, o: Record<string, unknown>): Promise<PwContext>;
}

describe.skipIf(!hasChromium)('in headless Chromium', () => {
  it('renders with no console errors, the expected series and points, and a screenshot', async () => {
    const pw = 'playwright-core';
    const { chromium } = (await import(pw).catch(() => {
      throw new Error('playwright-core is not installed: it is a devDependency of this project (npm ci installs it).');
    })) as { chromium: PwChromium };
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, 'health.html');
    writeFileSync(file, html);
    const profile = mkdtempSync(join(tmpdir(), 'celigo-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
    });
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(file).href);

      const seen = await page.evaluate(() => {
        const q = (sel: string, root: ParentNode = document) => [...root.querySelectorAll(sel)] as HTMLElement[];
        const chart = (name: string) => q(`svg[data-chart="${name}"]`);
        const seriesOf = (svg: Element) =>
          q('g.series', svg).map((g) => ({ name: g.dataset.series!, points: Number(g.dataset.points), circles: g.querySelectorAll('circle.point').length, path: !!g.querySelector('path') }));
        const box = (el: Element) => el.getBoundingClientRect();
        const success = chart('success-rate')[0];
        return {
          success: { days: Number(success.dataset.days), series: seriesOf(success), width: box(success).width, height: box(success).height },
          bars: q('svg[data-chart="error-patterns"] g.bar').map((g) => ({ label: g.dataset.series!, value: Number(g.dataset.value), width: Number(g.querySelector('rect')!.getAttribute('width')) })),
          barPoints: Number(chart('error-patterns')[0].dataset.points),
          runtime: chart('runtime').map((svg) => ({ integration: (svg as HTMLElement).dataset.integration!, series: seriesOf(svg) })),
          verdicts: (q('table.verdicts tbody tr') as unknown as HTMLTableRowElement[]).map((tr) => ({ name: tr.cells[0].firstChild!.textContent!.trim(), verdict: tr.querySelector('.badge')!.textContent! })),
          cards: q('#verdicts .card .n').map((n) => n.textContent),
        };
      });

      // Job success rate per day: one series per integration, one point per day with finished jobs.
      expect(seen.success.days).toBe(report.series.days.length);
      const want = report.series.integrations.map((s) => ({ name: s.name, points: nonNull(s.successRate) }));
      expect(seen.success.series.map(({ name, points }) => ({ name, points })).sort((a, b) => a.name.localeCompare(b.name))).toEqual(
        [...want].sort((a, b) => a.name.localeCompare(b.name)),
      );
      for (const s of seen.success.series) expect(s.circles, s.name).toBe(s.points);
      expect(seen.success.width).toBeGreaterThan(500);
      expect(seen.success.height).toBeGreaterThan(150);

      // Error counts by pattern: one bar per pattern (at most 15), longest first.
      const top = patterns.slice(0, 15);
      expect(seen.barPoints).toBe(top.length);
      expect(seen.bars.map((b) => [b.label, b.value])).toEqual(top.map((p) => [p.pattern, p.count]));
      for (let i = 1; i < seen.bars.length; i++) expect(seen.bars[i].width).toBeLessThanOrEqual(seen.bars[i - 1].width);

      // Run-time trend: p50 and p95 for every integration with finished jobs.
      const withRuntime = report.series.integrations.filter((s) => nonNull(s.p50Ms) > 0);
      expect(seen.runtime.map((r) => r.integration).sort()).toEqual(withRuntime.map((s) => s.name).sort());
      for (const r of seen.runtime) {
        const s = withRuntime.find((x) => x.name === r.integration)!;
        expect(r.series.map((x) => [x.name, x.points]).sort()).toEqual([['p50', nonNull(s.p50Ms)], ['p95', nonNull(s.p95Ms)]]);
      }

      // The verdict table and the counters.
      expect(seen.verdicts).toEqual(report.integrations.map((i) => ({ name: i.name, verdict: i.verdict })));
      // As the summary counts them: integrations proper, then the standalone flows' verdict on a card of its own.
      const v = integrationVerdicts(report.integrations);
      expect(seen.cards).toEqual([String(v.failing), String(v.degraded), String(v.healthy), ...(v.standalone ? [v.standalone] : [])]);

      expect(problems).toEqual([]);
      expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:') && !u.startsWith('about:'))).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, 'health.png'), fullPage: true });
      expect(existsSync(join(ARTIFACTS, 'health.png'))).toBe(true);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  }, 90_000);
});
