// The health check as its HTML page shows it: the report and the error counts by pattern that the page
// charts, read alongside the check (same window, same clock). The MCP App of daily_health_check and
// `health --html FILE` both render what this one function returns, so both pages carry the same chart.
import { describeError } from '../core/errors.js';
import type { OpContext } from '../ops/context.js';
import { healthCheck, healthWindow } from '../ops/health.js';
import { prefetch } from '../ops/prefetch.js';
import { nowOf } from '../ops/util.js';
import { collectErrorPatterns } from './error-patterns.js';
import type { HealthHtmlInput } from './health-html.js';

/**
 * The health check (ops/health.ts) with the error counts by pattern of its window. The patterns are a
 * second set of reads (error summaries, then the steps with errors) made while the check runs; if they
 * fail, the page says so and the check still stands. `requests` counts both.
 */
export async function healthCheckWithPatterns(ctx: OpContext, input: { range?: string; testConnections?: boolean }): Promise<HealthHtmlInput> {
  const start = ctx.api.http.stats.requests;
  const now = nowOf(ctx);
  const at: OpContext = { ...ctx, now: () => now };
  const w = healthWindow(input.range, now, ctx.timeZone);
  const window = { from: new Date(w.from).toISOString(), to: new Date(w.to).toISOString(), label: w.label };
  const patterns = prefetch(ctx.signal, (signal) => collectErrorPatterns({ ...at, signal }, { window }));
  const report = await healthCheck(at, input).catch((err: unknown) => {
    patterns.cancel();
    throw err;
  });
  const read = await patterns.result().then(
    (errorPatterns) => ({ errorPatterns }),
    (err: unknown) => {
      if (ctx.signal?.aborted) throw err;
      return { errorPatternsError: describeError(err) };
    },
  );
  return { ...report, ...read, requests: ctx.api.http.stats.requests - start };
}
