/** Map with at most `limit` calls in flight; results keep input order. Stops early when `signal` aborts. */
export async function mapPool<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>, signal?: AbortSignal): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      signal?.throwIfAborted();
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  });
  await Promise.all(workers);
  return out;
}

/**
 * Reads a fan-out (per step, per flow, per integration) keeps in flight at once: as many as the account's
 * request budget lets run (core/rate-budget.ts, 32 by default), so that at 100-300 ms a request a fan-out
 * of 220 integrations costs 7 round trips rather than 28 (issue 14). The budget spaces every caller.
 */
export function readWidth(ctx: { api: { http: { budget: { maxInFlight: number } } } }): number {
  return ctx.api.http.budget.maxInFlight;
}
