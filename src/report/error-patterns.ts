// Error counts by pattern for the health report's chart: the open errors of the report's window, grouped
// by normalised pattern, the same pattern in several flows or steps counted as one bar. Separate from the
// pure renderer because it reads the account (few requests: error summaries first, then only the steps
// that have errors).
import type { OpContext } from '../ops/context.js';
import type { HealthReport } from '../ops/health.js';
import type { ErrorPatternCount } from './health-html.js';

export async function collectErrorPatterns(ctx: OpContext, report: Pick<HealthReport, 'window'>): Promise<ErrorPatternCount[]> {
  const [{ scanErrors }, { groupErrors }] = await Promise.all([import('../ops/scan.js'), import('../ops/patterns.js')]);
  const scan = await scanErrors(ctx, { range: `${report.window.from}..${report.window.to}`, state: 'open' });
  const byPattern = new Map<string, ErrorPatternCount & { flows: Set<string> }>();
  for (const g of groupErrors(scan.errors)) {
    const e = byPattern.get(g.pattern) ?? { pattern: g.pattern, count: 0, cause: g.causeLabel, flows: new Set<string>() };
    e.count += g.count;
    if (g.flowId) e.flows.add(scan.flows.get(g.flowId)?.name ?? g.flowId);
    byPattern.set(g.pattern, e);
  }
  return [...byPattern.values()]
    .sort((a, b) => b.count - a.count || a.pattern.localeCompare(b.pattern))
    .map(({ flows, ...p }) => ({ ...p, flow: [...flows].slice(0, 3).join(', ') + (flows.size > 3 ? ` and ${flows.size - 3} more` : '') }));
}
