// An operation as CLI command(s): positionals and flags generated from its zod input (with the
// declaration's overrides), the same schema checking the values, the declaration's presenter, its next
// steps as command lines, and its outcome as the exit code. Nothing here restates an operation.
import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import { stripControlsDeep } from '../core/control-chars.js';
import { nextForTerminal } from '../operations/next.js';
import { OUTCOMES, nextOf, outcomeOf } from '../operations/outcome.js';
import { surfacesOf, type CliSurface, type Operation } from '../operations/types.js';
import type { CommandSpec, OptionSpec, RunContext } from './spec.js';
import { TTY_DEFAULT_LIMIT } from './output.js';

const kebab = (k: string) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
/** The option key commander gives a long flag: "--exclude-tools" → "excludeTools". */
const camel = (flag: string) => flag.replace(/^--(no-)?/, '').replace(/-([a-z])/g, (_m, ch: string) => ch.toUpperCase());

/** The option key of commander flags: "--html <file>" → "html". */
const optionKey = (flags: string) => camel(flags.split(/[ ,]+/).find((f) => f.startsWith('--'))!);

interface FieldInfo {
  kind: 'string' | 'number' | 'boolean' | 'enum' | 'strings' | 'json';
  optional: boolean;
  int?: boolean;
  choices?: readonly string[];
  description?: string;
}

/** What the CLI needs to know of one input field's schema. */
export function fieldInfo(schema: z.ZodType): FieldInfo {
  let t = schema as z.ZodType & { def: { type: string; innerType?: z.ZodType; element?: z.ZodType } };
  let optional = false;
  const description = schema.description;
  while (['optional', 'default', 'nullable'].includes(t.def.type)) {
    optional = true;
    t = t.def.innerType as typeof t;
  }
  const d = description ?? t.description;
  switch (t.def.type) {
    case 'string':
      return { kind: 'string', optional, description: d };
    case 'number':
      return { kind: 'number', optional, int: !!(t as unknown as z.ZodNumber).isInt, description: d };
    case 'boolean':
      return { kind: 'boolean', optional, description: d };
    case 'enum':
      return { kind: 'enum', optional, choices: (t as unknown as z.ZodEnum).options as string[], description: d };
    case 'array':
      return (t.def.element as typeof t | undefined)?.def.type === 'string' ? { kind: 'strings', optional, description: d } : { kind: 'json', optional, description: d };
    default:
      return { kind: 'json', optional, description: d };
  }
}

/** The long flag of an input field at the terminal. */
function flagOf(surface: CliSurface, key: string): string {
  return surface.flags?.[key]?.flags?.split(/[ ,]+/).find((f) => f.startsWith('--')) ?? `--${kebab(key)}`;
}

function optionsOf(op: Operation, surface: CliSurface): OptionSpec[] {
  const out: OptionSpec[] = [];
  for (const [key, schema] of Object.entries(cliInput(op))) {
    const o = surface.flags?.[key];
    if (key === 'confirm' || o?.hidden || surface.args?.includes(key) || (surface.fixed && key in surface.fixed)) continue;
    const f = fieldInfo(schema as z.ZodType);
    const description = o?.description ?? f.description ?? key;
    const valueName = f.kind === 'json' ? 'json' : kebab(key);
    const flags = o?.flags ?? (f.kind === 'boolean' ? `--${kebab(key)}` : `--${kebab(key)} <${valueName}>`);
    out.push({ flags, description: f.kind === 'json' ? `${description} (JSON)` : description, ...(f.choices ? { choices: f.choices } : {}), ...(f.kind === 'number' && f.int ? { int: true } : {}), ...(f.kind === 'strings' || (f.kind === 'json' && o?.repeat) ? { repeat: true } : {}) });
    if (f.kind === 'boolean' && o?.negate) out.push({ flags: o.negate, description: `The opposite of ${flags}` });
  }
  for (const t of surface.terminalFlags ?? []) out.push({ flags: t.flags, description: t.description, ...(t.choices ? { choices: t.choices } : {}), ...(t.number ? { int: true } : {}) });
  return out;
}

/** The input an operation gets from a command line: fixed values, positionals, then flags. */
export function inputFrom(op: Operation, surface: CliSurface, rc: Pick<RunContext, 'args' | 'opts'>): Record<string, unknown> {
  const input: Record<string, unknown> = { ...(surface.fixed ?? {}) };
  (surface.args ?? []).forEach((key, i) => {
    const v = rc.args[i];
    if (v !== undefined) input[key] = Array.isArray(v) ? v.join(' ') : v;
  });
  for (const [key, schema] of Object.entries(cliInput(op))) {
    if (key in input || surface.args?.includes(key)) continue;
    const f = fieldInfo(schema as z.ZodType);
    const o = surface.flags?.[key];
    let v = rc.opts[camel(flagOf(surface, key))];
    if (f.kind === 'boolean' && o?.negate && rc.opts[optionKey(o.negate)] === true) {
      if (v === true) throw new UsageError(`Give ${flagOf(surface, key)} or ${o.negate}, not both.`);
      v = false;
    }
    if (v === undefined) continue;
    const parse = (s: string): unknown => {
      try {
        return JSON.parse(s);
      } catch {
        throw new UsageError(`${flagOf(surface, key)} takes JSON, e.g. ${f.description ?? '{"key":"value"}'}.`);
      }
    };
    if (f.kind === 'json' && typeof v === 'string') v = parse(v);
    // A repeated flag of a list: each value an item or a list of items.
    else if (f.kind === 'json' && o?.repeat && Array.isArray(v)) v = v.flatMap((s) => (typeof s === 'string' ? parse(s) : [s]));
    input[key] = v;
  }
  return input;
}

/** The input a command takes: the terminal's when it is wider than the tool's. */
const cliInput = (op: Operation): z.ZodRawShape => op.terminalInput ?? op.input;

/** Checks the input with the operation's own schema; a bad value is a UsageError naming the flag. */
export function checkInput(op: Operation, surface: CliSurface, input: Record<string, unknown>): Record<string, unknown> {
  const r = z.strictObject(cliInput(op)).safeParse(input);
  if (r.success) return r.data as Record<string, unknown>;
  const lines = r.error.issues.map((i) => {
    const key = String(i.path[0] ?? '');
    const where = surface.args?.includes(key) ? `<${key}>` : key ? flagOf(surface, key) : 'input';
    // "--concurrency must be a whole number from 1 to 16 (got 0)" (args.ts wholeNumber) reads as a sentence.
    return i.message.startsWith('must ') ? `${where} ${i.message}` : `${where}: ${i.message}`;
  });
  throw new UsageError(lines.length === 1 && lines[0]!.includes(' must ') ? `${lines[0]}.` : `Invalid input: ${lines.join('; ')}.`);
}

/** The values of the terminal flags, each number checked against its bounds before anything runs. */
function terminalFlagValues(surface: CliSurface, rc: Pick<RunContext, 'opts'>): Record<string, unknown> {
  const flags: Record<string, unknown> = {};
  for (const t of surface.terminalFlags ?? []) {
    const key = optionKey(t.flags);
    const v = rc.opts[key];
    flags[key] = v;
    if (!t.number || v === undefined) continue;
    const { min, max, unit } = t.number;
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new UsageError(`${t.flags.split(/[ ,]+/).find((f) => f.startsWith('--'))} must be a whole number${unit ? ` of ${unit}` : ''} from ${min} to ${max} (got ${String(v)}).`);
    }
    flags[key] = n;
  }
  return flags;
}

/** The command(s) of one operation; `ops` resolves the operations its next steps name. */
export function commandsOf(op: Operation, ops: ReadonlyMap<string, Operation>): { noun: string; spec: CommandSpec }[] {
  return surfacesOf(op).map((surface) => {
    const input = cliInput(op);
    const required = (key: string) => !fieldInfo(input[key] as z.ZodType).optional;
    const spec: CommandSpec = {
      name: surface.verb ?? surface.noun,
      summary: surface.summary,
      args: (surface.args ?? []).map((k) => (required(k) ? `<${k}>` : `[${k}]`)),
      argHelp: Object.fromEntries((surface.args ?? []).map((k) => [k, surface.flags?.[k]?.description ?? fieldInfo(input[k] as z.ZodType).description ?? k])),
      options: optionsOf(op, surface),
      examples: surface.examples,
      ...(surface.details ? { details: surface.details } : {}),
      ...(op.annotations.readOnlyHint ? {} : { mutating: true }),
      async run(rc) {
        const input = checkInput(op, surface, inputFrom(op, surface, rc));
        const flags = terminalFlagValues(surface, rc);
        // The page (and the reads only it needs) only when a flag asks for it.
        const pages = (surface.terminalFlags ?? []).some((t) => t.page && flags[optionKey(t.flags)] !== undefined);
        // --limit N shows the first N rows (without it, a terminal shows 50 but a pipe or --json all of them).
        const rowsShown = (p: { limit?: number }) => {
          const count = p.limit ?? (rc.out.jsonMode || !rc.io.isTTY ? undefined : TTY_DEFAULT_LIMIT);
          return count !== undefined ? { offset: 0, count } : undefined;
        };
        const raw = await op.run({ ...(await rc.ctx()), pages, rowsShown }, input as never);
        // API strings reach a person without escape sequences (--json keeps them exact, and escaped).
        const result = rc.out.jsonMode ? raw : stripControlsDeep(raw);
        const own = op.forTerminal ? await op.forTerminal(result, rc.out, input as never, flags) : rc.out.object(result as Record<string, unknown>);
        const next = nextForTerminal(nextOf(op, result), ops, rc.global);
        if (next.length && !rc.out.jsonMode) rc.out.print(['', rc.out.c.bold('Next'), ...next.map((l) => `  ${l}`)].join('\n'));
        const code = OUTCOMES[outcomeOf(op, result)].exitCode;
        return typeof own === 'number' && own > code ? own : code;
      },
    };
    return { noun: surface.noun, spec };
  });
}
