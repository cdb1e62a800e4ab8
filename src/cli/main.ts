// Entry point of the CLI. Kept light on purpose: `--version` answers from package.json alone, and
// everything else (commander, the command table, ops, emulator, MCP) is imported only when needed.
import { readFileSync } from 'node:fs';
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

export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export async function main(argv: string[], io?: Partial<CliIO>): Promise<number> {
  const out = io?.stdout ?? process.stdout;
  const err = io?.stderr ?? process.stderr;
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    out.write(packageVersion() + '\n');
    return 0;
  }
  const flag = tokenFlagIn(argv);
  if (flag) {
    const message =
      `Refusing ${flag}: a token on the command line ends up in shell history and process lists. ` +
      'Set CELIGO_API_TOKEN (or the variable named by your profile\'s tokenEnv) in the environment instead, or try --demo.';
    const json = argv.some((a) => a === '--json' || a.startsWith('--json='));
    err.write(json ? JSON.stringify({ error: { type: 'usage', message, exitCode: 1 } }) + '\n' : `Error: ${message}\n`);
    return 1;
  }
  const [{ run }, { resolveIO }] = await Promise.all([import('./program.js'), import('./io.js')]);
  return run(argv, resolveIO(io));
}
