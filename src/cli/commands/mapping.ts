// The mapping noun: derived from the operations (src/operations/mapping.ts), with the terminal's ways of
// giving input: `--add target=source`, `--change`, `--remove target`, and a sample or changes as a JSON
// file ("-" for stdin) as well as inline JSON.
import { z } from 'zod';
import { UsageError } from '../../core/errors.js';
import type { MappingChange } from '../../ops/mapping/apply.js';
import { adaptedNoun, longFlag } from '../adapt.js';
import type { NounSpec, OptionSpec, RunContext } from '../spec.js';
import { opt } from '../spec.js';
import { readJsonFile } from './common.js';

/** "target=source" or 'target="constant"' into a change. */
export function parseChange(op: 'add' | 'change', s: string): MappingChange {
  const eq = s.indexOf('=');
  if (eq <= 0) throw new UsageError(`--${op} "${s}" must look like target=source (e.g. email=customer.email) or target="constant".`);
  const generate = s.slice(0, eq).trim();
  const src = s.slice(eq + 1).trim();
  const m = /^"(.*)"$/s.exec(src);
  if (m) return { op, generate, hardCodedValue: m[1] };
  if (!src) throw new UsageError(`--${op} ${generate}= needs a source field (or "constant" in double quotes).`);
  return { op, generate, extract: src };
}

const Change = z.object({ op: z.enum(['add', 'change', 'remove']), generate: z.string(), extract: z.string().optional(), hardCodedValue: z.string().optional() });
const strings = z.array(z.string()).optional();
const UpdateOpts = z.object({ add: strings, change: strings, remove: strings, changes: strings, sample: z.string().optional() });
const ShowOpts = z.object({ sample: z.string().optional() });

/** A JSON value given inline ({…} or […]) or as a file ("-" for stdin). */
async function jsonArg(rc: RunContext, value: string, what: string): Promise<unknown> {
  const v = value.trim();
  if (!v.startsWith('{') && !v.startsWith('[')) return readJsonFile(rc, value, what);
  try {
    return JSON.parse(v);
  } catch {
    throw new UsageError(`--${what} is not valid JSON.`);
  }
}

async function sampleOf(rc: RunContext, value: string | undefined): Promise<Record<string, unknown> | undefined> {
  if (value === undefined) return undefined;
  const sample = z.record(z.string(), z.unknown()).safeParse(await jsonArg(rc, value, 'sample'));
  if (!sample.success) throw new UsageError('The sample must be one JSON object (a source record).');
  return sample.data;
}

/** The changes of every --changes (a change or a list of them), then --add, --change and --remove. */
export async function changesFrom(rc: RunContext, o: z.infer<typeof UpdateOpts>): Promise<MappingChange[]> {
  const list: MappingChange[] = [];
  for (const value of o.changes ?? []) {
    const given = await jsonArg(rc, value, 'changes');
    for (const c of Array.isArray(given) ? given : [given]) {
      const parsed = Change.safeParse(c);
      if (!parsed.success) throw new UsageError(`Invalid change in --changes: ${JSON.stringify(c)}. Each needs op (add, change, remove) and generate.`);
      list.push(parsed.data);
    }
  }
  for (const s of o.add ?? []) list.push(parseChange('add', s));
  for (const s of o.change ?? []) list.push(parseChange('change', s));
  for (const s of o.remove ?? []) list.push({ op: 'remove', generate: s.trim() });
  return list;
}

const PAIRS: OptionSpec[] = [
  opt('--add <target=source>', 'Map a field; target="text" maps a constant (repeatable)', { repeat: true }),
  opt('--change <target=source>', 'Change where a field comes from (repeatable)', { repeat: true }),
  opt('--remove <target>', 'Remove a field mapping (repeatable)', { repeat: true }),
];

/** --sample and --changes take a file as well as JSON, so their help does not end in "(JSON)". */
function fileOrJson(derived: readonly OptionSpec[]): OptionSpec[] {
  return derived.map((o) => (['--sample', '--changes'].includes(longFlag(o) ?? '') ? { ...o, description: o.description.replace(/ \(JSON\)$/, '') } : o));
}

/** With --add, --change and --remove before --changes, which may be repeated. */
function updateOptions(derived: readonly OptionSpec[]): OptionSpec[] {
  return fileOrJson(derived).flatMap((o) => (longFlag(o) === '--changes' ? [...PAIRS, { ...o, repeat: true }] : [o]));
}

export function mappingNoun(): Promise<NounSpec> {
  return adaptedNoun('mapping', {
    show: {
      options: fileOrJson,
      async prepare(rc) {
        const { MAPPING_FIELDS } = await import('../../ops/mapping/show.js');
        rc.out.expectFields(MAPPING_FIELDS);
        const sample = await sampleOf(rc, ShowOpts.parse(rc.opts).sample);
        return sample ? { sample } : undefined;
      },
    },
    update: {
      options: updateOptions,
      async prepare(rc) {
        const o = UpdateOpts.parse(rc.opts);
        const changes = await changesFrom(rc, o);
        if (!changes.length) throw new UsageError('Nothing to change: give --add, --change, --remove or --changes FILE.');
        const sample = await sampleOf(rc, o.sample);
        return { changes, ...(sample ? { sample } : {}) };
      },
    },
  });
}
