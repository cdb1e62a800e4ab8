// Terminal conveniences around derived commands, for what a declaration cannot say: a check that must
// come before the account is opened (--json fields of a list), and flags that build input rather than
// name it (`--add target=source`, a JSON file). The operation still runs, presents, gives its next steps
// and exit code through the derived command; an adaptation only adds options and turns them into the
// input options the derived command reads.
import { nounWith } from './nouns.js';
import type { CommandSpec, NounSpec, OptionSpec, RunContext } from './spec.js';

export interface Adaptation {
  /** The command's options from the derived ones (add, replace or reorder). */
  options?: (derived: readonly OptionSpec[]) => OptionSpec[];
  /** Before the derived command runs: checks, and the input options to set (by commander key). */
  prepare(rc: RunContext): Promise<Record<string, unknown> | void>;
}

function adapt(spec: CommandSpec, a: Adaptation): CommandSpec {
  return {
    ...spec,
    options: a.options ? a.options(spec.options ?? []) : spec.options,
    async run(rc) {
      const set = await a.prepare(rc);
      return spec.run(set ? { ...rc, opts: { ...rc.opts, ...set } } : rc);
    },
  };
}

/** The derived noun `name`, with the named verbs adapted. */
export async function adaptedNoun(name: string, adaptations: Readonly<Record<string, Adaptation>>): Promise<NounSpec> {
  const noun = await nounWith(name);
  return { ...noun, verbs: noun.verbs?.map((v) => (adaptations[v.name] ? adapt(v, adaptations[v.name]!) : v)) };
}

/** The long flag of an option ("--changes <json>" → "--changes"). */
export function longFlag(o: OptionSpec): string | undefined {
  return o.flags.split(/[ ,]+/).find((f) => f.startsWith('--'));
}
