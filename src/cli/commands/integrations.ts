// The integrations noun, derived from its operations. list, clone, tag and setup take more at a terminal
// than their tools take (operations/terminal-input.ts), so their commands are derived from the declarations
// with the terminal's input (integrationCommandOperations) instead of from the tools; and `setup --spec FILE`
// reads its file here, where the terminal's stdin is.
import { UsageError } from '../../core/errors.js';
import { nounWith } from '../nouns.js';
import { adaptedNoun } from '../adapt.js';
import type { NounSpec, RunContext } from '../spec.js';
import { optStr, readJsonFile } from './common.js';

export async function integrations(): Promise<NounSpec> {
  const [noun, { commandsOf }, { operationMap }, { integrationCommandOperations }] = await Promise.all([
    nounWith('integrations'),
    import('../derive.js'),
    import('../../operations/index.js'),
    import('../../operations/integrations.js'),
  ]);
  const ops = operationMap();
  const wider = new Map(integrationCommandOperations.flatMap((op) => commandsOf(op, ops)).map((c) => [c.spec.name, c.spec]));
  const derived = { ...noun, verbs: (noun.verbs ?? []).map((v) => wider.get(v.name) ?? v) };
  return adaptedNoun('integrations', { setup: { prepare: async (rc) => ({ spec: await specFile(rc) }) } }, derived);
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

async function specFile(rc: RunContext): Promise<Record<string, unknown>> {
  const file = optStr(rc, 'spec');
  if (!file) throw new UsageError('Give the spec with --spec FILE (see: celigo-manage integrations setup --help).');
  const spec = await readJsonFile(rc, file, 'setup spec');
  if (!isObject(spec)) throw new UsageError('The setup spec must be a JSON object.');
  return spec;
}
