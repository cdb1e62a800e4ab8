// ToolDef (data) -> McpServer.registerTool: schemas, per-call ToolContext, result and error mapping.
import { z } from 'zod';
import {
  CLIENT_CAPABILITIES_META_KEY,
  PROTOCOL_VERSION_META_KEY,
  type CallToolResult,
  type ClientCapabilities,
  type InputRequiredResult,
  type McpServer,
  type ServerContext,
} from '@modelcontextprotocol/server';
import type { CeligoClient } from '../core/client.js';
import { CeligoApiError, ConflictError, UsageError } from '../core/errors.js';
import { inCallOrder } from '../core/rate-budget.js';
import { withReadCache, type ReadCache } from '../core/shared-reads.js';
import { boundMessage, describeForModel } from '../app/errors.js';
import { redact } from '../app/redact.js';
import { stripControls } from '../core/control-chars.js';
import { currentActor } from '../app/actor.js';

export { describeForModel, redact };
import { Cancelled, ConfirmationRequired, type OpContext, type Progress } from '../ops/context.js';
import type { ToolResult } from '../operations/types.js';
import type { ToolContext, ToolDef } from '../operations/tool.js';
import { withoutUnserved } from '../operations/served.js';
import { MODEL_FOLLOW_MS } from '../operations/wait.js';
import { keepAppPage } from './app-pages.js';
import { CONFIRM_TTL_SECONDS, ElicitationNeeded, confirmationInputRequired, makeConfirm } from './confirm.js';
import { decodeCursor, pageRows } from '../ops/project.js';

export interface RegisterDeps {
  api: CeligoClient;
  /** Values that must never reach a client (API token, HTTP bearer); replaced by "***". */
  secrets?: string[];
  log?: (line: string) => void;
  now?: () => Date;
  /** Local store for backups (see OpContext.home). */
  home?: string;
  /** The shared store of backups and the change log (OpContext.store); absent: files under `home`. */
  store?: OpContext['store'];
  /** The session targets a production profile (ops then confirm ordinary changes too). */
  production?: boolean;
  /** The time zone time phrases are read in. */
  /** The session's time zone, or how to read it on first use. */
  timeZone?: string | (() => string);
  /** Latest HTML of each tool's MCP App, by app uri (served by server.ts as a ui:// resource). */
  appHtml?: Map<string, string>;
  /** Whether a tool is served here (next steps name only those). */
  serves?: (tool: string) => boolean;
  /** Every tool of the catalogue: descriptions leave out sentences naming one that is not served. */
  known?: readonly string[];
  /** How long a call may follow a job before it answers pending (default MODEL_FOLLOW_MS; tests shorten it). */
  followForMs?: number;
  /** How ops that poll wait (tests advance the emulator's manual clock instead of sleeping). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The session's list cache (server.ts makes one per instance): every tool call of the session reads through it. */
  readCache?: ReadCache;
  /** Other accounts of the session by profile name (OpContext.accounts). */
  accounts?: OpContext['accounts'];
  /** The server's environment (OpContext.env): where a secret named by its variable is read. */
  env?: NodeJS.ProcessEnv;
}

const CONFIRM_ARG = 'confirm';
const confirmArg = z
  .string()
  .optional()
  .describe('Preview token');

const confirmationShape = {
  confirmation_required: z
    .object({
      action: z.string(),
      details: z.array(z.string()),
      token: z.string(),
      expires_in_seconds: z.number(),
    })
    .optional()
    .describe('Present when nothing was changed yet and the call must be repeated with `confirm`.'),
};

/** Tools that change things may ask for confirmation, so they take a `confirm` argument. */
function mayConfirm(def: ToolDef): boolean {
  return !def.annotations.readOnlyHint;
}

/** Which revision serves this request, and whether its client can answer a form elicitation. */
export function requestInfo(server: McpServer, ctx: ServerContext): { era: 'legacy' | 'modern'; canElicit: boolean; showsApps: boolean } {
  const envelope = (ctx.mcpReq.envelope ?? {}) as Record<string, unknown>;
  const modern =
    typeof envelope[PROTOCOL_VERSION_META_KEY] === 'string' ||
    /^2026-/.test(server.server.getNegotiatedProtocolVersion() ?? '');
  const caps = (modern ? envelope[CLIENT_CAPABILITIES_META_KEY] : server.server.getClientCapabilities()) as
    | ClientCapabilities
    | undefined;
  const e = caps?.elicitation as { form?: unknown; url?: unknown } | undefined;
  // An empty elicitation object means form support (the pre-mode rule).
  const canElicit = !!e && (e.form !== undefined || e.url === undefined);
  // A host that shows MCP Apps says so with the Apps extension; only then is a tool's page worth its reads.
  const showsApps = !!(caps as { extensions?: Record<string, unknown> } | undefined)?.extensions?.[MCP_APPS_EXTENSION];
  return { era: modern ? 'modern' : 'legacy', canElicit, showsApps };
}

/** The client capability extension of MCP Apps (ui:// resources shown by the host). */
export const MCP_APPS_EXTENSION = 'io.modelcontextprotocol/ui';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Arguments with lone UTF-16 surrogates (valid JSON: "\\ud800") get U+FFFD instead, so no handler meets a
 * string that encodeURIComponent or a UTF-8 encoder refuses.
 */
export function wellFormed<T>(value: T): T {
  if (typeof value === 'string') return value.replace(LONE_SURROGATE, '\ufffd') as T;
  if (Array.isArray(value)) return value.map((v) => wellFormed(v)) as T;
  const proto: unknown = value && typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (proto === Object.prototype || proto === null) {
    return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [wellFormed(k), wellFormed(v)])) as T;
  }
  return value;
}

function textResult(text: string, isError?: boolean, structured?: Record<string, unknown>): CallToolResult {
  // The net under every text a model reads (results, errors, confirmations): no ESC, C1 or bidi control.
  const r: CallToolResult = { content: [{ type: 'text', text: stripControls(text, { lines: true }) }] };
  if (structured) r.structuredContent = structured;
  if (isError) r.isError = true;
  return r;
}

export function toCallToolResult(r: ToolResult, secrets?: string[]): CallToolResult {
  return textResult(redact(r.text, secrets), r.isError, r.structured);
}

function confirmationResult(tool: string, err: ConfirmationRequired, hadToken: boolean): CallToolResult {
  const lines = [`Confirmation required; nothing has been changed yet. ${err.plan.action}`];
  for (const d of err.plan.details) lines.push(`- ${d}`);
  if (hadToken) lines.push('The confirm token given was expired, invalid, or for a different plan (the data may have changed since).');
  lines.push(
    `To proceed, call ${tool} again with the same arguments plus confirm: "${err.token}" (valid for ${CONFIRM_TTL_SECONDS / 60} minutes).`,
  );
  return textResult(lines.join('\n'), false, {
    confirmation_required: {
      action: err.plan.action,
      details: err.plan.details,
      token: err.token,
      expires_in_seconds: CONFIRM_TTL_SECONDS,
    },
  });
}

function progressReporter(ctx: ServerContext, log?: (l: string) => void): ToolContext['progress'] {
  const token = ctx.mcpReq._meta?.progressToken;
  if (token === undefined) return undefined;
  let last = -Infinity;
  return async (p: Progress) => {
    // The spec requires progress to increase with every notification.
    if (!(p.done > last) || ctx.mcpReq.signal.aborted) return;
    last = p.done;
    try {
      await ctx.mcpReq.notify({
        method: 'notifications/progress',
        params: {
          progressToken: token,
          progress: p.done,
          ...(p.total !== undefined ? { total: p.total } : {}),
          ...(p.message !== undefined ? { message: p.message } : {}),
        },
      });
    } catch (err) {
      log?.(`progress notification dropped: ${(err as Error).message}`);
    }
  };
}

/**
 * The input schema of a tool: unknown argument keys are an error that lists the valid ones (a misspelled
 * scope key must never be dropped silently, which would widen the action to everything).
 */
export function strictInput(shape: z.ZodRawShape): z.ZodObject {
  const valid = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `Unknown argument${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => JSON.stringify(k)).join(', ')}. Valid arguments: ${valid.join(', ') || '(none)'}.`
        : undefined,
  });
}

/**
 * The same zod schema, but its JSON Schema leaves out the `$schema` URL: 55 bytes per tool in every
 * tools/list, which models pay for in tokens and hosts do not need (the dialect is the spec's default).
 */
export function lean<T extends z.ZodType>(schema: T): T {
  const std = schema['~standard'] as unknown as Record<string, unknown> & {
    jsonSchema?: { input(o: unknown): Record<string, unknown>; output(o: unknown): Record<string, unknown> };
  };
  if (!std.jsonSchema) return schema;
  const js = std.jsonSchema;
  // `additionalProperties: false` is left out too: 29 bytes per tool, and the server refuses unknown keys
  // with a message that lists the valid ones (strictInput) whether or not the client read it.
  const trim = (j: Record<string, unknown>) => {
    const { $schema: _drop, additionalProperties: _strict, ...rest } = j;
    return tidy(rest) as Record<string, unknown>;
  };
  const wrapped = Object.create(schema) as T;
  Object.defineProperty(wrapped, '~standard', {
    value: { ...std, jsonSchema: { input: (o: unknown) => trim(js.input(o)), output: (o: unknown) => trim(js.output(o)) } },
  });
  return wrapped;
}

type Hints = ToolDef['annotations'];

/**
 * The hints as sent: only where they differ from the spec's defaults (read-only false, destructive true,
 * idempotent false, open world true), and destructive/idempotent not at all for a read-only tool (the
 * spec gives them meaning only when readOnlyHint is false). The same meaning in a fifth of the bytes,
 * which every tools/list pays; a tool with every default sends no annotations.
 */
export function wireAnnotations(a: Hints): Partial<Hints> {
  const out: Partial<Hints> = {};
  if (a.readOnlyHint) out.readOnlyHint = true;
  else {
    if (a.destructiveHint === false) out.destructiveHint = false;
    if (a.idempotentHint === true) out.idempotentHint = true;
  }
  if (a.openWorldHint === false) out.openWorldHint = false;
  return out;
}

/** The hints a client reads from the wire form, with the spec's defaults filled in. */
export function hintsWithDefaults(a: Partial<Hints> | undefined): Hints {
  const ro = a?.readOnlyHint ?? false;
  return { readOnlyHint: ro, destructiveHint: ro ? false : (a?.destructiveHint ?? true), idempotentHint: ro ? true : (a?.idempotentHint ?? false), openWorldHint: a?.openWorldHint ?? true };
}

const SAFE_INT = Number.MAX_SAFE_INTEGER;

/**
 * A JSON Schema without what says nothing: `propertyNames: {type: string}` (every JSON key is a string),
 * `additionalProperties: {}` (anything, the default), nested `additionalProperties: false` (zod strips
 * unknown nested keys rather than refusing them, so it was not true either) and the safe-integer bounds
 * zod gives every .int(). The same meaning in fewer bytes, in every tools/list.
 */
function tidy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(tidy);
  if (!v || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (k === 'propertyNames' && JSON.stringify(x) === '{"type":"string"}') continue;
    if (k === 'additionalProperties' && (x === false || JSON.stringify(x) === '{}')) continue;
    if ((k === 'minimum' && x === -SAFE_INT) || (k === 'maximum' && x === SAFE_INT)) continue;
    out[k] = tidy(x);
  }
  return out;
}

type Schemas = { inputSchema: z.ZodObject; outputSchema?: z.ZodType };
const schemaCache = new WeakMap<ToolDef, { withConfirm?: Schemas; without?: Schemas }>();

/**
 * A tool's wire schemas, built once per tool and shared by every server instance (every HTTP session
 * registers every tool): zod schemas are immutable, and building them per session cost memory.
 */
function schemasOf(def: ToolDef, needsArg: boolean): Schemas {
  const entry = schemaCache.get(def) ?? {};
  schemaCache.set(def, entry);
  const key = needsArg ? 'withConfirm' : 'without';
  const cached = entry[key];
  if (cached) return cached;
  const inputShape = needsArg ? { ...def.input, [CONFIRM_ARG]: confirmArg } : def.input;
  // A confirmation result carries no report, so mutating tools publish their report fields as optional.
  const outputSchema = def.output
    ? lean(mayConfirm(def) ? z.object(def.output).partial().extend(confirmationShape) : z.object(def.output))
    : undefined;
  return (entry[key] = { inputSchema: lean(strictInput(inputShape)), outputSchema });
}

/** Registers one catalogue tool on `server`. */
export function registerTool(server: McpServer, def: ToolDef, deps: RegisterDeps): void {
  const confirmable = mayConfirm(def);
  const declaresConfirm = CONFIRM_ARG in def.input;
  // Additive tools (create, run, tag) ask only on a production profile, so outside production they
  // need no `confirm` argument; elicitation still works for them. Destructive tools always have it.
  const needsArg = confirmable && !declaresConfirm && (def.annotations.destructiveHint || !!deps.production);
  const { inputSchema, outputSchema } = schemasOf(def, needsArg);

  server.registerTool(
    def.name,
    {
      // No display title on the wire: every tools/list pays for it and hosts fall back to the name.
      // (Titles stay in the catalogue for the CLI and the README.)
      description: deps.serves && deps.known ? withoutUnserved(def.description, deps.serves, deps.known) : def.description,
      inputSchema,
      ...(outputSchema ? { outputSchema } : {}),
      ...(Object.keys(wireAnnotations(def.annotations)).length ? { annotations: wireAnnotations(def.annotations) } : {}),
      ...(def.app ? { _meta: { ui: { resourceUri: def.app.uri } } } : {}),
    },
    async (args: Record<string, unknown>, ctx: ServerContext): Promise<CallToolResult | InputRequiredResult> => {
      const { [CONFIRM_ARG]: token, ...rest } = args;
      const handlerArgs = wellFormed(declaresConfirm ? args : rest);
      const { era, canElicit, showsApps } = requestInfo(server, ctx);
      const toolCtx: ToolContext = {
        api: deps.api,
        signal: ctx.mcpReq.signal,
        progress: progressReporter(ctx, deps.log),
        ...(confirmable
          ? { confirm: makeConfirm({ tool: def.name, token, ctx, era, canElicit, log: deps.log }) }
          : {}),
        ...(deps.now ? { now: deps.now } : {}),
        ...(deps.home ? { home: deps.home } : {}),
        ...(deps.store ? { store: deps.store } : {}),
        operation: def.name,
        ...(deps.production !== undefined ? { production: deps.production } : {}),
        ...(deps.accounts ? { accounts: deps.accounts } : {}),
        ...(deps.env ? { env: deps.env } : {}),
        // A secret read for a call joins the values no result or log may show.
        addSecret: (s: string) => {
          if (deps.secrets && s && !deps.secrets.includes(s)) deps.secrets.push(s);
        },
        ...(deps.timeZone ? { timeZone: typeof deps.timeZone === 'function' ? deps.timeZone() : deps.timeZone } : {}),
        ...(deps.serves ? { serves: deps.serves } : {}),
        // A call answers before the client's timeout: following a job stops at this deadline (pending).
        followUntil: (deps.now?.() ?? new Date()).getTime() + (deps.followForMs ?? MODEL_FOLLOW_MS),
        ...(deps.sleep ? { sleep: deps.sleep } : {}),
        // A tool's page (its MCP App) costs reads of its own (the health check's error-pattern chart: about
        // 3,000 requests on a large account): only for a host that shows Apps.
        ...(def.app ? { pages: showsApps } : {}),
        // A list result holds one page (operations/format.ts listResult): the rows of the cursor, at most its limit.
        rowsShown: (p: { limit?: number; cursor?: string }) => ({ offset: decodeCursor(p.cursor), count: pageRows(p.limit) }),
        // Who the call acts for (the HTTP layer's runAs; the local user on stdio): backups and the change log record it.
        actor: currentActor(),
      };
      try {
        // Every session shares the account's request budget; a call's requests take turns by its start.
        const run = () => inCallOrder(Date.now(), () => def.handler(handlerArgs as never, toolCtx));
        const r = await (deps.readCache ? withReadCache(deps.readCache, run) : run());
        if (def.app && r.appHtml && deps.appHtml) keepAppPage(deps.appHtml, def.app.uri, r.appHtml);
        return toCallToolResult(r, deps.secrets);
      } catch (err) {
        if (err instanceof ElicitationNeeded) return confirmationInputRequired(def.name, err.plan);
        if (err instanceof ConfirmationRequired) return confirmationResult(def.name, err, token !== undefined);
        const known =
          err instanceof CeligoApiError || err instanceof UsageError || err instanceof ConflictError || err instanceof Cancelled;
        if (!known) deps.log?.(`tool ${def.name} failed: ${redact(err instanceof Error ? (err.stack ?? err.message) : String(err), deps.secrets)}`);
        return textResult(boundMessage(redact(describeForModel(err), deps.secrets)), true);
      }
    },
  );
}

export function registerTools(server: McpServer, tools: readonly ToolDef[], deps: RegisterDeps): void {
  const served = new Set(tools.map((t) => t.name));
  for (const t of tools) registerTool(server, t, { serves: (name) => served.has(name), ...deps });
}

/**
 * Calls to catalogue tools this server does not serve (read-only mode, --toolsets, --exclude-tools) are
 * answered with why, as a tool error the model reads, instead of the SDK's bare "Tool x not found".
 * The SDK has no hook for unknown tools, so the stored tools/call handler is wrapped in place (the
 * protocol's handler map): wrapping it through setRequestHandler would run the SDK's own request-state and
 * input-required handling twice, which breaks multi-round confirmations of 2026-07-28. Without that map
 * (another SDK), the SDK's own answer stands.
 */
export function explainWithheld(server: McpServer, withheld: readonly string[], reason: (tool: string) => string): void {
  if (!withheld.length) return;
  type Handler = (request: { params?: { name?: unknown } }, ctx: unknown) => Promise<unknown>;
  const handlers = (server.server as unknown as { _requestHandlers?: Map<string, Handler> })._requestHandlers;
  const inner = handlers instanceof Map ? handlers.get('tools/call') : undefined;
  if (!handlers || !inner) return;
  const names = new Set(withheld);
  handlers.set('tools/call', async (request, ctx) => {
    const name = request?.params?.name;
    if (typeof name === 'string' && names.has(name)) return textResult(reason(name), true);
    return inner(request, ctx);
  });
}
