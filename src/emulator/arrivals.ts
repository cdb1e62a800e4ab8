// When each API request reached the emulator, on the real clock (never the injectable one, which tests stop):
// a team server's replicas together must keep to the account's rate (issue 18), and this is where a test
// reads whether they did. `GET /__emulator/requests/arrivals` answers arrivalStats(); it is cleared with the
// request log (`DELETE /__emulator/requests`).
import { performance } from 'node:perf_hooks';

/** Epoch ms with sub-ms precision, monotonic within the process. */
export function realNow(): number {
  return performance.timeOrigin + performance.now();
}

export interface ArrivalStats {
  /** API requests (/v1) that arrived, faulted and rate-limited ones included. */
  count: number;
  /** Each arrival, epoch ms on the real clock, in order. */
  arrivals: number[];
  /** Arrivals per calendar second (epoch seconds), seconds without any left out. */
  perSecond: { second: number; count: number }[];
  /** The most arrivals in any window of `windowMs` (sliding), and when that window started. */
  busiest: { windowMs: number; count: number; from?: number };
}

/** Arrivals per second and the busiest sliding window; `arrivals` must be in order. */
export function arrivalStats(arrivals: readonly number[], windowMs = 1000): ArrivalStats {
  const perSecond: { second: number; count: number }[] = [];
  for (const t of arrivals) {
    const second = Math.floor(t / 1000);
    const last = perSecond[perSecond.length - 1];
    if (last?.second === second) last.count++;
    else perSecond.push({ second, count: 1 });
  }
  return { count: arrivals.length, arrivals: [...arrivals], perSecond, busiest: busiestWindow(arrivals, windowMs) };
}

/** The most arrivals in a window [t, t + windowMs) starting at an arrival (where a busiest one can start). */
export function busiestWindow(arrivals: readonly number[], windowMs: number): ArrivalStats['busiest'] {
  let best = 0;
  let from: number | undefined;
  let j = 0;
  for (let i = 0; i < arrivals.length; i++) {
    if (j < i) j = i;
    while (j < arrivals.length && arrivals[j]! < arrivals[i]! + windowMs) j++;
    if (j - i > best) {
      best = j - i;
      from = arrivals[i];
    }
  }
  return { windowMs, count: best, ...(from === undefined ? {} : { from }) };
}
