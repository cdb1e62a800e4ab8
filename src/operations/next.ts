// Next steps as data, written out once per front end: as a tool call the model can make (only when the
// server serves that tool), or as the command line a person can type (carrying --demo and --profile).
import { surfacesOf, type CliSurface, type NextStep, type Operation } from './types.js';

/** "- retry_job {"job":"…"}: why", for the steps whose tool is served. */
export function nextForModel(steps: readonly NextStep[], serves: (op: string) => boolean = () => true): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const s of steps.filter((x) => serves(x.op))) {
    const call = `${s.op}${s.args && Object.keys(s.args).length ? ` ${JSON.stringify(s.args)}` : ''}`;
    if (seen.has(call)) continue;
    seen.add(call);
    out.push(`- ${call}${s.why ? `: ${s.why}` : ''}`);
  }
  return out;
}

const kebab = (k: string) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function quote(v: unknown): string {
  const s = String(v);
  return /^[\w./:@=,-]+$/.test(s) ? s : JSON.stringify(s);
}

/** The command surface that fits the arguments best: a variant whose fixed input they match, else the first. */
function surfaceFor(op: Operation, args: Record<string, unknown>): CliSurface {
  const all = surfacesOf(op);
  const fits = all.filter((s) => s.fixed && Object.entries(s.fixed).every(([k, v]) => args[k] === v));
  return fits[0] ?? all.find((s) => !s.fixed) ?? all[0]!;
}

/** The account flags a command line must carry to reach the same account: `celigo-manage --demo`, `… --profile p`. */
export function commandPrefix(global: { demo?: boolean; profile?: string } = {}): string {
  const parts = ['celigo-manage'];
  if (global.demo) parts.push('--demo');
  if (global.profile) parts.push('--profile', quote(global.profile));
  return parts.join(' ');
}

/** The command line for one step, or undefined when the operation is unknown. */
export function commandLine(step: NextStep, ops: ReadonlyMap<string, Operation>, global: { demo?: boolean; profile?: string } = {}): string | undefined {
  const op = ops.get(step.op);
  if (!op) return undefined;
  const args = { ...(step.args ?? {}) };
  const surface = surfaceFor(op, args);
  for (const k of Object.keys(surface.fixed ?? {})) delete args[k];
  const parts = [commandPrefix(global)];
  parts.push(surface.noun);
  if (surface.verb) parts.push(surface.verb);
  for (const k of surface.args ?? []) {
    if (args[k] !== undefined) parts.push(quote(args[k]));
    delete args[k];
  }
  for (const [k, v] of Object.entries(args)) {
    const flag = surface.flags?.[k]?.flags?.split(/[ ,]+/).find((f) => f.startsWith('--')) ?? `--${kebab(k)}`;
    if (v === undefined || v === null || v === false) continue;
    if (v === true) parts.push(flag);
    else if (Array.isArray(v)) for (const item of v) parts.push(flag, quote(typeof item === 'object' ? JSON.stringify(item) : item));
    else parts.push(flag, quote(typeof v === 'object' ? JSON.stringify(v) : v));
  }
  return parts.join(' ');
}

/**
 * The steps as command lines (with their reasons), for a person at a terminal. On the demo account,
 * which starts afresh at every command, steps about local backups are left out: the backup went with
 * the command that took it.
 */
export function nextForTerminal(steps: readonly NextStep[], ops: ReadonlyMap<string, Operation>, global: { demo?: boolean; profile?: string } = {}): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const s of steps) {
    if (global.demo && ops.get(s.op)?.toolset === 'backups') continue;
    const line = commandLine(s, ops, global);
    // One line per command: two steps that come to the same command keep the first reason.
    if (!line || seen.has(line)) continue;
    seen.add(line);
    out.push(s.why ? `${line}   # ${s.why}` : line);
  }
  return out;
}
