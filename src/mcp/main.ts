// `celigo-manage mcp`: pick the tools, open the session, serve stdio or Streamable HTTP.
// Start-up stays cheap: no network here, and the emulator (--demo), the HTTP modules (--http) and the
// conformance fixtures are imported only when asked for. Logs go to stderr; stdout is the protocol's.
import type { McpServer } from '@modelcontextprotocol/server';
import type { Account } from '../app/accounts.js';
import type { HttpHandle, HttpServeOptions } from './http.js';
import type { OAuthConfig } from './oauth-config.js';
import type { PromptDef } from '../operations/prompts.js';
import type { ToolDef } from '../operations/tool.js';
import { mergeSelection, selectTools, selectionFromEnv, withheldReason } from '../operations/select.js';
import { createServerFactory, type FixtureInstaller, type ServerFactoryOptions } from './server.js';
import { useConfirmKey } from './confirm.js';
import type { BackupStore } from '../store/types.js';
import { envFlag, listCacheMsFromEnv } from '../config/env-flags.js';
import { UsageError } from '../core/errors.js';

export interface RunMcpOptions {
  http?: boolean;
  port?: number;
  host?: string;
  demo?: boolean;
  profile?: string;
  readOnly?: boolean;
  /** Write every API exchange, redacted, to this file (--record). */
  record?: string;
  toolsets?: string[];
  tools?: string[];
  excludeTools?: string[];
  /** Conformance fixtures (test-only); also CELIGO_MANAGE_CONFORMANCE=1. */
  fixtures?: boolean;
  /** Test hooks for the HTTP server: sessions, and how failed bearer attempts are slowed. */
  httpTuning?: Pick<HttpServeOptions, 'authThrottle' | 'maxSessions' | 'sessionIdleMs'>;
  /** Aborting it stops the server. */
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export interface RunningMcp {
  close(): Promise<void>;
  /** The /mcp URL when serving HTTP. */
  url?: string;
  /** Resolves once the server has stopped (stdin closed, signal, or close()). */
  closed: Promise<void>;
}

export const DEFAULT_HTTP_PORT = 8765;
/**
 * Longest an API request of a tool call waits for its turn in the account's request budget, which every
 * session shares: under the 60 s MCP clients usually wait for an answer, so the model reads why.
 */
export const MCP_TURN_WAIT_MS = 45_000;


async function loadCatalogue(): Promise<{ tools: ToolDef[]; prompts: PromptDef[] }> {
  const mod = await import('../operations/catalogue.js');
  const p: unknown = (mod as { prompts?: unknown }).prompts;
  const prompts = (typeof p === 'function' ? (p as () => PromptDef[])() : (p ?? [])) as PromptDef[];
  return { tools: mod.catalogue(), prompts };
}

/** The session's other accounts; each one's token joins the redacted values as soon as it is opened. */
function accountsRedacted(session: { account(name: string): Promise<Account> }, secrets: string[]) {
  return async (name: string) => {
    const a = await session.account(name);
    for (const s of a.secrets) if (!secrets.includes(s)) secrets.push(s);
    return a;
  };
}

/**
 * OAuth mode's configuration when a CELIGO_MANAGE_OAUTH_* variable is set (checked: an error says what is
 * missing); its module is loaded only then.
 */
async function oauthConfigOf(env: NodeJS.ProcessEnv): Promise<OAuthConfig | undefined> {
  if (!Object.entries(env).some(([k, v]) => k.startsWith('CELIGO_MANAGE_OAUTH_') && v)) return undefined;
  return (await import('./oauth-config.js')).oauthConfigFromEnv(env);
}

/** The server factory: in OAuth mode, one whose instances serve what the person's token allows. */
async function serverFactory(o: ServerFactoryOptions, oauth: OAuthConfig | undefined): Promise<() => McpServer> {
  if (!oauth) return createServerFactory(o);
  return (await import('./scoped-tools.js')).scopedServerFactory(o, oauth.writeScope);
}

interface HttpFront {
  httpMod: typeof import('./http.js');
  factory: () => McpServer;
  host: string;
  port: number;
  bearerToken?: string;
  oauth?: OAuthConfig;
  label: string;
  env: NodeJS.ProcessEnv;
  tuning?: RunMcpOptions['httpTuning'];
  /** What /healthz adds (the rate gate: app/session.ts health). */
  health: () => object;
  log: (line: string) => void;
}

/** How long a SIGTERM waits for the HTTP calls in progress (CELIGO_MANAGE_HTTP_DRAIN_SECONDS, default 25; 0: none). */
export const DEFAULT_DRAIN_SECONDS = 25;
export function drainMsOf(env: NodeJS.ProcessEnv): number {
  const v = env.CELIGO_MANAGE_HTTP_DRAIN_SECONDS?.trim();
  if (!v) return DEFAULT_DRAIN_SECONDS * 1000;
  if (!/^\d{1,4}$/.test(v)) throw new UsageError(`CELIGO_MANAGE_HTTP_DRAIN_SECONDS must be a whole number of seconds from 0 to 9999 (got "${v}").`);
  return Number(v) * 1000;
}

/** Starts Streamable HTTP; in OAuth mode with its guard (jose loaded only then), whose issuer is read at once. */
async function serveHttp(o: HttpFront): Promise<HttpHandle> {
  const list = (v: string | undefined) => v?.split(',').map((s) => s.trim()).filter(Boolean);
  const guard = o.oauth ? (await import('./oauth.js')).createOAuthGuard(o.oauth, { log: o.log, resourceName: `celigo-manage (${o.label})` }) : undefined;
  const h = await o.httpMod.startHttp({
    factory: o.factory,
    host: o.host,
    port: o.port,
    bearerToken: o.bearerToken,
    oauth: guard,
    allowedHosts: list(o.env.CELIGO_MANAGE_HTTP_ALLOWED_HOSTS),
    allowedOrigins: list(o.env.CELIGO_MANAGE_HTTP_ALLOWED_ORIGINS),
    ...o.tuning,
    // The rate gate's mode (issue 18): 'degraded' while Redis does not answer and this replica keeps to its share.
    healthDetails: () => ({ ...o.health() }),
    log: o.log,
  });
  if (guard) {
    o.log(`OAuth: tokens of ${guard.config.issuer} for ${guard.config.audience}; metadata at ${guard.metadataUrl}`);
    void guard.warm();
  }
  return h;
}

/**
 * A team's store (CELIGO_MANAGE_DATABASE_URL): its tables are made ready and its shared confirmation key
 * taken before anything is served, so a replica that cannot reach the database does not start, and a
 * token minted by one replica is honoured by the others. Must run before the server factory is built.
 */
async function useSharedStore(session: { store?: BackupStore; close(): Promise<void> }, log: (line: string) => void): Promise<void> {
  try {
    await session.store!.ready();
    const key = await session.store!.confirmKey();
    if (key) useConfirmKey(key);
    log(`backups, change log and confirmation key: PostgreSQL at ${session.store!.where}`);
  } catch (err) {
    await session.close().catch(() => {});
    throw err;
  }
}

export async function runMcp(opts: RunMcpOptions = {}): Promise<RunningMcp> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? ((line: string) => void process.stderr.write(`celigo-manage mcp: ${line}\n`));
  const fixtures = opts.fixtures ?? (envFlag(env, 'CELIGO_MANAGE_CONFORMANCE') ?? false);
  const selection = mergeSelection(
    { toolsets: opts.toolsets, tools: opts.tools, excludeTools: opts.excludeTools, readOnly: opts.readOnly },
    selectionFromEnv(env),
  );

  // Configuration errors first, before anything is started.
  const host = opts.host ?? env.CELIGO_MANAGE_HTTP_HOST ?? '127.0.0.1';
  const bearerToken = env.CELIGO_MANAGE_HTTP_TOKEN || undefined;
  const listCacheMs = listCacheMsFromEnv(env);
  const httpMod = opts.http ? await import('./http.js') : undefined;
  const oauth = httpMod ? await oauthConfigOf(env) : undefined;
  httpMod?.checkHttpConfig(host, bearerToken, !!oauth);
  const drainMs = httpMod ? drainMsOf(env) : 0;

  // Independent imports load in parallel; the fixtures module only when asked for.
  const [catalogue, { openSession }, fixtureMod] = await Promise.all([
    loadCatalogue(),
    import('../app/session.js'),
    fixtures ? import('./fixtures/index.js') : undefined,
  ]);
  const tools = selectTools(catalogue.tools, selection);
  const installFixtures: FixtureInstaller | undefined = fixtureMod?.installConformanceFixtures;

  const session = await openSession({ demo: opts.demo, profile: opts.profile, readOnly: selection.readOnly, env, record: opts.record, maxWaitMs: MCP_TURN_WAIT_MS, log });
  if (session.store) await useSharedStore(session, log);
  const secrets = [...session.secrets, ...(bearerToken ? [bearerToken] : [])];
  const factory = await serverFactory({
    api: session.api,
    accounts: accountsRedacted(session, secrets),
    tools,
    prompts: catalogue.prompts,
    fixtures: installFixtures,
    secrets,
    log,
    home: session.home,
    store: session.store,
    env,
    production: session.production,
    // Read at the first tool call, not at start-up (see session.ts lazyTimeZone).
    timeZone: () => session.timeZone,
    label: session.label,
    known: catalogue.tools.map((t) => t.name),
    withheldReason: (name) => withheldReason(catalogue.tools.find((t) => t.name === name)!, selection),
    listCacheMs,
  }, oauth);

  let stopTransport: (drainMs?: number) => Promise<void> = async () => {};
  let hurry = () => {};
  let url: string | undefined;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));
  let closing: Promise<void> | undefined;
  // SIGTERM (a service manager, a rolling upgrade) lets the HTTP calls in progress finish first; Ctrl-C, a
  // second signal or the caller's abort stops at once.
  const onSignal = () => (closing ? hurry() : void close());
  const onTerm = () => (closing ? hurry() : void close(drainMs));
  const close = (drain = 0): Promise<void> => {
    closing ??= (async () => {
      process.off('SIGINT', onSignal);
      opts.signal?.removeEventListener('abort', onSignal);
      await stopTransport(drain).catch((err: Error) => log(`closing: ${err.message}`));
      process.off('SIGTERM', onTerm);
      await session.close().catch((err: Error) => log(`closing session: ${err.message}`));
      resolveClosed();
    })();
    return closing;
  };

  try {
    const what = `${tools.length} tools${fixtures ? ' + conformance fixtures' : ''}, account ${session.label}${selection.readOnly ? ', read-only' : ''}${oauth ? ', OAuth sign-in' : ''}`;
    if (httpMod) {
      const port = opts.port ?? DEFAULT_HTTP_PORT;
      const h = await serveHttp({ httpMod, factory, host, port, bearerToken, oauth, label: session.label, env, tuning: opts.httpTuning, health: () => session.health(), log });
      stopTransport = h.close;
      hurry = h.hurry;
      url = h.url;
      log(`serving ${what} on ${h.url}`);
    } else {
      const { startStdio } = await import('./stdio.js');
      const h = await startStdio(factory, { log });
      stopTransport = h.close;
      void h.closed.then(() => close());
      log(`serving ${what} on stdio`);
    }
  } catch (err) {
    await session.close().catch(() => {});
    throw err;
  }

  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onTerm);
  if (opts.signal?.aborted) void close();
  else opts.signal?.addEventListener('abort', onSignal, { once: true });
  return { close, url, closed };
}
