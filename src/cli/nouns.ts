// The commands of a noun: those derived from the operations (src/operations), plus the CLI's own commands
// for local things (profiles, servers, completion, doctor, raw API calls).
import type { NounSpec } from './spec.js';

/** The noun `name`: its derived commands after the given local ones. */
export async function nounWith(name: string, local?: () => Promise<NounSpec>): Promise<NounSpec> {
  const [{ OPERATIONS, operationMap }, { commandsOf }, base] = await Promise.all([import('../operations/index.js'), import('./derive.js'), local?.()]);
  const ops = operationMap();
  const derived = OPERATIONS.flatMap((op) => commandsOf(op, ops)).filter((c) => c.noun === name).map((c) => c.spec);
  const single = derived.find((s) => s.name === name);
  if (single && !base?.verbs?.length) return { name, command: single };
  return { name, ...(base ?? {}), verbs: [...(base?.verbs ?? []), ...derived.filter((s) => s !== single)] };
}
