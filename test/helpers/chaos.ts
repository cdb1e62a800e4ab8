// The chaos harness: the same operation on two fresh demo emulators (same seed, same ManualClock start),
// once fault-free and once with ~20% injected faults, then a normalised snapshot of each account read
// through the API, and what the emulator's store saw happen (runs started, retries, resolutions).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { CeligoClient, type ClientOptions } from '../../src/core/client.js';
import { flowSteps } from '../../src/core/flows.js';
import { DEMO_TOKEN, ManualClock, startEmulator, type FaultConfig, type RunningEmulator } from '../../src/emulator/index.js';
import type { RateLimitConfig } from '../../src/emulator/rate-limit.js';
import type { ErrRec } from '../../src/emulator/flow-errors.js';
import { retryDataKey } from '../../src/emulator/ids.js';
import { mapPool } from '../../src/ops/pool.js';
import type { WaitContext } from '../../src/ops/util.js';

export const START = Date.UTC(2026, 0, 15, 12, 0, 0, 0);
export const DAY = 86_400_000;

/**
 * About one request in five gets a fault: 5xx (500/502/503) ~10%, 429 ~4%, connection reset 3%, and a
 * 2-second latency spike 3% (independent of the others). `next` makes sure even a short operation meets
 * each kind on its first writes: a 503 and a reset on POSTs, a 502 and a reset on PUTs, a 500 on a DELETE,
 * and a 429 on a GET.
 */
export function chaosFaults(seed: number): FaultConfig {
  return {
    seed,
    errorRate: 0.11,
    statuses: [500, 502, 503],
    rateLimitRate: 0.04,
    resetRate: 0.03,
    spikeRate: 0.03,
    spikeMs: 2000,
    next: [
      { status: 503, match: '^POST ' },
      { reset: true, match: '^POST ' },
      { status: 502, match: '^PUT ' },
      { reset: true, match: '^PUT ' },
      { status: 500, match: '^DELETE ' },
      { status: 429, retryAfter: 1, match: '^GET ' },
    ],
  };
}

export interface RetryPost {
  flowId: string;
  stepId: string;
  keys: string[];
  status: number;
  jobId?: string;
}

export interface ChaosEnv {
  emu: RunningEmulator;
  clock: ManualClock;
  /** The client under test (short read timeout, no real sleeping). */
  api: CeligoClient;
  /** A plain client for setup and snapshots (faults are off while it is used). */
  admin: CeligoClient;
  home: string;
  ctx: WaitContext;
  /** Retry POSTs as sent by the client under test, with the answer's status. */
  retryPosts: RetryPost[];
  /** errorId -> how it was resolved or retried, as the store saw it. */
  seen: StoreWitness;
  close(): Promise<void>;
}

export interface StoreWitness {
  /** errorId -> retry jobs that took it (resolved it or failed it again). */
  retriedBy: Map<number, string[]>;
  /** errorIds resolved by an explicit PUT …/resolved. */
  clearedExplicitly: Set<number>;
}

/**
 * Tolerant of what chaos does: a read timeout (1 s) shorter than a latency spike (2 s), so spiked reads time
 * out and are retried; a write timeout longer than a spike, because a write that times out may still land
 * later (see give-up.test.ts for what the ops do then); backoff without real sleeping.
 */
export function clientFor(emu: RunningEmulator, fetchImpl?: typeof fetch, overrides: Partial<ClientOptions> = {}): CeligoClient {
  return new CeligoClient({
    baseUrl: emu.baseUrl,
    token: DEMO_TOKEN,
    timeoutMs: 1000,
    writeTimeoutMs: 10_000,
    maxRetries: 10,
    backoffMs: 1,
    sleep: async () => {},
    random: () => 0.5,
    fetch: fetchImpl,
    ...overrides,
  });
}

function watchStore(emu: RunningEmulator): StoreWitness {
  const w: StoreWitness = { retriedBy: new Map(), clearedExplicitly: new Set() };
  const store = emu.store;
  const table = store.errors;
  const push = (e: ErrRec) => w.retriedBy.set(e.id, [...(w.retriedBy.get(e.id) ?? []), e.retryJobId!]);
  const resolve = table.resolve.bind(table);
  table.resolve = (flowId, stepId, which, at, by) => {
    for (const e of which) {
      const job = e.retryJobId ? store.jobs.get(e.retryJobId) : undefined;
      // A retry job resolves the errors it took while it is still running; anything else is a clear.
      if (job && job.type === 'retry' && job.status === 'running') push(e);
      else w.clearedExplicitly.add(e.id);
    }
    return resolve(flowId, stepId, which, at, by);
  };
  const move = table.moveToJob.bind(table);
  table.moveToJob = (e, job, at) => {
    push(e);
    return move(e, job, at);
  };
  return w;
}

export interface EnvOptions {
  /** Client settings to change (e.g. a write timeout shorter than the injected latency). */
  client?: Partial<ClientOptions>;
  /** Emulator rate limit (default off: 429s come from the fault injector). */
  rateLimit?: RateLimitConfig | false;
}

export async function chaosEnv(opts: EnvOptions = {}): Promise<ChaosEnv> {
  const clock = new ManualClock(START);
  const emu = await startEmulator({ port: 0, seed: 'demo', clock, quiet: true, rateLimit: opts.rateLimit ?? false });
  const retryPosts: RetryPost[] = [];
  const recording: typeof fetch = async (input, init) => {
    const url = new URL(String(input instanceof URL ? input : (input as Request).url ?? input));
    const m = /\/flows\/([^/]+)\/([^/]+)\/retry$/.exec(url.pathname);
    if (init?.method !== 'POST' || !m) return fetch(input, init);
    const post: RetryPost = { flowId: m[1], stepId: m[2], keys: JSON.parse(String(init.body)).retryDataKeys ?? [], status: 0 };
    retryPosts.push(post);
    const res = await fetch(input, init); // a reset or a timeout leaves status 0
    post.status = res.status;
    if (res.ok) post.jobId = ((await res.clone().json()) as { _id?: string })._id;
    return res;
  };
  const api = clientFor(emu, recording, opts.client);
  const admin = new CeligoClient({ baseUrl: emu.baseUrl, token: DEMO_TOKEN, backoffMs: 1, sleep: async () => {} });
  const home = await mkdtemp(join(tmpdir(), 'celigo-chaos-'));
  const ctx: WaitContext = {
    api,
    home,
    now: () => new Date(clock.now()),
    sleep: async (ms) => clock.advance(ms),
    confirm: async () => true,
  };
  return {
    emu,
    clock,
    api,
    admin,
    home,
    ctx,
    retryPosts,
    seen: watchStore(emu),
    close: async () => {
      await emu.close();
      await rm(home, { recursive: true, force: true });
    },
  };
}

// ---- snapshots ----

export interface ErrorFact {
  errorId: string;
  flowId: string;
  stepId: string;
  retryDataKey?: string;
  code: string;
}

export interface Snapshot {
  /** Normalised account: resources by kind and name, ids replaced by kind:name labels. */
  state: Record<string, unknown>;
  /** Open errors with their ids (raw, for the "nothing lost" check). */
  open: ErrorFact[];
  resolved: ErrorFact[];
  /**
   * Jobs created since the start of the operation (the seed's history ends before START and nothing is
   * left running, so older jobs never change type or status).
   */
  jobs: { _id: string; type: string; status: string; _flowId?: string }[];
}

const DROP = new Set(['_id', 'createdAt', 'lastModified', 'lastModifiedBy', 'lastExecutedAt']);

function relabel(v: unknown, labels: Map<string, string>): unknown {
  if (typeof v === 'string') return labels.get(v) ?? v;
  if (Array.isArray(v)) return v.map((x) => relabel(x, labels));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      if (DROP.has(k)) continue;
      out[labels.get(k) ?? k] = relabel((v as Record<string, unknown>)[k], labels);
    }
    return out;
  }
  return v;
}

function countBy<T>(rows: T[], key: (r: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) out[key(r)] = (out[key(r)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Reads the whole account through the API (faults off) after letting every job finish, and normalises it:
 * no server-generated ids (labels instead), no timestamps, no audit. Error ids that existed before the
 * operation (`known`) stay; errors born during it count by code.
 */
export async function snapshot(env: ChaosEnv, known?: Set<string>, settleMs = 2 * 3600_000): Promise<Snapshot> {
  env.emu.setFaults({});
  const off = await fetch(`${env.emu.url}/__emulator/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rateLimit: false }) });
  if (!off.ok) throw new Error(`could not turn the rate limit off: ${off.status}`);
  env.clock.advance(settleMs);
  const api = env.admin;
  const [integrations, flows, exps, imps, connections, tags, jobs] = await Promise.all([
    api.integrations.list(), api.flows.list(), api.exports.list(), api.imports.list(), api.connections.list(), api.tags.list(),
    api.jobs.list({ createdAt_gte: new Date(START).toISOString() }),
  ]);
  const labels = new Map<string, string>();
  const label = (kind: string, rows: { _id: string; name?: string; tag?: string }[]) => {
    const used = new Map<string, number>();
    for (const r of rows) {
      const name = String(r.name ?? r.tag ?? '?');
      const n = (used.get(name) ?? 0) + 1;
      used.set(name, n);
      labels.set(r._id, `${kind}:${name}${n > 1 ? `#${n}` : ''}`);
    }
  };
  label('integration', integrations);
  label('flow', flows);
  label('export', exps);
  label('import', imps);
  label('connection', connections);
  label('tag', tags as { _id: string; tag?: string }[]);
  const byName = (rows: Record<string, unknown>[]) => Object.fromEntries(rows.map((r) => [labels.get(String(r._id))!, relabel(r, labels)]).sort(([a], [b]) => String(a).localeCompare(String(b))));

  const stateKeys = (await api.state.keys()).sort();
  const values = await Promise.all(stateKeys.map((k) => api.state.get(k)));
  const state = Object.fromEntries(stateKeys.map((k, i) => [k, relabel(values[i], labels)]));

  const open: ErrorFact[] = [];
  const resolved: ErrorFact[] = [];
  const errorsByStep: Record<string, { open: string[]; resolved: string[] }> = {};
  const steps = flows.flatMap((f) => [...new Set(flowSteps(f).map((s) => s.id))].map((st) => ({ f, st })));
  // A few at a time: keep-alive connections get reused (a burst of ~100 opens ~100 sockets and is slower).
  const lists = await mapPool(steps, 6, ({ f, st }) => Promise.all([api.errors.listOpen(f._id, st), api.errors.listResolved(f._id, st)]));
  steps.forEach(({ f, st }, i) => {
    const [o, r] = lists[i];
    const fact = (e: (typeof o)[number]): ErrorFact => ({ errorId: String(e.errorId), flowId: f._id, stepId: st, retryDataKey: e.retryDataKey, code: String(e.code) });
    open.push(...o.map(fact));
    resolved.push(...r.map(fact));
    const show = (e: (typeof o)[number]) => (!known || known.has(String(e.errorId)) ? String(e.errorId) : `new:${e.code}`);
    if (o.length || r.length) errorsByStep[`${labels.get(f._id)} / ${labels.get(st) ?? st}`] = { open: o.map(show).sort(), resolved: r.map(show).sort() };
  });
  return {
    state: {
      integrations: byName(integrations),
      flows: byName(flows),
      exports: byName(exps),
      imports: byName(imps),
      connections: byName(connections),
      tags: byName(tags),
      state,
      errors: errorsByStep,
      newJobsByTypeStatus: countBy(jobs, (j) => `${j.type}/${j.status}`),
      newParentJobsByFlow: countBy(jobs.filter((j) => j.type === 'flow' || j.type === 'retry'), (j) => `${labels.get(String(j._flowId)) ?? j._flowId}/${j.type}/${j.status}`),
    },
    open,
    resolved,
    jobs: jobs.map((j) => ({ _id: j._id, type: j.type, status: j.status, _flowId: j._flowId })),
  };
}

/** Open and resolved errors before the operation, read from the store (cheap; the "after" side uses the API). */
export function errorsNow(env: ChaosEnv): { open: ErrorFact[]; resolved: ErrorFact[] } {
  const open: ErrorFact[] = [];
  const resolved: ErrorFact[] = [];
  const store = env.emu.store;
  for (const flowId of store.flows.keys()) {
    for (const [stepId, st] of store.errors.stepsOf(flowId) ?? []) {
      const fact = (e: ErrRec): ErrorFact => ({ errorId: String(e.id), flowId, stepId, retryDataKey: retryDataKey(e.id), code: e.pattern.code });
      open.push(...st.open.map(fact));
      resolved.push(...st.resolved.map(fact));
    }
  }
  return { open, resolved };
}

// ---- one scenario, twice ----

export interface Outcome {
  env: ChaosEnv;
  before: { open: ErrorFact[]; resolved: ErrorFact[] };
  after: Snapshot;
  result?: unknown;
  error?: unknown;
  /** Requests the fault injector answered with a fault (status 0, 429 or 5xx). */
  faulted: number;
  requests: number;
}

export interface Scenario<P = unknown> {
  /** Fault-free preparation (before the "before" snapshot), e.g. a change that a restore undoes. */
  prepare?: (env: ChaosEnv) => Promise<P>;
  run: (ctx: WaitContext, env: ChaosEnv, prepared: P) => Promise<unknown>;
}

export async function runOnce<P>(s: Scenario<P>, faults?: FaultConfig): Promise<Outcome> {
  const t0 = performance.now();
  const env = await chaosEnv();
  const t1 = performance.now();
  const prepared = s.prepare ? await s.prepare(env) : (undefined as P);
  const before = errorsNow(env);
  env.emu.clearRequestLog();
  env.retryPosts.length = 0;
  if (faults) env.emu.setFaults(faults);
  let result: unknown;
  let error: unknown;
  try {
    result = await s.run(env.ctx, env, prepared);
  } catch (err) {
    error = err;
  }
  env.emu.setFaults({});
  const t2 = performance.now();
  const log = env.emu.requestLog();
  const after = await snapshot(env, new Set(before.open.concat(before.resolved).map((e) => e.errorId)));
  if (process.env.CHAOS_DEBUG) console.log(`timing ${faults ? 'chaos' : 'clean'}: env ${Math.round(t1 - t0)} ms, op ${Math.round(t2 - t1)} ms, total ${Math.round(performance.now() - t0)} ms, ${log.length} requests`);
  return { env, before, after, result, error, faulted: log.filter((l) => l.status === 0 || l.status === 429 || l.status >= 500).length, requests: log.length };
}

/** Runs the scenario fault-free and under chaos (in parallel, on separate emulators). */
export async function runPair<P>(s: Scenario<P>, seed: number): Promise<{ clean: Outcome; chaos: Outcome; close(): Promise<void> }> {
  const [clean, chaos] = await Promise.all([runOnce(s), runOnce(s, chaosFaults(seed))]);
  return { clean, chaos, close: async () => void (await Promise.all([clean.env.close(), chaos.env.close()])) };
}

// ---- the invariants ----

function newJobs(o: Outcome) {
  return o.after.jobs;
}

/** Flow runs and retry jobs started during the operation, per flow (state changes, not POSTs). */
export function startedWork(o: Outcome): Record<string, number> {
  return countBy(newJobs(o).filter((j) => j.type === 'flow' || j.type === 'retry'), (j) => `${j._flowId}/${j.type}`);
}

/**
 * The chaos run ends where the clean run ends, started the same runs and retries, retried no error twice
 * (as the store saw it), and lost no error.
 */
export function expectSameOutcome(pair: { clean: Outcome; chaos: Outcome }): void {
  const { clean, chaos } = pair;
  if (clean.error) throw clean.error;
  if (chaos.error) throw chaos.error;
  expect(chaos.faulted, 'the chaos run met faults').toBeGreaterThan(0);
  const isError = (r: unknown) => (r && typeof r === 'object' && 'isError' in r ? !!(r as { isError?: boolean }).isError : false);
  expect(isError(clean.result), 'the fault-free call succeeds').toBe(false);
  expect(isError(chaos.result), 'the call under chaos succeeds').toBe(false);
  const summary = (r: unknown) => String((r as { summary?: string; text?: string } | undefined)?.summary ?? (r as { text?: string } | undefined)?.text ?? '').slice(0, 300);
  expect(essentials(chaos.result), `what the result reports (counts, statuses); under chaos: ${summary(chaos.result)}`).toEqual(essentials(clean.result));
  if (process.env.CHAOS_DEBUG) {
    const line = (o: Outcome) => JSON.stringify(o.result)?.slice(0, 400);
    console.log(`clean: ${line(clean)}\nchaos (${chaos.faulted} faults in ${chaos.requests} requests): ${line(chaos)}`);
  }
  expect(chaos.after.state).toEqual(clean.after.state);
  expect(startedWork(chaos)).toEqual(startedWork(clean));
  for (const o of [clean, chaos]) {
    expectNoDoubleRetry(o);
    expectNoErrorLost(o);
  }
}

const REPORTED = new Set([
  'status', 'matched', 'retried', 'failed', 'skipped', 'unconfirmed', 'errorsResolvedAfter', 'stillOpenAfter', 'likelyToFailAgain', 'cleared',
  'enabled', 'verified', 'written', 'alreadyTagged', 'healthy', 'exported', 'succeeded', 'ignored', 'openErrors', 'count', 'flows', 'changed',
]);

/** The counts and statuses a result reports (not ids, times, texts, or the order retry jobs came back in). */
export function essentials(result: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'jobs' || k === 'text') continue;
        if (REPORTED.has(k) && (typeof x !== 'object' || x === null)) out[`${path}.${k}`] = x;
        else walk(x, `${path}.${k}`);
      }
    }
  };
  const r = result as { structured?: unknown } | undefined;
  walk(r && typeof r === 'object' && 'structured' in r ? r.structured : result, '');
  return out;
}

/** No error taken by two retry jobs, no retry data key accepted twice, no retry job without work. */
export function expectNoDoubleRetry(o: Outcome): void {
  const twice = [...o.env.seen.retriedBy].filter(([, jobs]) => jobs.length > 1);
  expect(twice, 'errors retried more than once').toEqual([]);
  const accepted = o.env.retryPosts.filter((p) => p.status >= 200 && p.status < 300).flatMap((p) => p.keys.map((k) => `${p.flowId}/${p.stepId}/${k}`));
  expect(accepted.length - new Set(accepted).size, 'retry keys accepted twice').toBe(0);
  const retryJobs = newJobs(o).filter((j) => j.type === 'retry');
  const withWork = new Set([...o.env.seen.retriedBy.values()].flat());
  expect(retryJobs.filter((j) => !withWork.has(j._id)).map((j) => j._id), 'retry jobs that took no error (a second POST of the same keys)').toEqual([]);
}

/** Every error open before is still open, or was resolved by a retry job that carried its key, or cleared. */
export function expectNoErrorLost(o: Outcome): void {
  const openAfter = new Set(o.after.open.map((e) => e.errorId));
  const resolvedAfter = new Set(o.after.resolved.map((e) => e.errorId));
  const keysOfJob = new Map<string, Set<string>>();
  for (const p of o.env.retryPosts) if (p.jobId) keysOfJob.set(p.jobId, new Set(p.keys));
  // A POST whose answer never came (timeout, reset) may still have made a retry job: its keys count for
  // the retry jobs of the same step that no answered POST accounts for.
  const unanswered = o.env.retryPosts.filter((p) => !p.jobId);
  const carried = (jobId: string, e: ErrorFact, key: string) =>
    keysOfJob.has(jobId) ? keysOfJob.get(jobId)!.has(key) : unanswered.some((p) => p.flowId === e.flowId && p.stepId === e.stepId && p.keys.includes(key));
  const problems: string[] = [];
  for (const e of o.before.open) {
    if (openAfter.has(e.errorId)) continue;
    if (!resolvedAfter.has(e.errorId)) {
      problems.push(`${e.errorId} vanished`);
      continue;
    }
    const id = Number(e.errorId);
    if (o.env.seen.clearedExplicitly.has(id)) continue;
    const by = o.env.seen.retriedBy.get(id) ?? [];
    if (!by.length) problems.push(`${e.errorId} resolved without a retry or a clear`);
    else if (!by.some((j) => carried(j, e, e.retryDataKey ?? retryDataKey(id)))) problems.push(`${e.errorId} resolved by retry job ${by.join(',')} whose request did not carry its key`);
  }
  expect(problems).toEqual([]);
}
