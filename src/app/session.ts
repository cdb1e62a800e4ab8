// The one session layer, and the composition root of both front ends: it resolves the profile once (or
// starts the embedded demo account for --demo), and hands the MCP server and the CLI everything they need
// about the account: the API client, the secrets to redact, read-only, production, the local home and
// a label. Only this layer knows about the emulator; config and the front ends do not import it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CeligoClient } from '../core/client.js';
import type { HttpOptions } from '../core/http.js';
import { manageHome } from '../config/home.js';
import { readOnlyFromEnv, timeZoneOf } from '../config/env-flags.js';
import { resolveProfile } from '../config/profiles.js';
import { accountsOf, type Account } from './accounts.js';
import { openRateGates, rateHealth, type RateGates, type RateGatesOptions } from './rate-gates.js';
import type { RateGateStatus } from '../core/rate-gate.js';
import { databaseSecrets, databaseUrlOf, storeFromEnv, type BackupStore } from '../store/index.js';
import type { StoreHealth } from '../store/types.js';

export interface SessionOptions {
  demo?: boolean;
  profile?: string;
  /** Block every change; default: CELIGO_MANAGE_READ_ONLY. */
  readOnly?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Emulator options for --demo (tests use a manual clock or a seed). */
  emulator?: Record<string, unknown>;
  /** Write every API exchange of the session, redacted, to this file (core/recording.ts). */
  record?: string;
  /**
   * Longest a request waits for its turn in the account's request budget (HttpOptions.maxWaitMs); the MCP
   * server sets it under the time its clients wait for an answer.
   */
  maxWaitMs?: number;
  /** Where the rate gate says it switched between Redis and its fallback, and the shared store reports a dropped connection (the MCP server: stderr). */
  log?: (line: string) => void;
  /** Timeouts of the rate gate's Redis connection (tests). */
  rateGates?: RateGatesOptions['redis'];
}

/** What the session's dependencies look like, for /healthz: degraded (still serving) and why, and the rate gate. */
export interface SessionHealth {
  status?: 'degraded';
  reason?: string;
  rate: RateGateStatus;
  /** The team store (PostgreSQL), when there is one: down, backups and changes fail until it answers again. */
  store?: StoreHealth;
}

/** The rate gate's health with the store's: degraded when either is, with both reasons. */
function withStore(h: SessionHealth, store: StoreHealth | undefined): SessionHealth {
  if (!store) return h;
  if (!store.down) return { ...h, store };
  const reason = `the database does not answer (${store.down}): changes cannot be backed up, so they are refused until it does`;
  return { ...h, status: 'degraded', reason: h.reason ? `${h.reason}; ${reason}` : reason, store };
}

export interface Session {
  api: CeligoClient;
  close(): Promise<void>;
  /** "demo" or the profile name. */
  label: string;
  production: boolean;
  readOnly: boolean;
  /** Values no output may show: the API token (the demo token too). */
  secrets: string[];
  /**
   * Local store (profiles, backups). The demo account's is a folder of its own that lives exactly as
   * long as the demo account (one command, or one MCP server): its backups never outlive the state
   * they were taken of.
   */
  home: string;
  /**
   * The shared store of backups, the change log and the confirmation key, when CELIGO_MANAGE_DATABASE_URL
   * is set (a team's servers; store/postgres.ts); absent, backups are files under `home`. The demo account
   * never has one: its backups live and end with it.
   */
  store?: BackupStore;
  /** Base URL of the in-process emulator in demo mode. */
  emulatorUrl?: string;
  /** The time zone time phrases are read in (TZ, the profile's, the system's). */
  timeZone: string;
  /** Another account by profile name (this one by its own label), opened once and closed with the session. */
  account(name: string): Promise<Account>;
  /** The account's rate gate and anything else /healthz should show (mcp/main.ts). */
  health(): SessionHealth;
}

export async function openSession(opts: SessionOptions = {}): Promise<Session> {
  const env = opts.env ?? process.env;
  const readOnly = opts.readOnly ?? readOnlyFromEnv(env);
  const home = manageHome(env);
  // The account's rate gate (issue 18): none unless CELIGO_MANAGE_RATE_PER_SECOND or CELIGO_MANAGE_REDIS_URL is set.
  const gates = await openRateGates(env, { log: opts.log, redis: opts.rateGates });
  const health = () => rateHealth(gates.status());
  try {
    return await openAccount(opts, env, readOnly, home, gates, health);
  } catch (err) {
    await gates.close();
    throw err;
  }
}

async function openAccount(opts: SessionOptions, env: NodeJS.ProcessEnv, readOnly: boolean, home: string, gates: RateGates, health: () => SessionHealth): Promise<Session> {
  if (opts.demo) {
    const { startEmulator, DEMO_TOKEN } = await import('../emulator/index.js');
    // No socket: the client calls the emulator in process (a one-shot command then pays for neither a
    // listening server nor HTTP parsing). Tests that need a real port pass emulator: { listen: true }.
    const emu = await startEmulator({ port: 0, seed: 'demo', quiet: true, listen: false, ...(opts.emulator ?? {}) });
    const rec = await recorder(opts.record, emu.baseUrl, DEMO_TOKEN).catch(async (err: unknown) => {
      await emu.close();
      throw err;
    });
    const rateGate = gates.for(emu.baseUrl, DEMO_TOKEN);
    const api = new CeligoClient({ baseUrl: emu.baseUrl, token: DEMO_TOKEN, readOnly, fetch: emu.fetch, onExchange: rec?.onExchange, maxWaitMs: opts.maxWaitMs, rateGate });
    const demoHome = await mkdtemp(join(tmpdir(), 'celigo-manage-demo-'));
    const others = accountsOf({ self: { api, label: 'demo', production: false, secrets: [DEMO_TOKEN] }, demo: { emulator: opts.emulator ?? {}, readOnly, maxWaitMs: opts.maxWaitMs }, env, readOnly, rateGate: gates.for });
    const demo = {
      api,
      account: others.account,
      close: async () => {
        rec?.close();
        await others.close();
        await emu.close();
        await gates.close();
        await rm(demoHome, { recursive: true, force: true });
      },
      health,
      label: 'demo',
      production: false,
      readOnly,
      secrets: [DEMO_TOKEN],
      home: demoHome,
      emulatorUrl: emu.baseUrl,
    };
    return withLazyTimeZone(demo, env);
  }
  const p = resolveProfile({ profile: opts.profile, env });
  const store = await storeFromEnv(env, opts.log);
  const rec = await recorder(opts.record, p.baseUrl, p.token).catch(async (err: unknown) => {
    await store?.close();
    throw err;
  });
  const rateGate = gates.for(p.baseUrl, p.token);
  const api = new CeligoClient({ baseUrl: p.baseUrl, token: p.token, readOnly, onExchange: rec?.onExchange, forms: p.forms, maxWaitMs: opts.maxWaitMs, rateGate });
  const others = accountsOf({ self: { api, label: p.name, production: p.production, secrets: [p.token] }, env, readOnly, maxWaitMs: opts.maxWaitMs, rateGate: gates.for });
  const close = async () => {
    rec?.close();
    await others.close();
    await gates.close();
    await store?.close();
  };
  // The database URL may carry a password: it joins the values no output may show.
  const secrets = [p.token, ...(store ? databaseSecrets(databaseUrlOf(env)!) : [])];
  const withDb = () => withStore(health(), store?.health?.());
  return withLazyTimeZone({ api, account: others.account, close, health: withDb, label: p.name, production: p.production, readOnly, secrets, home, ...(store ? { store } : {}) }, env, p.timeZone);
}

/**
 * The session's time zone, decided on first use: reading the system's zone loads ICU's zone data (about
 * 8 MB), which a server that has not yet read a time range should not pay (docs/benchmarks.md, RSS).
 */
function withLazyTimeZone<T extends object>(session: T, env: NodeJS.ProcessEnv, profileZone?: string): T & { readonly timeZone: string } {
  let zone: string | undefined;
  // A getter on the object itself: spreading one would read it at once.
  return Object.defineProperty(session, 'timeZone', { enumerable: true, get: () => (zone ??= timeZoneOf(env, profileZone)) }) as T & { readonly timeZone: string };
}

/** The recorder for --record, loaded only when one is asked for. */
async function recorder(file: string | undefined, baseUrl: string, token: string): Promise<{ onExchange: NonNullable<HttpOptions['onExchange']>; close(): void } | undefined> {
  if (!file) return undefined;
  const [{ Recorder }, { UsageError }] = await Promise.all([import('../core/recording.js'), import('../core/errors.js')]);
  try {
    return new Recorder({ file, baseUrl, secrets: [token] });
  } catch (err) {
    throw new UsageError(`Cannot write the recording to ${file}: ${(err as Error).message.replace(/^\w+: /, '')}`);
  }
}
