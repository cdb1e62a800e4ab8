// `celigo-manage emulator --check-recording FILE`: replays a recording (core/recording.ts) against a
// fresh emulator and lists where the emulator answers with another status or another shape.
//
// Ids: a placeholder the recording saw in an answer at some JSON path is bound to whatever the emulator
// answers at that path, and substituted in later requests. One never seen in an answer (an id typed on
// the command line) falls back to the first object of its kind; failing that, the request is listed as
// "could not replay: unknown id". Request bodies are rebuilt from their shapes (strings "x", numbers 1,
// dates now), so a change that the real API accepted may be refused here for want of real values.
import { readFile } from 'node:fs/promises';
import { Redactor, parseRecording, requestTarget, type RecordedExchange, type RecordingHeader } from '../core/recording.js';
import { nextLink } from '../core/paging.js';
import { compareShapes, describeDifference, isAnyOf, isArrayShape, scalarTypes, valueAt, type JsonPath, type Shape } from '../core/shape.js';
import { type EmulatorOptions, type FaultConfig, ManualClock, type RunningEmulator, parseRateLimit, parseSeed, startEmulator } from './index.js';
import { apiRouter } from './routes/index.js';
import { DEMO_TOKEN } from './tokens.js';

export interface CheckRecordingOptions {
  /** demo (default), large, empty. */
  seed?: string;
  /** With the large seed: its size factor, "1" to "20" (default 1). */
  scale?: string;
  /** "<capacity>,<refillPerSec>" or "off" (default off: a replay runs as fast as it can). */
  rateLimit?: string;
  faultRate?: number;
  latencyMs?: number;
  /** Page sizes of the fresh emulator (tests). */
  emulator?: Pick<EmulatorOptions, 'pageSize' | 'errorsPageSize' | 'jobsPageSize'>;
}

export interface RecordingDifference {
  /** "GET /flows/:id/:stepId/errors" */
  endpoint: string;
  /** "status 200 vs 204", "missing key errors[].traceKey", "type string vs number at a.b", "could not replay: unknown id" */
  difference: string;
  /** How many exchanges of the recording showed it. */
  count: number;
  /** The first of them (its `n`). */
  first: number;
}

export interface CheckRecordingResult {
  /** Exchanges in the recording. */
  exchanges: number;
  /** Sent to the emulator and compared. */
  replayed: number;
  /**
   * Not sent: attempts the client retried (429, and 5xx followed by the same request), and further pages
   * of a list the emulator ends sooner.
   */
  skipped: number;
  /** Not sent: a placeholder that nothing could bind. */
  notReplayed: RecordingDifference[];
  differences: RecordingDifference[];
}

const PROBE_ID = '665f00000000000000000001';
const PLACEHOLDER = /<id:\d+>/g;

/** The route a recorded path belongs to ("/flows/:id/:stepId/errors"), or the path with {id} for each placeholder. */
export function endpointOf(method: string, path: string): string {
  const segs = path.split('/').filter(Boolean).map((s) => (/^<id:\d+>$/.test(s) ? PROBE_ID : s));
  const m = apiRouter().match(method, segs);
  return `${method} ${m && 'route' in m ? m.route.path : path.replace(PLACEHOLDER, '{id}')}`;
}

function sameRequest(a: RecordedExchange, b: RecordedExchange | undefined): boolean {
  return !!b && a.method === b.method && a.path === b.path && JSON.stringify(a.query) === JSON.stringify(b.query) && JSON.stringify(a.requestBody) === JSON.stringify(b.requestBody);
}

/** Where a list of each kind lives, to find "the first object of the kind" for an unbound placeholder. */
const FIRST_OF: Record<string, { path: string; at: JsonPath }> = {
  integrations: { path: '/integrations', at: [0, '_id'] },
  flows: { path: '/flows', at: [0, '_id'] },
  exports: { path: '/exports', at: [0, '_id'] },
  imports: { path: '/imports', at: [0, '_id'] },
  connections: { path: '/connections', at: [0, '_id'] },
  tags: { path: '/tags', at: [0, '_id'] },
  // Parent jobs must be asked for with a date (or an integration).
  jobs: { path: '/jobs?type=flow&createdAt_gte=1970-01-01T00:00:00.000Z', at: [0, '_id'] },
  steps: { path: '/flows', at: [0, 'pageGenerators', 0, '_exportId'] },
  users: { path: '/tokenInfo', at: ['_userId'] },
};

class Replay {
  private readonly bound = new Map<string, string>();
  private readonly kinds = new Map<string, string>();
  private readonly firstOf = new Map<string, string | undefined>();
  private readonly shaper: Redactor;

  constructor(private readonly emu: RunningEmulator) {
    this.shaper = new Redactor(emu.baseUrl);
  }

  learnKinds(x: RecordedExchange): void {
    for (const [p, k] of Object.entries(x.kinds ?? {})) if (k !== 'unknown' || !this.kinds.has(p)) this.kinds.set(p, k);
  }

  /** Recorded next-page targets (Link rel=next, nextPageURL) → the emulator's own, or null where its list ended. */
  private readonly pages = new Map<string, string | null>();

  notePages(x: RecordedExchange, link: string | null, answer: unknown): void {
    const recorded = x.headers?.link ? nextLink(x.headers.link) : undefined;
    if (recorded) this.pages.set(recorded, link && nextLink(link) ? this.below(nextLink(link)!) : null);
    if (x.next) {
      const next = answer && typeof answer === 'object' ? (answer as { nextPageURL?: unknown }).nextPageURL : undefined;
      this.pages.set(x.next, typeof next === 'string' && next ? this.below(next) : null);
    }
  }

  /**
   * For a request that followed a recorded next-page link: the emulator's next page (its cursors are its
   * own), or null when the emulator's list had no further page. Undefined for any other request.
   */
  followPage(x: RecordedExchange): string | null | undefined {
    return this.pages.get(requestTarget(x));
  }

  private below(url: string): string {
    const u = new URL(url, this.emu.baseUrl + '/');
    const base = new URL(this.emu.baseUrl).pathname.replace(/\/+$/, '');
    return (u.pathname.startsWith(base + '/') ? u.pathname.slice(base.length) : u.pathname) + u.search;
  }

  async send(method: string, pathAndQuery: string, body?: string): Promise<{ status: number; text: string; link: string | null }> {
    for (let attempt = 0; ; attempt++) {
      const res = await this.emu.fetch(this.emu.baseUrl + pathAndQuery, {
        method,
        headers: { authorization: `Bearer ${DEMO_TOKEN}`, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body,
      });
      const text = await res.text();
      // The emulator's own rate limit (when --rate-limit is given) is not a difference: wait and resend.
      if (res.status === 429 && attempt < 5) {
        const wait = Number(res.headers.get('retry-after') ?? '1');
        await new Promise((r) => setTimeout(r, Math.min(10, Number.isFinite(wait) ? wait : 1) * 1000));
        continue;
      }
      return { status: res.status, text, link: res.headers.get('link') };
    }
  }

  /** The emulator's value for a placeholder: bound from an earlier answer, or the first object of its kind. */
  async resolve(placeholder: string): Promise<string | undefined> {
    const b = this.bound.get(placeholder);
    if (b !== undefined) return b;
    const kind = this.kinds.get(placeholder) ?? 'unknown';
    let v: string | undefined;
    if (kind === 'stateKeys') v = `recorded-key-${placeholder.replace(/\D/g, '')}`;
    else if (FIRST_OF[kind]) {
      if (!this.firstOf.has(kind)) {
        const res = await this.send('GET', FIRST_OF[kind].path);
        const found = valueAt(parse(res.text), FIRST_OF[kind].at);
        this.firstOf.set(kind, typeof found === 'string' || typeof found === 'number' ? String(found) : undefined);
      }
      v = this.firstOf.get(kind);
    }
    if (v !== undefined) this.bound.set(placeholder, v);
    return v;
  }

  bind(x: RecordedExchange, answer: unknown): void {
    for (const [p, path] of Object.entries(x.ids ?? {})) {
      if (this.bound.has(p)) continue;
      const v = valueAt(answer, path);
      if (typeof v === 'string' || typeof v === 'number') this.bound.set(p, String(v));
    }
  }

  /** Placeholders of a request that nothing binds. */
  async unresolved(x: RecordedExchange): Promise<string[]> {
    const found = new Set<string>();
    const scan = (s: string) => {
      for (const m of s.matchAll(PLACEHOLDER)) found.add(m[0]);
    };
    scan(x.path);
    for (const [k, v] of Object.entries(x.query ?? {})) [k, ...(Array.isArray(v) ? v : [v])].forEach(scan);
    for (const [, p] of x.requestIds ?? []) found.add(p);
    if (x.requestBody !== undefined) scan(JSON.stringify(x.requestBody));
    const missing: string[] = [];
    for (const p of found) if ((await this.resolve(p)) === undefined) missing.push(p);
    return missing;
  }

  private sub(s: string): string {
    return s.replace(PLACEHOLDER, (p) => this.bound.get(p) ?? p);
  }

  url(x: RecordedExchange): string {
    const path = x.path
      .split('/')
      .map((seg) => (seg ? encodeURIComponent(this.sub(seg)) : seg))
      .join('/');
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(x.query ?? {})) for (const one of Array.isArray(v) ? v : [v]) q.append(this.sub(k), this.queryValue(one));
    const qs = q.toString();
    return path + (qs ? `?${qs}` : '');
  }

  private queryValue(v: string): string {
    if (/^<id:\d+>$/.test(v)) return this.sub(v);
    if (v === '<number>') return '1';
    if (v === '<date>') return new Date(this.emu.clock.now()).toISOString();
    if (v === '<string>') return 'x';
    return v;
  }

  /** Each resource's last answer, by path: a PUT is a read-modify-write, so its body starts from it. */
  private readonly lastAnswer = new Map<string, unknown>();

  remember(pathAndQuery: string, status: number, answer: unknown): void {
    if (status >= 200 && status < 300 && answer && typeof answer === 'object' && !Array.isArray(answer)) this.lastAnswer.set(pathAndQuery.split('?')[0], answer);
  }

  /**
   * A body with the recorded shape: placeholders become the bound ids; other markers take the emulator's
   * value at the same place in its last answer for the resource (PUT), else a plausible value.
   */
  body(x: RecordedExchange, pathAndQuery: string): string | undefined {
    if (x.requestBody === undefined) return undefined;
    const template = x.method === 'PUT' ? this.lastAnswer.get(pathAndQuery.split('?')[0]) : undefined;
    const value = this.synth(x.requestBody, template);
    for (const [path, p] of x.requestIds ?? []) setAt(value, path, this.bound.get(p) ?? p);
    return JSON.stringify(value);
  }

  private synth(s: Shape, t?: unknown): unknown {
    if (typeof s === 'string') {
      if (/^<id:\d+>$/.test(s)) return this.bound.get(s) ?? s;
      if (!/^<.*>$/.test(s)) return s; // a kept literal
      const types = scalarTypes(s);
      if (t !== undefined && types.includes(t === null ? 'null' : typeof t === 'string' ? (types.find((x) => x === 'string' || x === 'id' || x === 'date') ?? 'string') : typeof t)) return t;
      const first = types.find((x) => x !== 'null') ?? 'null';
      return first === 'number' ? 1 : first === 'boolean' ? false : first === 'null' ? null : first === 'date' ? new Date(this.emu.clock.now()).toISOString() : first === 'id' ? PROBE_ID : 'x';
    }
    if (isAnyOf(s)) {
      const members = s['<anyOf>'];
      const kind = Array.isArray(t) ? 'array' : t !== null && typeof t === 'object' ? 'object' : 'scalar';
      const m = members.find((x) => (typeof x === 'string' ? 'scalar' : isArrayShape(x) ? 'array' : 'object') === kind) ?? members[0];
      return this.synth(m, t);
    }
    if (isArrayShape(s)) {
      const ta = Array.isArray(t) ? t : [];
      return s.of === undefined ? [] : Array.from({ length: s['<array>'] }, (_, i) => this.synth(s.of!, ta[i]));
    }
    const to = t !== null && typeof t === 'object' && !Array.isArray(t) ? (t as Record<string, unknown>) : {};
    return Object.fromEntries(Object.entries(s).map(([k, v]) => [this.sub(k), this.synth(v, to[this.sub(k)])]));
  }

  /** The shape of an emulator answer, by the rules the recording used. */
  shape(text: string): Shape | undefined {
    if (text === '') return undefined;
    const v = parse(text);
    return v === NOT_JSON ? '<text>' : this.shaper.body(v, undefined, () => {});
  }
}

const NOT_JSON = Symbol('not json');
function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

function setAt(root: unknown, path: JsonPath, value: unknown): void {
  let v = root as Record<string | number, unknown>;
  for (let i = 0; i < path.length - 1; i++) {
    const next = v?.[path[i]];
    if (next === null || typeof next !== 'object') return;
    v = next as Record<string | number, unknown>;
  }
  if (v && typeof v === 'object' && path.length) v[path[path.length - 1]] = value;
}

/** Replays a recording (its text) against a fresh emulator. */
export async function checkRecording(text: string, opts: CheckRecordingOptions = {}): Promise<CheckRecordingResult> {
  let exchanges: RecordedExchange[];
  let header: RecordingHeader;
  try {
    ({ header, exchanges } = parseRecording(text));
  } catch (err) {
    throw new Error(`Not a usable recording: ${(err as Error).message}`, { cause: err });
  }
  const { seed, scale } = parseSeed(opts.seed, opts.scale);
  // The emulator's time follows the recording's: it starts when the recording did (so kept query dates
  // fall inside the seeded history) and moves on as the recorded answers did (so a job polled for a
  // minute has moved on as far when the replay polls it).
  const start = Date.parse(header.startedAt ?? '');
  const clock = new ManualClock(Number.isFinite(start) ? start : Date.now());
  const t0 = clock.now();
  const emuOpts: EmulatorOptions = { ...opts.emulator, seed, scale, clock, listen: false, quiet: true, rateLimit: opts.rateLimit === undefined ? false : parseRateLimit(opts.rateLimit) };
  const faults: FaultConfig = {};
  if (opts.faultRate !== undefined) faults.errorRate = opts.faultRate;
  if (opts.latencyMs !== undefined) faults.latencyMs = opts.latencyMs;
  if (Object.keys(faults).length) emuOpts.faults = faults;
  const emu = await startEmulator(emuOpts);
  const replay = new Replay(emu);
  const differences = new Map<string, RecordingDifference>();
  const notReplayed = new Map<string, RecordingDifference>();
  const note = (into: Map<string, RecordingDifference>, endpoint: string, difference: string, n: number) => {
    const key = `${endpoint}\u0000${difference}`;
    const d = into.get(key);
    if (d) d.count++;
    else into.set(key, { endpoint, difference, count: 1, first: n });
  };
  let replayed = 0;
  let skipped = 0;
  try {
    for (let i = 0; i < exchanges.length; i++) {
      const x = exchanges[i];
      replay.learnKinds(x);
      if (typeof x.ms === 'number' && t0 + x.ms > clock.now()) clock.set(t0 + x.ms);
      if (x.status === 429 || (x.status >= 500 && sameRequest(x, exchanges[i + 1]))) {
        skipped++;
        continue;
      }
      const endpoint = endpointOf(x.method, x.path);
      const page = replay.followPage(x);
      if (page === null) {
        // A further page of a list that is shorter in the emulator: nothing to compare it with.
        skipped++;
        continue;
      }
      if (page === undefined) {
        const missing = await replay.unresolved(x);
        if (missing.length) {
          note(notReplayed, endpoint, `could not replay: unknown id ${missing.join(', ')}`, x.n);
          continue;
        }
      }
      const url = page ?? replay.url(x);
      const res = await replay.send(x.method, url, page === undefined ? replay.body(x, url) : undefined);
      replayed++;
      const answer = parse(res.text);
      replay.bind(x, answer);
      replay.remember(url, res.status, answer);
      replay.notePages(x, res.link, answer);
      if (res.status !== x.status) {
        note(differences, endpoint, `status ${x.status} vs ${res.status}`, x.n);
        continue;
      }
      const actual = replay.shape(res.text);
      if (x.body === undefined && actual !== undefined) note(differences, endpoint, 'extra body (the recording had none)', x.n);
      else if (x.body !== undefined && actual === undefined) note(differences, endpoint, 'missing body (the emulator sent none)', x.n);
      else if (x.body !== undefined && actual !== undefined) {
        for (const d of compareShapes(x.body, actual)) note(differences, endpoint, describeDifference(d), x.n);
      }
    }
  } finally {
    await emu.close();
  }
  return { exchanges: exchanges.length, replayed, skipped, notReplayed: [...notReplayed.values()], differences: [...differences.values()] };
}

export async function checkRecordingFile(file: string, opts: CheckRecordingOptions = {}): Promise<CheckRecordingResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`Cannot read the recording ${file}: ${(err as Error).message.replace(/^\w+: /, '')}`, { cause: err });
  }
  return checkRecording(text, opts);
}
