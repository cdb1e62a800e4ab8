// Helpers the seeds share: create resources in the past, and replay history through the real job state
// machine (so seeded jobs, errors and counters obey exactly the rules live runs do).
import type { FlowProfile } from '../behaviour.js';
import { iso } from '../clock.js';
import type { JobRec } from '../job-table.js';
import { drain, startFlowRun, tick } from '../jobs.js';
import type { Kind, Rec, Store } from '../store.js';

export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export interface SimEvent {
  at: number;
  run: (at: number) => void;
}

/** Runs events in time order, applying due job transitions before each; events may schedule more events. */
export class Simulation {
  private q: SimEvent[] = [];
  private i = 0;
  private running = false;
  constructor(private readonly store: Store) {}

  add(ev: SimEvent): void {
    const q = this.q;
    // Before run(): collect and sort once. During run(): keep the rest of the queue ordered.
    if (!this.running || q.length === 0 || q[q.length - 1].at <= ev.at) {
      q.push(ev);
      return;
    }
    let lo = this.i;
    let hi = q.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (q[mid].at <= ev.at) lo = mid + 1;
      else hi = mid;
    }
    q.splice(lo, 0, ev);
  }

  run(until: number): void {
    this.q.sort((a, b) => a.at - b.at);
    this.running = true;
    this.store.deferred = new Map();
    while (this.i < this.q.length) {
      const ev = this.q[this.i++];
      if (ev.at > until) break;
      tick(this.store, ev.at);
      ev.run(ev.at);
    }
    tick(this.store, until);
    for (const [flowId, t] of this.store.deferred) {
      const f = this.store.flows.get(flowId);
      if (f) f.lastExecutedAt = iso(t);
    }
    this.store.deferred = undefined;
    this.q = [];
    this.i = 0;
    this.running = false;
  }
}

/** Run start times of a flow that runs every `everyMs` at `offsetMs` past the grid, inside [from, to). */
export function runTimes(from: number, to: number, everyMs: number, offsetMs: number): number[] {
  const out: number[] = [];
  let t = Math.ceil((from - offsetMs) / everyMs) * everyMs + offsetMs;
  for (; t < to; t += everyMs) out.push(t);
  return out;
}

/** Six-field cron with a leading `?` (celigo-api.md §3.2), hours listed explicitly as real flows do. */
export function cronEvery(hours: number, minute: number, firstHour = 0): string {
  if (hours >= 24) return `? ${minute} ${firstHour} ? * *`;
  const list: number[] = [];
  for (let h = firstHour % hours; h < 24; h += hours) list.push(h);
  return `? ${minute} ${list.join(',')} ? * *`;
}

export class Builder {
  constructor(
    readonly store: Store,
    readonly by: string,
    readonly audit = true,
  ) {}

  create(kind: Kind, body: Record<string, unknown>, at: number): Rec {
    const clean: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(body)) if (v !== undefined) clean[k] = v;
    return this.store.create(kind, clean, this.by, { at, source: 'ui', audit: this.audit });
  }

  connection(body: Record<string, unknown>, at: number): Rec {
    const rec = this.create('connections', { ...body, offline: body.offline ?? false, sandbox: body.sandbox ?? false }, at);
    rec.queues = [{ name: rec._id, size: 0 }];
    return rec;
  }

  exportOf(body: Record<string, unknown>, at: number): Rec {
    const rec = this.create('exports', { asynchronous: true, ...body }, at);
    rec.apiIdentifier = 'e' + rec._id.slice(-9);
    return rec;
  }

  importOf(body: Record<string, unknown>, at: number): Rec {
    const rec = this.create('imports', body, at);
    rec.apiIdentifier = 'i' + rec._id.slice(-9);
    return rec;
  }

  flow(body: Record<string, unknown>, profile: FlowProfile | undefined, at: number): Rec {
    const rec = this.create('flows', { disabled: false, ...body }, at);
    if (profile) this.store.hidden.flowProfiles.set(rec._id, profile);
    return rec;
  }
}

/**
 * Schedules the runs of a flow into a simulation; `onStart` sees each job (to cancel it, say). With
 * `immediate`, each run completes at once (same records, fewer steps): for history nothing interrupts.
 */
export function scheduleRuns(sim: Simulation, store: Store, flow: Rec, times: number[], by: string, onStart?: (job: JobRec, at: number) => void, immediate = false): void {
  for (const t of times) {
    sim.add({
      at: t,
      run: (at) => {
        const current = store.flows.get(flow._id);
        if (!current || current.disabled === true) return;
        const job = startFlowRun(store, current, { by, at });
        if (immediate) drain(store, job);
        onStart?.(job, at);
      },
    });
  }
}
