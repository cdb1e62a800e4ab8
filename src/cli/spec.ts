// The command table is data: one NounSpec per file in commands/. main.ts turns it into commander
// commands, help, and shell completion; handlers import ops lazily so start-up stays fast.
import type { OpContext } from '../ops/context.js';
import type { CliIO } from './io.js';
import type { Output } from './output.js';
import type { GlobalOptions } from './globals.js';

export type { GlobalOptions };

export interface OptionSpec {
  /** Commander flags, e.g. "--limit <n>", "--wait", "--no-test". */
  flags: string;
  description: string;
  default?: string | boolean;
  choices?: readonly string[];
  /** Parse the value as an integer (validated, UsageError on bad input). */
  int?: boolean;
  /** May be given several times; values are collected into an array. */
  repeat?: boolean;
}


export interface RunContext {
  /** Positional arguments in the order of the spec's `args` (variadic ones as arrays). */
  args: (string | string[] | undefined)[];
  /** Command options (camelCased by commander). */
  opts: Record<string, unknown>;
  global: GlobalOptions;
  io: CliIO;
  out: Output;
  signal: AbortSignal;
  /** Opens the session (demo emulator or profile) on first use and returns the op context. */
  ctx(): Promise<OpContext>;
  /** Local store (profiles, backups) for this run; the demo account has its own. */
  home(): string;
  /** Every noun of the command table, loaded (for completion scripts). */
  nouns(): Promise<LoadedNoun[]>;
}

/** A handler returns its exit code (default 0), e.g. 8 when a run is still pending. */
export type Handler = (rc: RunContext) => Promise<number | void>;

export interface CommandSpec {
  /** Verb (or the command name for a noun without verbs). */
  name: string;
  summary: string;
  /** Commander argument syntax: "<flow>", "[range]", "[fields...]". */
  args?: string[];
  /** Help text for each argument, by name (without brackets). */
  argHelp?: Record<string, string>;
  options?: OptionSpec[];
  /** Full command lines (without the program name), shown under "Examples:". */
  examples: string[];
  /** Changes something in the account (help marks it; read-only mode blocks it). */
  mutating?: boolean;
  /** Serves until Ctrl-C (mcp, emulator): no spinner, and Ctrl-C is a clean stop (exit 0). */
  server?: boolean;
  /** Longer description below the summary in --help. */
  details?: string;
  run: Handler;
}

export interface NounSpec {
  name: string;
  /** Verbs; absent for single commands such as `health` or `api`. */
  verbs?: CommandSpec[];
  command?: CommandSpec;
}

/**
 * One line of the command index (commands/index.ts): enough for the top-level help and suggestions.
 * Only the noun a command line names is loaded, so start-up reads one noun file, not all of them.
 */
export interface NounEntry {
  name: string;
  summary: string;
  load(): Promise<NounSpec>;
}

/** A loaded noun with its summary from the index. */
export type LoadedNoun = NounSpec & { summary: string };

export function opt(flags: string, description: string, extra: Omit<OptionSpec, 'flags' | 'description'> = {}): OptionSpec {
  return { flags, description, ...extra };
}

export const LIMIT = opt('--limit <n>', 'Show at most N rows (default: 50 on a terminal, all when piped or with --json)', { int: true });

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
