// Entry point of the CLI. Kept light on purpose: `--version` answers from a generated constant, and
// everything else (commander, the command table, ops, emulator, MCP) is imported only when needed.
import { VERSION } from '../version.js';
import type { CliIO } from './io.js';

export type { CliIO } from './io.js';

/** Flags that would put a token on the command line (shell history, `ps`): always refused. */
const TOKEN_FLAG = /^--?(?:celigo[-_]?)?(?:api[-_]?|access[-_]?|bearer[-_]?|auth[-_]?)?(?:token|key|secret|apikey)(?:=.*)?$/i;

export function tokenFlagIn(argv: readonly string[]): string | undefined {
  for (const a of argv) {
    const m = TOKEN_FLAG.exec(a);
    if (m) return a.split('=')[0];
  }
  return undefined;
}

/** Options of `mcp` (and the global ones) that take a value, so that value is not a bare argument. */
const VALUE_FLAGS = new Set(['--profile', '--record', '--port', '--host', '--toolsets', '--tools', '--exclude-tools']);
/** Commands that read the API token but take no arguments (`celigo-manage mcp <token>` is a classic paste). */
const SERVER_COMMANDS = new Set(['mcp']);
/** Long runs of token characters with letters and digits: what an API token pasted on the command line looks like. */
const TOKEN_LIKE = /^(?=.*[0-9])(?=.*[A-Za-z])[A-Za-z0-9._~+/=-]{20,}$/;

/**
 * A bare argument where a token would be pasted: after `mcp` (which takes none), or in the
 * command position when it looks like a token. Returns what to say, without the argument itself.
 */
export function bareTokenIn(argv: readonly string[], nouns: readonly string[]): string | undefined {
  let command: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      if (command && SERVER_COMMANDS.has(command) && i + 1 < argv.length) return `${command} takes no arguments`;
      return undefined;
    }
    if (a.startsWith('-')) {
      if (VALUE_FLAGS.has(a)) i++;
      continue;
    }
    if (!command) {
      if (a === 'help') return undefined;
      if (!nouns.includes(a)) return TOKEN_LIKE.test(a) ? 'that is not a command' : undefined;
      command = a;
      if (!SERVER_COMMANDS.has(a)) return undefined;
      continue;
    }
    return `${command} takes no arguments`;
  }
  return undefined;
}

export function packageVersion(): string {
  return VERSION;
}

export async function main(argv: string[], io?: Partial<CliIO>): Promise<number> {
  const out = io?.stdout ?? process.stdout;
  const err = io?.stderr ?? process.stderr;
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    out.write(packageVersion() + '\n');
    return 0;
  }
  const refuse = (what: string): number => {
    const message =
      `${what} token on the command line ends up in shell history and process lists. ` +
      'Set CELIGO_API_TOKEN (or the variable named by your profile\'s tokenEnv) in the environment instead, or try --demo.';
    const json = argv.some((a) => a === '--json' || a.startsWith('--json='));
    err.write(json ? JSON.stringify({ error: { type: 'usage', message, exitCode: 1 } }) + '\n' : `Error: ${message}\n`);
    return 1;
  };
  const flag = tokenFlagIn(argv);
  if (flag) return refuse(`Refusing ${flag}: a`);
  if (argv[0] === 'mcp') {
    // A pasted token after `mcp` is refused by the full path below; the fast path takes flags only.
    const fast = await (await import('./mcp-fast.js')).runMcpFast(argv, io);
    if (fast !== undefined) return fast;
  }
  const [{ run }, { resolveIO }, { NOUN_INDEX }] = await Promise.all([import('./program.js'), import('./io.js'), import('./commands/index.js')]);
  const bare = bareTokenIn(argv, NOUN_INDEX.map((n) => n.name));
  if (bare) return refuse(`Refusing a bare argument (not shown): ${bare}. If it is a token, note that a`);
  return run(argv, resolveIO(io));
}
