// The connections and exports nouns, with input only a terminal has (through cli/adapt.ts):
// - `connections create`: the settings (create_connection's `config`) from a JSON file (--config, "-" for
//   stdin) and --set key=value pairs, so that secrets stay off the command line;
// - `exports run --timeout`: how long the run is followed. trigger_export has no such input (the default
//   tools/list has no room for one), so the context carries it (RunDeadline).
import { UsageError } from '../../core/errors.js';
import type { RunDeadline } from '../../operations/exports.js';
import { adaptedNoun } from '../adapt.js';
import type { NounSpec, OptionSpec, RunContext } from '../spec.js';
import { pairsToObject, readJsonFile } from './common.js';

const SECRET_KEY = /(token|password|secret|api_?key|private_?key|passphrase)/i;

const withOption = (derived: readonly OptionSpec[], flag: string, extra: Partial<OptionSpec>): OptionSpec[] =>
  derived.map((o) => (o.flags.split(/[ ,]+/).includes(flag) ? { ...o, ...extra } : o));

async function connectionConfig(rc: RunContext): Promise<Record<string, unknown>> {
  const { config: file, set } = rc.opts;
  const pairs = Array.isArray(set) ? set.filter((p): p is string => typeof p === 'string') : [];
  const secret = pairs.find((p) => SECRET_KEY.test(p.split('=')[0]!));
  if (secret) throw new UsageError(`Refusing a secret on the command line (${secret.split('=')[0]}): put it in the --config file (or pipe JSON with --config -).`);
  const fromFile: unknown = typeof file === 'string' ? await readJsonFile(rc, file, 'connection config') : {};
  if (!fromFile || typeof fromFile !== 'object' || Array.isArray(fromFile)) throw new UsageError('The --config file must hold a JSON object.');
  return { ...fromFile, ...pairsToObject(pairs, '--set') };
}

/** `connections create`: the settings from a JSON file (--config, "-" for stdin) and --set pairs. */
export const connectionsNoun = (): Promise<NounSpec> =>
  adaptedNoun('connections', {
    create: { options: (d) => withOption(d, '--set', { repeat: true }), prepare: async (rc) => ({ config: await connectionConfig(rc) }) },
  });

/** `exports run --timeout`: how long the run is followed (RunDeadline in the context). */
export const exportsNoun = (): Promise<NounSpec> =>
  adaptedNoun('exports', {
    run: {
      // The derived command checks --timeout's bounds (exports.ts) before the run starts.
      context: (rc) => {
        const t = rc.opts.timeout;
        if (typeof t !== 'number') return undefined;
        const deadline: RunDeadline = { followForMs: t * 1000 };
        return { ...deadline };
      },
    },
  });
