// The global flags, defined once: the commander program, the argv pre-scan that finds the noun, shell
// completion and the `mcp` fast path all read this table.

export interface GlobalOptions {
  demo?: boolean;
  profile?: string;
  readOnly?: boolean;
  /** true for all fields, or a comma-separated field list. */
  json?: boolean | string;
  yes?: boolean;
  color?: boolean;
  record?: string;
}

export interface GlobalFlag {
  /** Commander flags, e.g. "--profile <name>". */
  flags: string;
  /** The key commander gives it (camelCased; `--no-color` gives `color`). */
  key: keyof GlobalOptions;
  description: string;
  /** Shorter text for shell completion. */
  short: string;
  /** Takes a value in the next argument (`--profile prod`), as opposed to none or an optional one. */
  value?: 'required' | 'optional';
  /** Also accepted by `celigo-manage mcp` (its fast path parses these without commander). */
  mcp?: boolean;
}

export const GLOBAL_FLAGS: readonly GlobalFlag[] = [
  { flags: '--demo', key: 'demo', description: 'Use the embedded demo account (an in-process emulator; no token needed)', short: 'Use the embedded demo account', mcp: true },
  { flags: '--profile <name>', key: 'profile', description: 'Use this profile (default: $CELIGO_MANAGE_PROFILE or the current one)', short: 'Use this profile', value: 'required', mcp: true },
  { flags: '--read-only', key: 'readOnly', description: 'Block every change (also CELIGO_MANAGE_READ_ONLY=1)', short: 'Block every change', mcp: true },
  { flags: '--json [fields]', key: 'json', description: 'Print JSON; with a comma-separated list, exactly those fields', short: 'Print JSON (optionally: comma-separated fields)', value: 'optional' },
  { flags: '-y, --yes', key: 'yes', description: 'Answer yes to confirmations (needed for changes when not on a terminal)', short: 'Answer yes to confirmations' },
  { flags: '--record <file>', key: 'record', description: 'Write every API request and answer to FILE, values redacted (to report an API difference)', short: 'Write the API exchanges, redacted, to a file', value: 'required', mcp: true },
  { flags: '--no-color', key: 'color', description: 'No colour (also NO_COLOR=1)', short: 'No colour' },
];

/** The long flag of a definition: "--profile" of "--profile <name>". */
export function longFlag(f: GlobalFlag): string {
  return f.flags.split(/[ ,]+/).find((x) => x.startsWith('--'))!;
}

/** Long flags that take the next argument as their value (for scanning argv before commander). */
export const VALUE_FLAGS: readonly string[] = GLOBAL_FLAGS.filter((f) => f.value === 'required').map(longFlag);
