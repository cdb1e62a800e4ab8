// One declaration per operation: its name, toolset, description, input (a zod shape, the only definition
// of it), the four MCP hints, how it runs, how its result reads to a model and to a person, its outcome
// and next steps. The MCP tool (src/mcp) and the CLI command (src/cli/derive.ts) are both derived from
// it; neither front end restates an input, a verdict or a hint. No MCP SDK and no terminal code here.
import type { z } from 'zod';
import type { OpContext } from '../ops/context.js';

export type Toolset = 'integrations' | 'flows' | 'connections' | 'jobs' | 'errors' | 'exports' | 'tags' | 'workflows' | 'backups' | 'manage';

/** `manage` (cancel, edit and delete resources, promote, job error files, lookup caches, the change log) is not served by default (select.ts). */
export const TOOLSETS: readonly Toolset[] = ['integrations', 'flows', 'connections', 'jobs', 'errors', 'exports', 'tags', 'workflows', 'backups', 'manage'];

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** What a model reads of a result. */
export interface ToolResult {
  /** Compact text for the model (a short table or compact JSON). */
  text: string;
  /** Machine-readable result; must match `output` when the operation declares one. */
  structured?: Record<string, unknown>;
  /** Set by the outcome (outcome.ts) unless a presenter has a reason of its own. */
  isError?: boolean;
  /** A self-contained HTML view of this result, served as the tool's MCP App (`app.uri`). */
  appHtml?: string;
}

/** An MCP App (a `ui://` HTML resource) that shows the tool's latest result to hosts that support it. */
export interface ToolApp {
  uri: `ui://${string}`;
  title: string;
}

export type { NextStep, Outcome } from '../ops/outcome.js';
import type { NextStep, Outcome } from '../ops/outcome.js';

/** The context an operation runs in: an op context, plus which operations the front end serves. */
export interface OperationContext extends OpContext {
  /** Whether the front end serves this operation (MCP: the selected tools; the CLI serves all). */
  serves?: (op: string) => boolean;
  /**
   * Whether the front end will show the operation's page (its MCP App, `health --html`); default true.
   * An operation skips the reads only its page needs when this is false.
   */
  pages?: boolean;
  /**
   * Which rows of a list the front end will show for these paging arguments (MCP: the page of the cursor,
   * at most its limit; the CLI: the first --limit rows); undefined: possibly all. A list whose rows cost a
   * request each (the open errors of list_integrations and list_flows) reads them for those rows only, and
   * list_jobs keeps only the rows up to the end of those.
   */
  rowsShown?: (page: { limit?: number; cursor?: string }) => { offset: number; count: number } | undefined;
}

export interface Colors {
  enabled: boolean;
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

/** What a terminal presenter may use (the CLI's Output provides it). */
export interface Terminal {
  readonly c: Colors;
  readonly width: number;
  readonly jsonMode: boolean;
  /** On a terminal (tables, colour), as opposed to a pipe (TSV). */
  readonly isTTY: boolean;
  /** A list: a table on a terminal, TSV in a pipe, JSON with --json. */
  list(rows: Record<string, unknown>[], o: { noun: string; fields: readonly string[]; columns?: readonly string[]; limit?: number; total?: number }): void;
  /** One object: JSON (optionally pinned to fields) or the human rendering. */
  object(value: Record<string, unknown>, o?: { human?: (c: Colors) => string; fields?: readonly string[] }): void;
  table(rows: Record<string, unknown>[], cols: readonly string[]): string;
  print(text: string): void;
  note(text: string): void;
  /** The fields --json may pick (unknown ones are an error listing these). */
  expectFields(valid: readonly string[]): void;
}

/** How one CLI flag differs from what the input schema gives by default. */
export interface CliFlag {
  /** Commander flags, e.g. "--tag <tag>" (default: --kebab-name, with <value> unless boolean). */
  flags?: string;
  description?: string;
  /** Not offered at the terminal (e.g. `cursor`, `fields`: --json and --limit do that there). */
  hidden?: boolean;
  /** For a boolean: a second flag that sets it false ("--disabled" for `enabled`). */
  negate?: string;
  /** For a list of objects: the flag may be repeated, each value one JSON object or a JSON list of them. */
  repeat?: boolean;
}

/** The command an operation is at a terminal: `celigo-manage <noun> <verb> [positionals] --flags`. */
export interface CliSurface<S extends z.ZodRawShape = z.ZodRawShape> {
  noun: string;
  /** Absent for a noun that is a single command (`health`, `troubleshoot`). */
  verb?: string;
  summary: string;
  /** Input fields taken as positional arguments, in order. */
  args?: (keyof S & string)[];
  flags?: { [K in keyof S]?: CliFlag };
  examples: string[];
  details?: string;
  /** Input fixed by this command: `flows enable` is update_flow with `enabled: true`. */
  fixed?: { [K in keyof S]?: z.infer<S[K]> };
  /**
   * Flags about presentation only (`health --html FILE`, `--fail-on`), given to forTerminal; never
   * input to the operation. Commander syntax, e.g. "--html <file>".
   */
  terminalFlags?: TerminalFlag[];
}

/** A flag only the terminal has (see CliSurface.terminalFlags). */
export interface TerminalFlag {
  flags: string;
  description: string;
  choices?: readonly string[];
  /** Asks for the operation's page. */
  page?: boolean;
  /** A whole number within these bounds, checked before the operation runs (issue 13 item 12). */
  number?: { min: number; max: number; unit?: string };
}

export interface Operation<S extends z.ZodRawShape = z.ZodRawShape, R = unknown> {
  /** The MCP tool name: snake_case, verb first, at most 40 characters. */
  name: string;
  toolset: Toolset;
  title: string;
  description: string;
  input: S;
  /** The command's input when it takes more than the tool (terminal-input.ts toolView); else `input`. */
  terminalInput?: z.ZodRawShape;
  output?: z.ZodRawShape;
  annotations: ToolAnnotations;
  app?: ToolApp;
  /** The terminal command(s): one, or several that fix some input (variants). */
  cli: CliSurface<S> | CliSurface<S>[];
  run(ctx: OperationContext, input: z.infer<z.ZodObject<S>>): Promise<R>;
  /** The model's view of the result. */
  forModel(result: R, input: z.infer<z.ZodObject<S>>): ToolResult;
  /**
   * The person's view; default: the result as an object (a key/value list, or JSON). `flags` holds the
   * surface's terminalFlags. May return an exit code, only to be stricter than the outcome's.
   */
  forTerminal?(result: R, t: Terminal, input: z.infer<z.ZodObject<S>>, flags: Record<string, unknown>): void | number | Promise<void | number>;
  /** How it ended; default: the result's own `outcome`, else ok. */
  outcome?(result: R): Outcome;
  /** What to do next; default: the result's own `next`, else none. */
  next?(result: R): NextStep[];
}

/** Keeps the literal input shape so `run` and the presenters are typed from the schema. */
export function defineOperation<S extends z.ZodRawShape, R>(op: Operation<S, R>): Operation<S, R> {
  return op;
}

/**
 * A declaration as an entry of the operation table. `defineOperation` checks every part against the
 * declaration's own input; TypeScript then measures Operation as invariant in that input (it both reads
 * `input` and takes `keyof` it in `cli`), so a typed declaration is not an `Operation` as a whole,
 * although it is one member by member, which is how this assignment is checked.
 */
export function entry<S extends z.ZodRawShape, R>(op: Operation<S, R>): Operation {
  const members: Pick<Operation, keyof Operation> = op;
  return members;
}

/** The command surfaces of an operation, as a list. */
export function surfacesOf(op: Operation): CliSurface[] {
  return Array.isArray(op.cli) ? op.cli : [op.cli];
}
