// Input only a terminal has, for derived commands that take it in a form the framework does not express
// (derive.ts reads each input from a flag of its own, a JSON one inline, and hands terminalFlags to the
// presenter only):
// - `connections create`: the settings (create_connection's `config`) from a JSON file (--config, "-" for
//   stdin) and --set key=value pairs, so that secrets stay off the command line;
// - `exports run --timeout`: how long the run is followed. trigger_export has no such input (the default
//   tools/list has no room for one), so the context carries it (RunDeadline).
import { UsageError } from '../../core/errors.js';
import type { OpContext } from '../../ops/context.js';
import type { RunDeadline } from '../../operations/exports.js';
import type { CommandSpec, NounSpec, OptionSpec, RunContext } from '../spec.js';
import { pairsToObject, readJsonFile } from './common.js';

const SECRET_KEY = /(token|password|secret|api_?key|private_?key|passphrase)/i;

const withOption = (spec: CommandSpec, flag: string, extra: Partial<OptionSpec>): OptionSpec[] | undefined =>
  spec.options?.map((o) => (o.flags.split(/[ ,]+/).includes(flag) ? { ...o, ...extra } : o));

async function connectionConfig(rc: RunContext): Promise<Record<string, unknown>> {
  const { config: file, set } = rc.opts;
  const pairs = Array.isArray(set) ? set.filter((p): p is string => typeof p === 'string') : [];
  const secret = pairs.find((p) => SECRET_KEY.test(p.split('=')[0]!));
  if (secret) throw new UsageError(`Refusing a secret on the command line (${secret.split('=')[0]}): put it in the --config file (or pipe JSON with --config -).`);
  const fromFile: unknown = typeof file === 'string' ? await readJsonFile(rc, file, 'connection config') : {};
  if (!fromFile || typeof fromFile !== 'object' || Array.isArray(fromFile)) throw new UsageError('The --config file must hold a JSON object.');
  return { ...fromFile, ...pairsToObject(pairs, '--set') };
}

const ADAPT: Record<string, (spec: CommandSpec) => CommandSpec> = {
  'connections create': (spec) => ({
    ...spec,
    options: withOption(spec, '--set', { repeat: true }),
    run: async (rc) => spec.run({ ...rc, opts: { ...rc.opts, config: await connectionConfig(rc) } }),
  }),
  'exports run': (spec) => ({
    ...spec,
    options: withOption(spec, '--timeout', { int: true }),
    run: (rc) => {
      const t = rc.opts.timeout;
      if (typeof t !== 'number') return spec.run(rc);
      const deadline: RunDeadline = { followForMs: Math.max(1, t) * 1000 };
      return spec.run({ ...rc, ctx: async (): Promise<OpContext & RunDeadline> => ({ ...(await rc.ctx()), ...deadline }) });
    },
  }),
};

/** The noun with its commands that take terminal-only input adapted. */
export function withTerminalInputs(noun: NounSpec): NounSpec {
  return noun.verbs ? { ...noun, verbs: noun.verbs.map((v) => ADAPT[`${noun.name} ${v.name}`]?.(v) ?? v) } : noun;
}
