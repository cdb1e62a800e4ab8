// Turns the command table (commands/*.ts) into a commander program, runs one command, and maps
// whatever happens to an exit code: 0 ok, 1 error, 2 cancelled, 4 auth, 8 still pending.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { CeligoApiError, MissingTokenError, ReadOnlyRefused } from '../core/errors.js';
import { readOnlyFromEnv } from '../config/env-flags.js';
import { Cancelled, type OpContext } from '../ops/context.js';
import type { CliIO } from './io.js';
import { Output, errorInfo, makeColors, colorEnabled } from './output.js';
import { createProgress } from './progress.js';
import { NOUN_INDEX, loadNouns } from './commands/index.js';
import { join } from 'node:path';
import { manageHome } from '../config/home.js';
import type { CommandSpec, LoadedNoun, NounEntry, OptionSpec, RunContext } from './spec.js';
import { GLOBAL_FLAGS, VALUE_FLAGS, type GlobalOptions } from './globals.js';
import { VERSION } from '../version.js';
import { commandPrefix } from '../operations/next.js';

export const EXIT = { ok: 0, error: 1, cancelled: 2, auth: 4, pending: 8 } as const;

export const EXIT_CODES_HELP = `Exit codes:
  0  ok
  1  error (bad input, API error, conflict, a change refused in read-only mode)
  2  cancelled (declined confirmation, no --yes without a terminal, Ctrl-C)
  4  authentication or permission (no API token, or HTTP 401/403: check the token)
  8  still pending (e.g. flows run --wait timed out while the job still runs)`;

const ENV_HELP = `Environment:
  CELIGO_API_TOKEN          API token (never pass a token as a flag)
  CELIGO_MANAGE_PROFILE     profile to use (see: profiles list)
  CELIGO_REGION, CELIGO_BASE_URL   override the profile's region or base URL
  CELIGO_MANAGE_HOME        where profiles and backups live (default ~/.celigo-manage)
  CELIGO_MANAGE_READ_ONLY   1 to block every change
  NO_COLOR                  no colour`;

const RECORD_HELP = `Reporting an API difference (record the failing command, check it, attach the file;
it keeps the shape of each request and answer, never values, ids or the token):
  $ celigo-manage --record run.jsonl health
  $ celigo-manage emulator --check-recording run.jsonl`;


/** After a change on the demo account, which lives only as long as the command (app/session.ts). */
const DEMO_NOTE =
  'The demo account starts afresh at every command: this change, and the backup taken before it, ended with the command. ' +
  'For a demo account that keeps changes: celigo-manage emulator (see the README).';

export function exitCodeFor(err: unknown, aborted = false): number {
  if (aborted || err instanceof Cancelled || (err instanceof Error && (err.name === 'AbortError' || err.name === 'Cancelled' || err.name === 'ConfirmationRequired'))) {
    return EXIT.cancelled;
  }
  if (err instanceof MissingTokenError || (err instanceof CeligoApiError && (err.status === 401 || err.status === 403))) return EXIT.auth;
  return EXIT.error;
}

function parseInteger(v: string): number {
  if (!/^-?\d+$/.test(v.trim())) throw new InvalidArgumentError('Not an integer.');
  return Number(v);
}

function buildOption(o: OptionSpec): Option {
  const opt = new Option(o.flags, o.description);
  if (o.choices) opt.choices(o.choices);
  if (o.int) opt.argParser(parseInteger);
  if (o.repeat) opt.argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]);
  if (o.default !== undefined) opt.default(o.default);
  return opt;
}

function examplesText(lines: string[]): string {
  return lines.length ? `\nExamples:\n${lines.map((l) => `  $ celigo-manage ${l}`).join('\n')}` : '';
}

function argName(a: string): string {
  return a.replace(/[<>[\].]/g, '');
}

/** `--json` right before a command name is the bare flag, not a field list (`--json flows list`). */
export function normaliseArgv(argv: string[], nouns: readonly { name: string }[]): string[] {
  const names = new Set(nouns.map((n) => n.name));
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--') {
      out.push(...argv.slice(i));
      break;
    }
    out.push(argv[i]);
    if (argv[i] === '--json' && i + 1 < argv.length && names.has(argv[i + 1])) out.push('--json=');
  }
  // "--json" followed by "--json=" collapses to one bare flag.
  return out.filter((a, i) => !(a === '--json' && out[i + 1] === '--json='));
}

interface Runner {
  code: number;
}

function addCommand(parent: Command, spec: CommandSpec, io: CliIO, runner: Runner, nounName?: string): Command {
  const cmd = parent.command(spec.name).summary(spec.summary).description(spec.summary + (spec.details ? `\n\n${spec.details}` : ''));
  for (const a of spec.args ?? []) cmd.argument(a, spec.argHelp?.[argName(a)] ?? '');
  for (const o of spec.options ?? []) cmd.addOption(buildOption(o));
  const full = nounName ? `${nounName} ${spec.name}` : spec.name;
  cmd.addHelpText(
    'after',
    `${examplesText(spec.examples)}\n\n${spec.mutating ? 'Changes the account (what it changes is backed up first); on a production profile it asks first, --yes skips that.\n' : ''}Exit codes: 0 ok, 1 error, 2 cancelled, 4 auth, 8 still pending (see: celigo-manage --help).`,
  );
  cmd.action(async () => {
    runner.code = await execute(spec, cmd, io, full);
  });
  return cmd;
}

/** The noun a command line names (`celigo-manage --demo flows list` → flows; `help flows` → flows). */
export function nounOf(argv: readonly string[], entries: readonly { name: string }[] = NOUN_INDEX): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') return undefined;
    if (VALUE_FLAGS.includes(a)) {
      i++;
      continue;
    }
    // `--json id,name flows list`: the field list is --json's value, not the command.
    if (a === '--json') {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('-') && !entries.some((e) => e.name === next)) i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    if (a === 'help') continue;
    return entries.some((e) => e.name === a) ? a : undefined;
  }
  return undefined;
}

/**
 * The commander program: every noun of the index is listed (help, suggestions), and the nouns in
 * `loaded` are registered with their verbs, options and handlers.
 */
export function buildProgram(io: CliIO, runner: Runner, loaded: readonly LoadedNoun[], entries: readonly NounEntry[] = NOUN_INDEX): Command {
  const program = new Command('celigo-manage');
  program
    .description('Operate a Celigo integrator.io account: integrations, flows, jobs, errors, connections, health.')
    .version(VERSION, '-V, --version', 'Print the version')
    .helpOption('-h, --help', 'Show help')
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      `\nExamples:\n  $ celigo-manage --demo flows list\n  $ celigo-manage --demo health\n  $ celigo-manage flows run "Shopify Customers to NetSuite" --wait\n  $ celigo-manage errors retry --flow "Shopify Customers to NetSuite" --yes\n  $ celigo-manage integrations list --json id,name\n\n${EXIT_CODES_HELP}\n\n${ENV_HELP}\n\n${RECORD_HELP}`,
    );
  for (const g of GLOBAL_FLAGS) program.option(g.flags, g.description);
  for (const entry of entries) {
    const noun = loaded.find((n) => n.name === entry.name);
    if (!noun) {
      program.command(entry.name).summary(entry.summary).description(entry.summary);
      continue;
    }
    if (noun.command) {
      addCommand(program, { ...noun.command, name: noun.name }, io, runner);
      continue;
    }
    const n = program.command(noun.name).description(noun.summary);
    n.addHelpText('after', examplesText((noun.verbs ?? []).map((v) => v.examples[0]).filter(Boolean)) + '\n\nExit codes: 0 ok, 1 error, 2 cancelled, 4 auth, 8 still pending (see: celigo-manage --help).');
    for (const v of noun.verbs ?? []) addCommand(n, v, io, runner, noun.name);
  }
  return program;
}

/** Help and parse errors go to our streams at the terminal's width; with --json, parse errors are JSON. */
function configureStreams(c: Command, io: CliIO, json: boolean, color = true): void {
  const red = color && colorEnabled(io, {}, 'stderr') ? makeColors(true).red : (s: string) => s;
  c.exitOverride();
  c.configureOutput({
    writeOut: (s) => io.stdout.write(s),
    writeErr: (s) => io.stderr.write(s),
    getOutHelpWidth: () => io.columns || 80,
    getErrHelpWidth: () => io.columns || 80,
    outputError: (s, write) =>
      write(json ? JSON.stringify({ error: { type: 'usage', message: s.replace(/^error: /, '').trim(), exitCode: EXIT.error } }) + '\n' : red(s)),
  });
  c.configureHelp({ showGlobalOptions: true, helpWidth: io.columns || 80 });
  if (c.commands.length) c.helpCommand('help [command]', 'Show help for a command');
  for (const sub of c.commands) configureStreams(sub, io, json, color);
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const runner: Runner = { code: 0 };
  const args = normaliseArgv(argv, NOUN_INDEX);
  const target = nounOf(args);
  const program = buildProgram(io, runner, target ? await loadNouns([target]) : []);
  configureStreams(program, io, argv.some((a) => a === '--json' || a.startsWith('--json=')), !argv.includes('--no-color'));
  try {
    await program.parseAsync(args, { from: 'user' });
    return runner.code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT.ok;
      if (err.code === 'commander.unknownCommand') {
        const { explainUnknownCommand } = await import('./unknown.js');
        await explainUnknownCommand(io, err.message, args, target, argv.some((a) => a === '--json' || a.startsWith('--json=')));
      }
      return err.exitCode === 0 ? EXIT.ok : EXIT.error;
    }
    // Errors inside actions are handled in execute(); anything here is a bug, still shown as one line.
    const out = new Output(io, {});
    out.error(err, EXIT.error);
    return EXIT.error;
  }
}

function globalsOf(cmd: Command): GlobalOptions {
  const all = cmd.optsWithGlobals() as Record<string, unknown>;
  const g: GlobalOptions = {};
  for (const { key } of GLOBAL_FLAGS) if (all[key] !== undefined) (g as Record<string, unknown>)[key] = all[key];
  if (g.json === '') g.json = true;
  return g;
}

async function execute(spec: CommandSpec, cmd: Command, io: CliIO, fullName: string): Promise<number> {
  const global = globalsOf(cmd);
  const out = new Output(io, global);
  out.lenientFields = !!spec.mutating;
  // Read-only is decided here, from the command's own declaration, before anything is read, planned,
  // confirmed or backed up: a change under read-only mode sends no request at all.
  if (spec.mutating && (global.readOnly || readOnlyFromEnv(io.env))) {
    out.error(new ReadOnlyRefused(fullName, !!global.readOnly), EXIT.error);
    return EXIT.error;
  }
  const ac = new AbortController();
  const onExternalAbort = () => ac.abort(io.signal?.reason ?? new Cancelled());
  if (io.signal) {
    if (io.signal.aborted) onExternalAbort();
    else io.signal.addEventListener('abort', onExternalAbort, { once: true });
  }
  const server = !!spec.server;
  let sigints = 0;
  const onSigint = () => {
    sigints++;
    if (sigints > 1 && !server) process.exit(EXIT.cancelled);
    if (!server) out.note('\nCancelling… (Ctrl-C again to quit at once)');
    ac.abort(new Cancelled('Cancelled (Ctrl-C). What was already done stays done; nothing further was changed.'));
  };
  if (!io.signal) process.on('SIGINT', onSigint);

  const progressOn = !server && !!(io.stderrIsTTY ?? io.isTTY);
  let progress = createProgress(io, progressOn);
  out.beforeWrite = () => progress.stop();
  let session: Awaited<ReturnType<typeof import('../app/session.js').openSession>> | undefined;
  let opCtx: OpContext | undefined;
  const rc: RunContext = {
    args: cmd.processedArgs as RunContext['args'],
    opts: cmd.opts() as Record<string, unknown>,
    global,
    io,
    out,
    signal: ac.signal,
    home: () => (global.demo ? join(manageHome(io.env), 'demo') : manageHome(io.env)),
    nouns: () => loadNouns(),
    async ctx() {
      if (opCtx) return opCtx;
      const { openSession } = await import('../app/session.js');
      session = await openSession({ demo: global.demo, profile: global.profile, readOnly: global.readOnly ? true : undefined, env: io.env, record: global.record });
      for (const secret of session.secrets) out.addSecret(secret);
      opCtx = {
        api: session.api,
        signal: ac.signal,
        progress: (p) => progress.report(p),
        confirm: async (plan) => {
          progress.stop();
          const { confirmOnTerminal } = await import('./prompt.js');
          const ok = await confirmOnTerminal(io, out.errColors, plan, ac.signal);
          // The work after a yes gets its own spinner or bar.
          progress = createProgress(io, progressOn && ok);
          return ok;
        },
        // The demo account's backups stay apart from a real account's.
        home: session.home,
        ...(session.store ? { store: session.store } : {}),
        operation: fullName,
        production: session.production,
        timeZone: session.timeZone,
        yes: !!global.yes,
        env: io.env,
        addSecret: (s) => out.addSecret(s),
        // Another account's token is kept out of every output as this one's is.
        accounts: async (name) => {
          const a = await session!.account(name);
          for (const secret of a.secrets) out.addSecret(secret);
          return a;
        },
      };
      return opCtx;
    },
  };
  try {
    const code = await spec.run(rc);
    progress.stop();
    if (session && spec.mutating && global.demo && !out.jsonMode) out.note(out.errColors.dim(DEMO_NOTE));
    return typeof code === 'number' ? code : EXIT.ok;
  } catch (err) {
    progress.stop();
    const aborted = ac.signal.aborted && !server;
    const code = exitCodeFor(err, aborted);
    const shown = aborted && !(err instanceof Cancelled) ? (ac.signal.reason instanceof Error ? ac.signal.reason : new Cancelled()) : err;
    out.error(shown, code);
    if (code === EXIT.error && errorInfo(shown).type === 'usage' && !out.jsonMode) out.note(out.errColors.dim(`See: ${commandPrefix(global)} ${fullName} --help`));
    return code;
  } finally {
    if (!io.signal) process.removeListener('SIGINT', onSigint);
    io.signal?.removeEventListener('abort', onExternalAbort);
    if (session) await session.close().catch(() => {});
    // A command that made no API call still leaves the file it was asked for (mcp records through its own
    // session; the emulator makes no API call and may be checking the very file named).
    else if (global.record && !server) await import('../core/recording.js').then((m) => m.writeEmptyRecording(global.record!)).catch(() => {});
  }
}
