// The one way a derived command takes input in a terminal's own forms, for what a declaration cannot say:
// a check that must come before the account is opened (--json fields of a list), flags that build input
// rather than name it (`--add target=source`, `--set key=value`), input read from a file or stdin (a JSON
// spec, a sample), and how long to follow a run. The operation still runs, presents, gives its next steps
// and exit code through the derived command; an adaptation only adds options and turns them into the
// input options the derived command reads (or into the context it runs in).
import type { OpContext } from '../ops/context.js';
import { nounWith } from './nouns.js';
import type { CommandSpec, NounSpec, OptionSpec, RunContext } from './spec.js';

export interface Adaptation {
  /** The command's options from the derived ones (add, replace or reorder). */
  options?: (derived: readonly OptionSpec[]) => OptionSpec[];
  /** Before the derived command runs: checks, and the input options to set (by commander key). */
  prepare?(rc: RunContext): Promise<Record<string, unknown> | void>;
  /** What to add to the context the operation runs in (e.g. how long to follow a run). */
  context?(rc: RunContext): Record<string, unknown> | undefined;
}

function adapt(spec: CommandSpec, a: Adaptation): CommandSpec {
  return {
    ...spec,
    options: a.options ? a.options(spec.options ?? []) : spec.options,
    async run(rc) {
      const set = await a.prepare?.(rc);
      const extra = a.context?.(rc);
      return spec.run({
        ...rc,
        ...(set ? { opts: { ...rc.opts, ...set } } : {}),
        ...(extra ? { ctx: async (): Promise<OpContext> => ({ ...(await rc.ctx()), ...extra }) } : {}),
      });
    },
  };
}

/** The derived noun `name` (or the given one), with the named verbs adapted. */
export async function adaptedNoun(name: string, adaptations: Readonly<Record<string, Adaptation>>, noun?: NounSpec): Promise<NounSpec> {
  const base = noun ?? (await nounWith(name));
  return { ...base, verbs: base.verbs?.map((v) => (adaptations[v.name] ? adapt(v, adaptations[v.name]!) : v)) };
}

/** The long flag of an option ("--changes <json>" → "--changes"). */
export function longFlag(o: OptionSpec): string | undefined {
  return o.flags.split(/[ ,]+/).find((f) => f.startsWith('--'));
}
