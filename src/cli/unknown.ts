// An unknown command gets more than "unknown command 'x'": the commands there are at that level, the
// command lines that have x as their verb ("retry" → errors retry, jobs retry), and where the help is,
// each carrying --demo and --profile as the command line did.
import { commandPrefix } from '../operations/next.js';
import { NOUN_INDEX, loadNouns } from './commands/index.js';
import type { CliIO } from './io.js';

/** --demo and --profile as a command line gave them (commander stopped before it read them all). */
function accountFlags(args: readonly string[]): { demo?: boolean; profile?: string } {
  const end = args.indexOf('--');
  const head = end < 0 ? args : args.slice(0, end);
  const p = head.findIndex((a) => a === '--profile');
  const eq = head.find((a) => a.startsWith('--profile='));
  const profile = p >= 0 ? head[p + 1] : eq?.slice('--profile='.length);
  return { ...(head.includes('--demo') ? { demo: true } : {}), ...(profile ? { profile } : {}) };
}

/** The lines to add after commander's "unknown command" for this command line; `noun` is the noun it named. */
export async function unknownCommandHelp(message: string, args: readonly string[], noun: string | undefined): Promise<string[]> {
  const word = /unknown command '([^']*)'/.exec(message)?.[1];
  const prefix = commandPrefix(accountFlags(args));
  if (noun) {
    const [loaded] = await loadNouns([noun]);
    const verbs = (loaded?.verbs ?? []).map((v) => v.name);
    return [`Commands of ${noun}: ${verbs.join(', ')} (${noun}: ${loaded?.summary ?? ''}).`, `See: ${prefix} ${noun} --help`];
  }
  const lines: string[] = [];
  if (word) {
    const withVerb = (await loadNouns()).filter((n) => n.verbs?.some((v) => v.name === word)).map((n) => `${prefix} ${n.name} ${word}`);
    if (withVerb.length) lines.push(`Did you mean: ${withVerb.join(', ')}?`);
  }
  lines.push(`Commands: ${NOUN_INDEX.map((n) => n.name).join(', ')}.`, `See: ${prefix} --help`);
  return lines;
}

/** Writes those lines on stderr (nothing in --json mode: the error there is one JSON object). */
export async function explainUnknownCommand(io: CliIO, message: string, args: readonly string[], noun: string | undefined, json: boolean): Promise<void> {
  if (json) return;
  for (const line of await unknownCommandHelp(message, args, noun)) io.stderr.write(`${line}\n`);
}
