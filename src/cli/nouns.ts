// The commands of a noun, derived from the operations (src/operations) whose command surface names it.
import { surfacesOf } from '../operations/types.js';
import type { NounSpec } from './spec.js';

/** The noun `name`: a single command (`health`) or its verbs, derived from only its own operations. */
export async function nounWith(name: string): Promise<NounSpec> {
  const [{ OPERATIONS, operationMap }, { commandsOf }] = await Promise.all([import('../operations/index.js'), import('./derive.js')]);
  const ops = operationMap();
  const mine = OPERATIONS.filter((op) => surfacesOf(op).some((s) => s.noun === name));
  const derived = mine.flatMap((op) => commandsOf(op, ops)).filter((c) => c.noun === name).map((c) => c.spec);
  const single = derived.find((s) => s.name === name);
  if (single) return { name, command: single };
  return { name, verbs: derived };
}
