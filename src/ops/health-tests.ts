// The health check's connection tests (issue 14 item 2): each starts as soon as it is known that its
// connection needs one (a flow of an integration tagged critical, a flow whose runs already show
// trouble), all of them at once: the account's request budget (core/rate-budget.ts) is what spaces them.
import type { Flow } from '../core/schemas.js';
import { flowSteps } from '../core/flows.js';
import type { OpContext } from './context.js';

export interface TestOutcome {
  ok: boolean;
  code?: number;
  message?: string;
  latencyMs?: number;
}

export class ConnectionTests {
  private readonly started = new Map<string, Promise<TestOutcome>>();
  /** Flows named before it was known which connection each step uses. */
  private readonly waiting = new Set<string>();
  private readonly named = new Set<string>();
  private known?: { flowById: Map<string, Flow>; connectionOf: ReadonlyMap<string, string> };
  private readonly stop = new AbortController();
  /** The check's signal and this one's own stop: every test listens to it. */
  private readonly signal: AbortSignal;

  constructor(private readonly ctx: OpContext) {
    this.signal = ctx.signal ? AbortSignal.any([ctx.signal, this.stop.signal]) : this.stop.signal;
  }

  /** Tests started so far (for the benchmarks and tests). */
  get count(): number {
    return this.started.size;
  }

  /** The connections of this flow (if listed and enabled) are to be tested: start now, or once known. */
  flow(flowId: string): void {
    if (this.named.has(flowId)) return;
    this.named.add(flowId);
    if (this.known) this.startFlow(flowId);
    else this.waiting.add(flowId);
  }

  /** The flows and which connection each export and import uses: the flows named so far start. */
  ready(flows: readonly Flow[], connectionOf: ReadonlyMap<string, string>): void {
    this.known = { flowById: new Map(flows.map((f) => [f._id, f])), connectionOf };
    for (const id of this.waiting) this.startFlow(id);
    this.waiting.clear();
  }

  /** The outcome of a connection's test, started now if it was not already. */
  result(connectionId: string): Promise<TestOutcome> {
    return this.started.get(connectionId) ?? this.start(connectionId);
  }

  /** The check stopped: tests still running are not wanted. */
  cancel(): void {
    this.stop.abort();
  }

  private startFlow(flowId: string): void {
    const f = this.known!.flowById.get(flowId);
    if (!f || f.disabled) return;
    for (const st of flowSteps(f)) {
      const cid = this.known!.connectionOf.get(st.id);
      if (cid && !this.started.has(cid)) this.start(cid);
    }
  }

  /** A test that throws is a connection down; it never rejects. */
  private start(cid: string): Promise<TestOutcome> {
    // As util.ts testConnection, with the signal that stops them all (the ping only reads: http.ts retries it).
    const p = this.ctx.api.connections.ping(cid, { signal: this.signal }).then(
      (r): TestOutcome => ({ ok: r.ok, code: r.code, message: r.message, latencyMs: r.latencyMs }),
      (err: unknown): TestOutcome => ({ ok: false, message: (err as Error).message }),
    );
    this.started.set(cid, p);
    return p;
  }
}
