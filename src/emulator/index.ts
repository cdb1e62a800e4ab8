// Public entry of the integrator.io emulator (design.md §5). Start it, point a client at `baseUrl`, use
// DEMO_TOKEN. Tests drive time with ManualClock and reach the state through `store`.
import { type Clock, ControlledClock, systemClock } from './clock.js';
import type { RuntimeConfig } from './config.js';
import type { RequestLogEntry } from './control.js';
import { renderCoverageMarkdown, routeCoverage } from './coverage.js';
import type { FaultConfig } from './faults.js';
import { DEFAULT_RATE_LIMIT, type RateLimitConfig } from './rate-limit.js';
import { MAX_LARGE_SCALE, SEED_NAMES, type SeedName, scaleProblem } from './seed/index.js';
import { EmulatorServer } from './server.js';
import type { Store } from './store.js';
import { DEMO_SCOPED_TOKEN, DEMO_TOKEN } from './tokens.js';

export { type Clock, ManualClock } from './clock.js';
export type { FaultConfig, NextFault } from './faults.js';
export type { RequestLogEntry } from './control.js';
export { arrivalStats, busiestWindow, type ArrivalStats } from './arrivals.js';
export type { Store } from './store.js';
export type { SeedName } from './seed/index.js';
export { DEMO_SCOPED_TOKEN, DEMO_TOKEN, DEMO_USER_ID, SCOPED_USER_ID } from './tokens.js';
export { renderCoverageMarkdown };

export interface EmulatorOptions {
  /** 0 = a random free port (default 0). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 'demo'. */
  seed?: SeedName;
  /**
   * Size factor of the `large` seed, 1 to 20 (default 1): N times its integrations, flows, jobs, errors
   * and connections. Any other seed takes only 1.
   */
  scale?: number;
  /** Days of run history of the `large` seed, 1 to 14 (default 1): more jobs on the same flows (8 fills the health check's baseline). */
  historyDays?: number;
  /** Injectable; default the real clock. */
  clock?: Clock;
  /** Leaky bucket; default {capacity: 1000, refillPerSec: 300}; false turns it off. */
  rateLimit?: RateLimitConfig | false;
  /** Default none. */
  faults?: FaultConfig;
  /** Default Link page size (1000). */
  pageSize?: number;
  /** Most rows per GET /jobs (1000). */
  jobsPageSize?: number;
  /** Errors per page before nextPageURL (1000). */
  errorsPageSize?: number;
  /** Default 204. */
  emptyListStatus?: 200 | 204;
  /** No logging to stderr. */
  quiet?: boolean;
  /**
   * false: open no socket; talk to it through `fetch` only (what `--demo` does). `url` is then
   * IN_PROCESS_ORIGIN, which no network request can reach.
   */
  listen?: boolean;
}

/** The origin of an emulator that does not listen (the `.invalid` TLD never resolves). */
export const IN_PROCESS_ORIGIN = 'http://demo.celigo-manage.invalid';

export interface RunningEmulator {
  /** e.g. http://127.0.0.1:43123 */
  url: string;
  /** url + '/v1' */
  baseUrl: string;
  port: number;
  /** Direct access for tests (replaced by reset()). */
  store: Store;
  clock: Clock;
  setFaults(f: FaultConfig): void;
  requestLog(): RequestLogEntry[];
  /** When each request of the log arrived, epoch ms on the real clock (whatever `clock` says); arrivals.ts. */
  requestArrivals(): number[];
  clearRequestLog(): void;
  /** No seed: the same seed and scale again; a seed without a scale: that seed at scale 1. */
  reset(seed?: SeedName, scale?: number): void;
  close(): Promise<void>;
  /**
   * A fetch-shaped function that reaches this emulator without a socket (works whether or not it
   * listens); it answers with status, headers and text, not a Response, so undici is never loaded.
   */
  fetch: EmulatorServer['fetch'];
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const clock = new ControlledClock(opts.clock ?? systemClock);
  const config: Partial<RuntimeConfig> = {};
  if (opts.pageSize !== undefined) config.pageSize = opts.pageSize;
  if (opts.jobsPageSize !== undefined) config.jobsPageSize = opts.jobsPageSize;
  if (opts.errorsPageSize !== undefined) config.errorsPageSize = opts.errorsPageSize;
  if (opts.emptyListStatus !== undefined) config.emptyListStatus = opts.emptyListStatus;
  const server = new EmulatorServer({
    host: opts.host ?? '127.0.0.1',
    port: opts.port ?? 0,
    seed: opts.seed ?? 'demo',
    scale: opts.scale,
    historyDays: opts.historyDays,
    clock,
    rateLimit: opts.rateLimit === undefined ? DEFAULT_RATE_LIMIT : opts.rateLimit,
    faults: opts.faults,
    config,
    quiet: opts.quiet ?? false,
  });
  let url = IN_PROCESS_ORIGIN;
  let port = 0;
  if (opts.listen !== false) {
    const addr = await server.listen();
    const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    url = `http://${host}:${addr.port}`;
    port = addr.port;
  } else {
    server.useOrigin(url);
  }
  return {
    url,
    baseUrl: `${url}/v1`,
    port,
    fetch: server.fetch,
    get store() {
      return server.store();
    },
    clock: opts.clock ?? clock,
    setFaults: (f) => server.setFaults(f),
    requestLog: () => server.requestLog(),
    requestArrivals: () => server.requestArrivals(),
    clearRequestLog: () => server.clearRequestLog(),
    reset: (seed, scale) => server.reset(seed, scale),
    close: () => server.close(),
  };
}

/** Every route of the table (implemented) plus the Appendix B endpoints it lacks (implemented: false). */
export function listRoutes(): { method: string; path: string; implemented: boolean; note?: string }[] {
  return routeCoverage();
}

export function parseRateLimit(s: string | undefined): RateLimitConfig | false | undefined {
  if (s === undefined || s === '') return undefined;
  if (/^(off|false|none|0)$/i.test(s)) return false;
  const m = /^(\d+)\s*[,:/]\s*(\d+(?:\.\d+)?)$/.exec(s.trim());
  if (!m) throw new Error(`--rate-limit must be "off" or "<capacity>,<refillPerSec>" (got "${s}")`);
  return { capacity: Number(m[1]), refillPerSec: Number(m[2]) };
}

/** `--seed` and `--scale` of the command line, checked; errors name the flag. */
export function parseSeed(seedArg: string | undefined, scaleArg: string | undefined): { seed: SeedName; scale: number } {
  const seed = (seedArg ?? 'demo') as SeedName;
  if (!SEED_NAMES.includes(seed)) {
    const hint = /^large\W\d+$/i.test(seedArg ?? '') ? `; for a bigger large seed give --seed large --scale ${/\d+$/.exec(seedArg!)![0]}` : '';
    throw new Error(`--seed must be one of ${SEED_NAMES.join(', ')} (got "${seedArg}")${hint}`);
  }
  if (scaleArg === undefined) return { seed, scale: 1 };
  const scale = /^\s*\d+\s*$/.test(scaleArg) ? Number(scaleArg) : NaN;
  if (!Number.isInteger(scale) || scale < 1 || scale > MAX_LARGE_SCALE) throw new Error(`--scale must be a whole number from 1 to ${MAX_LARGE_SCALE} (got "${scaleArg}")`);
  if (scaleProblem(seed, scale)) throw new Error(`--scale applies to --seed large only (got --seed ${seed})`);
  return { seed, scale };
}

/** For `celigo-manage emulator`: starts the emulator and prints one line (URL and demo token) to stderr. */
export async function runEmulatorCommand(args: { port?: number; host?: string; seed?: string; scale?: string; rateLimit?: string; faultRate?: number; latencyMs?: number }): Promise<RunningEmulator> {
  const { seed, scale } = parseSeed(args.seed, args.scale);
  const faults: FaultConfig = {};
  if (args.faultRate !== undefined) faults.errorRate = args.faultRate;
  if (args.latencyMs !== undefined) faults.latencyMs = args.latencyMs;
  const emu = await startEmulator({
    port: args.port ?? 0,
    host: args.host,
    seed,
    scale,
    rateLimit: parseRateLimit(args.rateLimit),
    faults,
  });
  process.stderr.write(`celigo emulator (${seed}${scale > 1 ? ` ×${scale}` : ''}) listening on ${emu.baseUrl}  token: ${DEMO_TOKEN}  (scoped: ${DEMO_SCOPED_TOKEN})\n`);
  return emu;
}

