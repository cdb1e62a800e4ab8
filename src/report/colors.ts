// The health page's colours follow the verdicts: a failing integration is drawn in a red, a degraded one
// in an amber, a healthy one in greens, blues and teals (never red or amber); error bars in reds and
// ambers. Several integrations of one verdict get different shades, in the report's order.
import type { HealthReport, Verdict } from '../ops/health.js';

export const VERDICT_COLOR: Record<Verdict, string> = { healthy: '#16a34a', degraded: '#d97706', failing: '#dc2626' };

const SHADES: Record<Verdict, readonly string[]> = {
  failing: ['#dc2626', '#991b1b', '#f87171', '#b91c1c', '#ef4444', '#7f1d1d'],
  degraded: ['#d97706', '#b45309', '#f59e0b', '#ea580c', '#c2410c', '#fbbf24'],
  healthy: ['#16a34a', '#2563eb', '#0891b2', '#0d9488', '#65a30d', '#1d4ed8', '#0e7490', '#15803d', '#4f46e5', '#0284c7', '#4d7c0f', '#1e40af'],
};

/** Bars of error counts: every one an error colour. */
const ERROR_SHADES = ['#dc2626', '#ea580c', '#b91c1c', '#d97706', '#991b1b', '#f97316', '#c2410c', '#ef4444'];

export type ColorOf = (s: { integrationId: string; name: string }) => string;

/** One colour per integration of the series, from its verdict's shades (the same in every chart). */
export function integrationColors(r: HealthReport): ColorOf {
  const verdictOf = new Map(r.integrations.map((i) => [i.integrationId, i.verdict]));
  const used: Record<Verdict, number> = { failing: 0, degraded: 0, healthy: 0 };
  const colorOf = new Map<string, string>();
  for (const s of r.series.integrations) {
    const v = verdictOf.get(s.integrationId) ?? 'healthy';
    colorOf.set(s.integrationId + '\u0000' + s.name, SHADES[v][used[v]++ % SHADES[v].length]);
  }
  return (s) => colorOf.get(s.integrationId + '\u0000' + s.name) ?? SHADES.healthy[0];
}

/** The colour of the i-th bar of error counts. */
export function errorColor(i: number): string {
  return ERROR_SHADES[i % ERROR_SHADES.length];
}
