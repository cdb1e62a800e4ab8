// Small helpers shared by the benchmarks. Benchmarks print numbers; they never fail on a time.
import { performance } from 'node:perf_hooks';

export function quantile(sorted, q) {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return sorted[i];
}

export function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  return { n: s.length, median: quantile(s, 0.5), p95: quantile(s, 0.95), p99: quantile(s, 0.99), min: s[0], max: s[s.length - 1] };
}

export async function time(fn) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

export const fmt = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));
