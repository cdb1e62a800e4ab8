// Fewer duplicate reads (issue 14 item 4), under the HttpClient:
// - identical GETs in flight at once (same client, so same account and token) make one request; every
//   caller parses its own copy of the answer's text, and a caller that aborts leaves without stopping the
//   others (the request itself stops when the last one has left);
// - a session's recent resource lists (GET /flows, /integrations, … and their next pages) are reused by
//   its next tool calls for a short time (ReadCache, carried by withReadCache: the MCP server gives each
//   session its own; the CLI none). Jobs, errors and single objects are never kept: they change by
//   themselves, and run_and_monitor polls a job for its fresh state.
// Any write through the client (not a read-only POST) ends both: it bumps the client's generation when it
// is sent and again when it ends, and a cached list or a request in flight from an older generation is
// never handed out again.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { HeadersLike } from './http.js';

/** How long a session reuses a list it read (CELIGO_MANAGE_LIST_CACHE_MS). */
export const DEFAULT_LIST_CACHE_MS = 30_000;
/** Longest CELIGO_MANAGE_LIST_CACHE_MS accepted: past it a "moment ago" is no longer one. */
export const MAX_LIST_CACHE_MS = 600_000;

/** A GET's answer as read off the wire: every caller parses its own copy of the text. */
export interface RawAnswer {
  status: number;
  headers: HeadersLike;
  text: string;
  /** Attempts the request took (retries included), for the error a status >= 400 becomes. */
  attempts: number;
  /** Read as rows (HttpClient.rows): how the body ended. */
  split?: import('./json-rows.js').SplitEnd;
}

export interface ReadStats {
  /** GETs that joined an identical request already in flight instead of sending their own. */
  sharedInFlight: number;
  /** List reads answered from the session's cache. */
  cacheHits: number;
  /** List reads inside a session's cache scope that had to go to the network. */
  cacheMisses: number;
}

/**
 * The resource lists a session may reuse: the collections, and an integration's own lists of them (they
 * change only when someone writes); never a single object, jobs, errors, or anything else.
 */
const LIST_PATH = /^\/(?:(?:integrations|flows|exports|imports|connections|tags)|integrations\/[^/]+\/(?:flows|exports|imports|connections))\/?$/;

/** Whether `url` (absolute, on the client's base path) reads a resource list, any query (next pages too). */
export function isCachedList(url: URL, basePath: string): boolean {
  const p = url.pathname;
  return p.startsWith(basePath + '/') && LIST_PATH.test(p.slice(basePath.length));
}

export interface ReadCacheOptions {
  /** How long an answer is reused, ms (default DEFAULT_LIST_CACHE_MS; 0 keeps nothing). */
  ttlMs?: number;
  /** Answers kept at most (default 200), oldest out. */
  maxEntries?: number;
  /** Characters of answer text kept at most (default 2 MiB), oldest out; a larger answer is not kept. */
  maxChars?: number;
  /** Clock (tests). */
  now?: () => number;
}

interface Entry {
  /** The SharedReads (so the client) that read it: one cache never answers for another account. */
  owner: object;
  generation: number;
  answer: RawAnswer;
  expires: number;
}

/** Characters of answer text every session's cache of this process keeps at most, together. */
export const PROCESS_MAX_CHARS = 16 * 2 ** 20;
let allChars = 0;

/** One session's recently read lists, by absolute URL. */
export class ReadCache {
  readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly maxChars: number;
  private readonly now: () => number;
  private readonly entries = new Map<string, Entry>();
  private chars = 0;
  private sweep?: NodeJS.Timeout;

  constructor(o: ReadCacheOptions = {}) {
    this.ttlMs = Math.max(0, o.ttlMs ?? DEFAULT_LIST_CACHE_MS);
    this.maxEntries = o.maxEntries ?? 200;
    this.maxChars = o.maxChars ?? 2 * 2 ** 20;
    this.now = o.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The answer kept for `href`, when `owner` read it in its current generation within the TTL. */
  get(owner: object, generation: number, href: string): RawAnswer | undefined {
    const e = this.entries.get(href);
    if (!e) return undefined;
    if (e.owner === owner && e.generation === generation && e.expires > this.now()) return e.answer;
    // Expired, or older than the owner's last write: never good again.
    if (e.owner === owner) this.delete(href, e);
    return undefined;
  }

  set(owner: object, generation: number, href: string, answer: RawAnswer): void {
    if (this.ttlMs <= 0 || answer.text.length > this.maxChars) return;
    const old = this.entries.get(href);
    if (old) this.delete(href, old);
    // Every session's cache together stays under PROCESS_MAX_CHARS (a server with a thousand sessions holds
    // at most that much, not a thousand caches' worth): this session gives up its oldest first, and an
    // answer that still does not fit is not kept.
    for (const [k, e] of this.entries) {
      if (allChars + answer.text.length <= PROCESS_MAX_CHARS) break;
      this.delete(k, e);
    }
    if (allChars + answer.text.length > PROCESS_MAX_CHARS) return;
    this.entries.set(href, { owner, generation, answer, expires: this.now() + this.ttlMs });
    this.chars += answer.text.length;
    allChars += answer.text.length;
    for (const [k, e] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.chars <= this.maxChars) break;
      this.delete(k, e);
    }
    this.scheduleSweep();
  }

  clear(): void {
    allChars -= this.chars;
    this.entries.clear();
    this.chars = 0;
  }

  private delete(href: string, e: Entry): void {
    this.entries.delete(href);
    this.chars -= e.answer.text.length;
    allChars -= e.answer.text.length;
  }

  /** Expired answers go even when the session makes no further call (an idle session holds nothing). */
  private scheduleSweep(): void {
    if (this.sweep) return;
    this.sweep = setTimeout(() => {
      this.sweep = undefined;
      const now = this.now();
      // Insertion order is expiry order: every entry lives ttlMs.
      for (const [k, e] of this.entries) {
        if (e.expires > now) break;
        this.delete(k, e);
      }
      if (this.entries.size) this.scheduleSweep();
    }, this.ttlMs + 1);
    this.sweep.unref?.();
  }
}

/** One tool call's view of its session's cache: the lists it has read so far. */
interface CallScope {
  cache: ReadCache;
  read: Set<string>;
}

const scope = new AsyncLocalStorage<CallScope>();

/**
 * Runs `fn` (one tool call) with `cache` as its session's list cache: its list reads may be answered by what
 * earlier calls of the session read. A list it reads a second time goes to the network: a call that reads a
 * list again wants it fresh (a name not found in a list is looked for in a new read before "no such name").
 */
export function withReadCache<T>(cache: ReadCache, fn: () => Promise<T>): Promise<T> {
  return scope.run({ cache, read: new Set() }, fn);
}

/** Whether this call has a session's list cache to fill (an MCP tool call): a list read whole is worth keeping. */
export function inReadCache(): boolean {
  return (scope.getStore()?.cache.ttlMs ?? 0) > 0;
}

interface Flight {
  generation: number;
  /** Callers waiting for it; the request is aborted when the last one leaves. */
  joiners: number;
  /** Absent when a caller without a signal waits for it: then it runs to its end. */
  controller?: AbortController;
  promise: Promise<RawAnswer>;
}

/** One client's GETs in flight and its write generation. */
export class SharedReads {
  private generation = 0;
  private readonly flights = new Map<string, Flight>();

  constructor(
    private readonly stats: ReadStats,
    private readonly basePath: string,
  ) {}

  /**
   * A write is being sent, or has ended (either way): every list cached for this client, and every GET
   * in flight, may predate it.
   */
  wrote(): void {
    this.generation++;
  }

  /**
   * A GET's answer: from the session's cache (lists only), by joining an identical GET in flight, or by
   * `send` (given the signal of the shared request, which aborts when every caller has left).
   */
  async get(url: URL, signal: AbortSignal | undefined, send: (signal?: AbortSignal) => Promise<RawAnswer>): Promise<RawAnswer> {
    signal?.throwIfAborted();
    const inScope = scope.getStore();
    const call = inScope && isCachedList(url, this.basePath) ? inScope : undefined;
    const cache = call && call.cache.ttlMs > 0 ? call.cache : undefined;
    if (cache) {
      const again = call!.read.has(url.href);
      call!.read.add(url.href);
      const hit = again ? undefined : cache.get(this, this.generation, url.href);
      if (hit) {
        this.stats.cacheHits++;
        return hit;
      }
      this.stats.cacheMisses++;
    }
    const current = this.flights.get(url.href);
    const joins = current && current.generation === this.generation && !current.controller?.signal.aborted;
    if (joins) this.stats.sharedInFlight++;
    const fresh = joins ? undefined : this.open(url.href, !!signal);
    const flight = joins ? current : fresh!.flight;
    // The caller waits (and hears its signal) before the request goes out: an abort while it is sent stops it.
    const waiting = this.join(url.href, flight, signal);
    fresh?.start(send);
    const answer = await waiting;
    // A list read while a write was sent is not kept: it may show the account before the write.
    if (cache && answer.status < 300 && flight.generation === this.generation) cache.set(this, flight.generation, url.href, answer);
    return answer;
  }

  /**
   * A new request for `href` in this generation, in the table at once; `start` sends it. Abortable only when
   * its first caller can abort (has a signal): a caller without one never leaves, so it would never abort.
   */
  private open(href: string, abortable: boolean): { flight: Flight; start(send: (signal?: AbortSignal) => Promise<RawAnswer>): void } {
    let resolve!: (a: RawAnswer) => void;
    let reject!: (err: unknown) => void;
    const promise = new Promise<RawAnswer>((res, rej) => ((resolve = res), (reject = rej)));
    const flight: Flight = { generation: this.generation, joiners: 0, controller: abortable ? new AbortController() : undefined, promise };
    this.flights.set(href, flight);
    const done = () => {
      if (this.flights.get(href) === flight) this.flights.delete(href);
    };
    // Nobody may be left to see a rejection (every caller aborted): it must not go unhandled.
    promise.then(done, done);
    return { flight, start: (send) => void send(flight.controller?.signal).then(resolve, reject) };
  }

  /** Waits for the flight; a caller whose signal aborts leaves at once with its reason. */
  private join(href: string, flight: Flight, signal: AbortSignal | undefined): Promise<RawAnswer> {
    flight.joiners++;
    if (!signal) return flight.promise;
    return new Promise<RawAnswer>((resolve, reject) => {
      const onAbort = () => {
        this.leave(href, flight, signal.reason);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        (a) => {
          signal.removeEventListener('abort', onAbort);
          resolve(a);
        },
        (err: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(err);
        },
      );
    });
  }

  private leave(href: string, flight: Flight, reason: unknown): void {
    if (--flight.joiners > 0) return;
    // Nobody waits for it any more: no new caller may join it, and the request stops.
    if (this.flights.get(href) === flight) this.flights.delete(href);
    flight.controller?.abort(reason);
  }
}
