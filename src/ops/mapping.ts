// Safe mapping changes on a flow's import (issue 4 item 6): both mapping formats of celigo-api.md §4.4
// (Mapper 1.0 `mapping.fields[]`/`mapping.lists[]`, Mapper 2.0 recursive `mappings[]`), a preview against a
// sample record, a backup, read-modify-write, and a read-back check.
import { UsageError } from '../core/errors.js';
import { flowSteps } from '../core/flows.js';
import type { Import } from '../core/schemas.js';
import type { OpContext } from './context.js';
import { backup, recordChanged } from './backups.js';
import { makePlan, mustConfirm } from './confirm.js';
import { resolveFlow, resolveImport } from './resolve.js';
import { gaveUp } from './at-most-once.js';
import { plural, sampleRecords } from './util.js';

export type MappingFormat = '1.0' | '2.0';

export interface MappingChange {
  op: 'add' | 'change' | 'remove';
  /** Target field; a dotted path reaches into 2.0 objects and arrays, or a 1.0 list ("item.quantity"). */
  generate: string;
  /** Source field path in the record ("customer.email" or "$.customer.email"). */
  extract?: string;
  hardCodedValue?: string;
}

/** One field mapping, flattened: `generate` is the full path. */
export interface FlatMapping {
  generate: string;
  extract?: string;
  hardCodedValue?: string;
  dataType?: string;
}

type Node = Record<string, unknown> & { generate?: string; extract?: string; hardCodedValue?: unknown; dataType?: string; mappings?: Node[]; buildArrayHelper?: { extract?: string; mappings?: Node[] }[]; fields?: Node[] };
type Doc = Record<string, unknown> & { adaptorType?: string; mapping?: { fields?: Node[]; lists?: Node[] }; mappings?: Node[] };

export function mappingFormat(doc: Record<string, unknown>): MappingFormat {
  const d = doc as Doc;
  const m1 = d.mapping && ((d.mapping.fields?.length ?? 0) > 0 || (d.mapping.lists?.length ?? 0) > 0);
  if (Array.isArray(d.mappings) && d.mappings.length > 0) return '2.0';
  if (m1) return '1.0';
  if (Array.isArray(d.mappings)) return '2.0';
  if (d.mapping) return '1.0';
  // NetSuite and Salesforce imports use Mapper 1.0 (celigo-api.md §4.4).
  return /netsuite|salesforce/i.test(String(d.adaptorType ?? '')) ? '1.0' : '2.0';
}

function to2Extract(x: string): string {
  return x.startsWith('$') || x.includes('{{') ? x : `$.${x}`;
}
function to1Extract(x: string): string {
  return x.replace(/^\$\.?/, '');
}

/** Every field mapping as a flat list (full generate paths). */
export function listMappings(doc: Record<string, unknown>): FlatMapping[] {
  const d = doc as Doc;
  const out: FlatMapping[] = [];
  const leaf = (n: Node, path: string): FlatMapping => {
    const f: FlatMapping = { generate: path };
    if (typeof n.extract === 'string') f.extract = n.extract;
    if (n.hardCodedValue !== undefined) f.hardCodedValue = String(n.hardCodedValue);
    if (n.dataType) f.dataType = n.dataType;
    return f;
  };
  if (mappingFormat(doc) === '1.0') {
    for (const f of d.mapping?.fields ?? []) out.push(leaf(f, String(f.generate)));
    for (const l of d.mapping?.lists ?? []) for (const f of l.fields ?? []) out.push(leaf(f, `${l.generate}.${f.generate}`));
    return out;
  }
  const walk = (nodes: Node[] | undefined, prefix: string) => {
    for (const n of nodes ?? []) {
      const path = prefix ? `${prefix}.${n.generate}` : String(n.generate);
      if (n.mappings?.length) walk(n.mappings, path);
      else if (n.buildArrayHelper?.length) for (const h of n.buildArrayHelper) walk(h.mappings, path);
      else out.push(leaf(n, path));
    }
  };
  walk(d.mappings, '');
  return out;
}

function checkChange(c: MappingChange): void {
  if (!c.generate?.trim()) throw new UsageError('Each mapping change needs a generate (the target field).');
  const both = c.extract !== undefined && c.hardCodedValue !== undefined;
  if (both) throw new UsageError(`Mapping change for "${c.generate}": give extract or hardCodedValue, not both.`);
  if ((c.op === 'add' || c.op === 'change') && c.extract === undefined && c.hardCodedValue === undefined) {
    throw new UsageError(`Mapping change "${c.op} ${c.generate}" needs an extract (source field) or a hardCodedValue.`);
  }
}

function setSource(n: Node, c: MappingChange, format: MappingFormat): void {
  if (c.extract !== undefined) {
    n.extract = format === '2.0' ? to2Extract(c.extract) : to1Extract(c.extract);
    delete n.hardCodedValue;
  } else if (c.hardCodedValue !== undefined) {
    n.hardCodedValue = c.hardCodedValue;
    delete n.extract;
  }
}

function describe(n: Node | undefined): string | undefined {
  if (!n) return undefined;
  if (typeof n.extract === 'string') return n.extract;
  if (n.hardCodedValue !== undefined) return `"${String(n.hardCodedValue)}" (fixed)`;
  return undefined;
}

export interface AppliedChange {
  op: MappingChange['op'];
  generate: string;
  before?: string;
  after?: string;
}

/** The containers a generate path lands in (1.0): top-level fields, or a list's fields for "list.field". */
function locate1(doc: Doc, generate: string): { list: Node[]; key: string } {
  doc.mapping ??= { fields: [], lists: [] };
  doc.mapping.fields ??= [];
  doc.mapping.lists ??= [];
  if (doc.mapping.fields.some((f) => f.generate === generate)) return { list: doc.mapping.fields, key: generate };
  const dot = generate.indexOf('.');
  if (dot > 0) {
    const listName = generate.slice(0, dot);
    const lst = doc.mapping.lists.find((l) => l.generate === listName);
    if (lst) {
      lst.fields ??= [];
      return { list: lst.fields, key: generate.slice(dot + 1) };
    }
  }
  return { list: doc.mapping.fields, key: generate };
}

/** The node list a 2.0 path lands in; creates object parents when `create`. */
function locate2(doc: Doc, generate: string, create: boolean): { list: Node[]; key: string } | undefined {
  doc.mappings ??= [];
  if (doc.mappings.some((n) => n.generate === generate)) return { list: doc.mappings, key: generate };
  const parts = generate.split('.');
  let list = doc.mappings;
  for (let i = 0; i < parts.length - 1; i++) {
    let node = list.find((n) => n.generate === parts[i]);
    if (!node) {
      if (!create) return undefined;
      node = { generate: parts[i], dataType: 'object', status: 'Active', mappings: [] };
      list.push(node);
    }
    if (node.buildArrayHelper?.length) {
      const h = node.buildArrayHelper[0];
      h.mappings ??= [];
      list = h.mappings;
    } else {
      node.mappings ??= [];
      if (node.dataType && node.dataType !== 'object' && node.mappings.length === 0 && !create) return undefined;
      list = node.mappings;
    }
  }
  return { list, key: parts[parts.length - 1] };
}

/**
 * Applies field changes to a copy of an import document and returns it; the input is not modified.
 * `add` of a field already mapped, or `change`/`remove` of one that is not, is an error that names it.
 */
export function applyMappingChanges<T extends Record<string, unknown>>(importDoc: T, changes: MappingChange[]): { doc: T; format: MappingFormat; applied: AppliedChange[] } {
  if (!changes.length) throw new UsageError('No mapping changes given.');
  const doc = structuredClone(importDoc) as unknown as Doc;
  const format = mappingFormat(doc);
  const applied: AppliedChange[] = [];
  for (const c of changes) {
    checkChange(c);
    const loc = format === '1.0' ? locate1(doc, c.generate) : locate2(doc, c.generate, c.op === 'add');
    const idx = loc ? loc.list.findIndex((n) => n.generate === loc.key) : -1;
    const existing = loc && idx >= 0 ? loc.list[idx] : undefined;
    if (c.op === 'add') {
      if (existing) throw new UsageError(`"${c.generate}" is already mapped (from ${describe(existing) ?? 'a nested mapping'}); use op "change".`);
      const node: Node = format === '2.0' ? { generate: loc!.key, dataType: 'string', status: 'Active' } : { generate: loc!.key };
      setSource(node, c, format);
      loc!.list.push(node);
      applied.push({ op: 'add', generate: c.generate, after: describe(node) });
    } else if (c.op === 'change') {
      if (!existing) throw new UsageError(`"${c.generate}" is not mapped; use op "add". Mapped fields: ${listMappings(importDoc).map((m) => m.generate).join(', ') || 'none'}.`);
      if (existing.mappings?.length || existing.buildArrayHelper?.length) throw new UsageError(`"${c.generate}" is an object or array mapping; change its fields ("${c.generate}.<field>") instead.`);
      const before = describe(existing);
      setSource(existing, c, format);
      applied.push({ op: 'change', generate: c.generate, before, after: describe(existing) });
    } else {
      if (!existing) throw new UsageError(`"${c.generate}" is not mapped, so it cannot be removed. Mapped fields: ${listMappings(importDoc).map((m) => m.generate).join(', ') || 'none'}.`);
      loc!.list.splice(idx, 1);
      applied.push({ op: 'remove', generate: c.generate, before: describe(existing) });
    }
  }
  return { doc: doc as unknown as T, format, applied };
}

// ---- preview ----

const MISSING = Symbol('missing');

/** Reads a path ("a.b[0].c", "$.items[*].sku") from a record; `[*]` maps over arrays. */
export function readPath(record: unknown, path: string): unknown {
  const p = path.trim().replace(/^\$\.?/, '');
  if (!p) return record;
  const tokens: (string | number | '*')[] = [];
  for (const part of p.split('.')) {
    const m = /^([^[\]]*)((?:\[(?:\d+|\*)\])*)$/.exec(part);
    if (!m) {
      tokens.push(part);
      continue;
    }
    if (m[1]) tokens.push(m[1]);
    for (const b of m[2].match(/\[(\d+|\*)\]/g) ?? []) {
      const v = b.slice(1, -1);
      tokens.push(v === '*' ? '*' : Number(v));
    }
  }
  const step = (cur: unknown, i: number): unknown => {
    if (i === tokens.length) return cur;
    const t = tokens[i];
    if (t === '*') {
      if (!Array.isArray(cur)) return MISSING;
      const vals = cur.map((x) => step(x, i + 1)).filter((x) => x !== MISSING);
      return vals.length || cur.length === 0 ? vals : MISSING;
    }
    if (cur === null || typeof cur !== 'object') return MISSING;
    const next = (cur as Record<string | number, unknown>)[t];
    if (next === undefined) return MISSING;
    return step(next, i + 1);
  };
  return step(record, 0);
}

export interface PreviewField {
  generate: string;
  extract?: string;
  hardCodedValue?: string;
  value?: unknown;
  /** The source field does not exist in the sample. */
  missing?: boolean;
  /** A handlebars expression with helpers: not evaluated here. */
  expression?: boolean;
}

export interface MappingPreview {
  format: MappingFormat;
  output: Record<string, unknown>;
  fields: PreviewField[];
  /** Source paths the sample record does not have. */
  missingSources: string[];
}

function evalSource(n: Node, record: unknown): { value?: unknown; missing?: boolean; expression?: boolean } {
  if (n.hardCodedValue !== undefined) return { value: n.hardCodedValue };
  if (typeof n.extract !== 'string') return { missing: true };
  const x = n.extract;
  if (x.includes('{{')) {
    let missing = false;
    let expression = false;
    const value = x.replace(/{{{?\s*([^}]*?)\s*}}}?/g, (_, inner: string) => {
      if (/\s/.test(inner)) {
        expression = true;
        return '';
      }
      const v = readPath(record, inner.replace(/^record\./, ''));
      if (v === MISSING) {
        missing = true;
        return '';
      }
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
    });
    return expression ? { expression: true } : { value, missing };
  }
  const v = readPath(record, x);
  return v === MISSING ? { missing: true } : { value: v };
}

/** Maps a sample record through an import's mapping, and flags source fields the record lacks. */
export function previewMapping(importDoc: Record<string, unknown>, record: Record<string, unknown>): MappingPreview {
  const d = importDoc as Doc;
  const format = mappingFormat(importDoc);
  const output: Record<string, unknown> = {};
  const fields: PreviewField[] = [];
  const missing = new Set<string>();
  const add = (n: Node, generate: string, res: ReturnType<typeof evalSource>) => {
    const f: PreviewField = { generate };
    if (typeof n.extract === 'string') f.extract = n.extract;
    if (n.hardCodedValue !== undefined) f.hardCodedValue = String(n.hardCodedValue);
    if (res.expression) f.expression = true;
    else if (res.missing) {
      f.missing = true;
      if (typeof n.extract === 'string') missing.add(n.extract);
    } else f.value = res.value;
    fields.push(f);
  };

  if (format === '1.0') {
    for (const n of d.mapping?.fields ?? []) {
      const res = evalSource(n, record);
      add(n, String(n.generate), res);
      if (!res.missing && !res.expression) output[String(n.generate)] = res.value;
    }
    for (const l of d.mapping?.lists ?? []) {
      const cols = (l.fields ?? []).map((n) => ({ n, res: evalSource(n, record) }));
      const rows = Math.max(0, ...cols.map((c) => (Array.isArray(c.res.value) ? c.res.value.length : c.res.missing ? 0 : 1)));
      const lines: Record<string, unknown>[] = Array.from({ length: rows }, () => ({}));
      for (const { n, res } of cols) {
        add(n, `${l.generate}.${n.generate}`, res);
        if (res.missing || res.expression) continue;
        lines.forEach((line, i) => (line[String(n.generate)] = Array.isArray(res.value) ? res.value[i] : res.value));
      }
      output[String(l.generate)] = lines;
    }
    return { format, output, fields, missingSources: [...missing] };
  }

  const walk = (nodes: Node[] | undefined, scope: unknown, prefix: string, rel: string | undefined, target: Record<string, unknown>) => {
    for (const n of nodes ?? []) {
      const gen = String(n.generate);
      const path = prefix ? `${prefix}.${gen}` : gen;
      if (n.buildArrayHelper?.length) {
        const arr: unknown[] = [];
        for (const h of n.buildArrayHelper) {
          const items = typeof h.extract === 'string' ? readPath(record, h.extract) : MISSING;
          if (items === MISSING || !Array.isArray(items)) {
            if (typeof h.extract === 'string') missing.add(h.extract);
            continue;
          }
          const base = typeof h.extract === 'string' ? h.extract.replace(/\[\*\]$/, '').replace(/^\$\.?/, '') : undefined;
          for (const item of items) {
            const o: Record<string, unknown> = {};
            walk(h.mappings, item, path, base, o);
            arr.push(o);
          }
        }
        target[gen] = arr;
        continue;
      }
      if (n.mappings?.length) {
        const o: Record<string, unknown> = {};
        walk(n.mappings, scope, path, rel, o);
        target[gen] = o;
        continue;
      }
      // Inside an array, "$.items.sku" (helper "$.items[*]") reads the current item's "sku".
      let res: ReturnType<typeof evalSource>;
      if (rel && typeof n.extract === 'string' && n.extract.replace(/^\$\.?/, '').startsWith(rel + '.')) {
        res = evalSource({ ...n, extract: n.extract.replace(/^\$\.?/, '').slice(rel.length + 1) }, scope);
        if (res.missing) res = { missing: true };
      } else res = evalSource(n, rel ? scope : record);
      if (res.missing && rel) res = evalSource(n, record);
      // Fields are reported once, however many array items they ran over.
      if (!fields.some((f) => f.generate === path)) add(n, path, res);
      else if (!res.missing) fields.find((f) => f.generate === path)!.missing = undefined;
      if (!res.missing && !res.expression) target[gen] = res.value;
    }
  };
  walk(d.mappings, record, '', undefined, output);
  // A field found in any array item is not missing.
  const stillMissing = new Set(fields.filter((f) => f.missing && f.extract).map((f) => f.extract!));
  for (const m of [...missing]) if (!stillMissing.has(m) && fields.some((f) => f.extract === m)) missing.delete(m);
  return { format, output, fields, missingSources: [...missing] };
}

// ---- the op ----

export interface UpdateMappingInput {
  flow: string;
  import?: string;
  changes: MappingChange[];
  sample?: Record<string, unknown>;
  dryRun?: boolean;
}

export interface UpdateMappingReport {
  flowId: string;
  flowName: string;
  importId: string;
  importName: string;
  format: MappingFormat;
  applied: AppliedChange[];
  /** Where the sample record came from. */
  sample: 'given' | 'export' | 'none';
  sampleNote?: string;
  preview?: { output: Record<string, unknown>; missingSources: string[] };
  warnings: string[];
  dryRun: boolean;
  written: boolean;
  backupId?: string;
  /** Read back after the write: every change is in place. */
  verified?: boolean;
  problems: string[];
  mappings: FlatMapping[];
  summary: string;
}

async function importOfFlow(ctx: OpContext, flowQ: string, importQ: string | undefined) {
  const flow = await resolveFlow(ctx.api, flowQ);
  const importIds = flowSteps(flow).filter((s) => s.kind === 'import').map((s) => s.id);
  if (!importIds.length) throw new UsageError(`Flow "${flow.name}" has no import step, so it has no mapping to change.`);
  if (importQ) {
    const imp = await resolveImport(ctx.api, importQ);
    if (!importIds.includes(imp._id)) throw new UsageError(`Import "${imp.name}" is not a step of flow "${flow.name}"; its imports are ${importIds.join(', ')}.`);
    return { flow, imp };
  }
  if (importIds.length > 1) {
    const imps = await Promise.all(importIds.map((id) => ctx.api.imports.get(id, { signal: ctx.signal })));
    const names = imps.map((i) => `${i.name} (${i._id})`);
    throw new UsageError(`Flow "${flow.name}" has ${importIds.length} imports; say which one: ${names.join('; ')}.`, names);
  }
  return { flow, imp: await ctx.api.imports.get(importIds[0], { signal: ctx.signal }) };
}

function sameSource(m: FlatMapping | undefined, a: AppliedChange): boolean {
  if (a.op === 'remove') return !m;
  if (!m) return false;
  const now = m.extract ?? (m.hardCodedValue !== undefined ? `"${m.hardCodedValue}" (fixed)` : undefined);
  return now === a.after;
}

/**
 * Changes field mappings of a flow's import: preview on a sample record, back up, read-modify-write,
 * read back and verify. `dryRun` stops after the preview.
 */
export async function updateMapping(ctx: OpContext, input: UpdateMappingInput): Promise<UpdateMappingReport> {
  const { api, signal } = ctx;
  const { flow, imp } = await importOfFlow(ctx, input.flow, input.import);
  const { doc: next, format, applied } = applyMappingChanges(imp as Import, input.changes);

  let sample: Record<string, unknown> | undefined = input.sample;
  let sampleFrom: UpdateMappingReport['sample'] = sample ? 'given' : 'none';
  let sampleNote: string | undefined;
  if (!sample) {
    const source = flowSteps(flow).find((s) => s.role === 'source');
    if (source) {
      try {
        const rows = await sampleRecords(ctx, source.id);
        const first = rows[0];
        sample = (first && typeof first.record === 'object' && first.record ? first.record : first) as Record<string, unknown> | undefined;
        if (sample) sampleFrom = 'export';
        else sampleNote = 'the source export returned no records';
      } catch (err) {
        sampleNote = `could not fetch a sample from the source export: ${(err as Error).message}`;
      }
    }
  }
  const warnings: string[] = [];
  let preview: UpdateMappingReport['preview'];
  if (sample) {
    const p = previewMapping(next, sample);
    preview = { output: p.output, missingSources: p.missingSources };
    const touched = new Set(applied.filter((a) => a.op !== 'remove').map((a) => a.generate));
    for (const f of p.fields) {
      if (f.missing && f.extract && touched.has(f.generate)) warnings.push(`source field ${f.extract} (for ${f.generate}) is not in the sample record`);
    }
    const others = p.fields.filter((f) => f.missing && f.extract && !touched.has(f.generate));
    if (others.length) warnings.push(`${plural(others.length, 'other mapped source field')} not in the sample: ${others.slice(0, 10).map((f) => f.extract).join(', ')}`);
  } else warnings.push(`no sample record to check the mapping against${sampleNote ? ` (${sampleNote})` : ''}; pass sample to check it`);

  const base = {
    flowId: flow._id,
    flowName: flow.name,
    importId: imp._id,
    importName: imp.name,
    format,
    applied,
    sample: sampleFrom,
    sampleNote,
    preview,
    warnings,
    problems: [] as string[],
  };
  const changeText = applied.map((a) => `${a.op} ${a.generate}${a.before ? ` (was ${a.before})` : ''}${a.after ? ` <- ${a.after}` : ''}`);
  if (input.dryRun) {
    return { ...base, dryRun: true, written: false, mappings: listMappings(next), summary: `Dry run on ${imp.name}: ${changeText.join('; ')}. Nothing was written.${warnings.length ? ` ${plural(warnings.length, 'warning')}.` : ''}` };
  }

  await mustConfirm(ctx, makePlan(`Update the mapping of import ${imp.name} in flow ${flow.name}`, [...changeText, ...warnings.map((w) => `warning: ${w}`)], { id: imp._id, lm: imp.lastModified, changes: input.changes }), 'change');
  const bk = await backup(ctx, [{ type: 'import', id: imp._id }], `update_mapping on ${imp.name}: ${changeText.join('; ')}`.slice(0, 300));
  const written = await api.imports
    .update(imp._id, (cur) => ({ ...(structuredClone(next) as typeof cur), _id: cur._id }), { expectLastModified: imp.lastModified, signal })
    .catch((err: unknown) => {
      throw signal?.aborted ? err : gaveUp(err, `The mapping of import ${imp.name} was NOT changed: writing it failed (${(err as Error).message})`,
        `Nothing was written; backup ${bk.id} holds the import as it is. Try update_mapping again in a few minutes.`);
    });
  await recordChanged(ctx, bk.id, { type: 'import', id: imp._id }, written);

  const readBack = await api.imports.get(imp._id, { signal });
  const now = listMappings(readBack);
  const problems: string[] = [];
  for (const a of applied) {
    const m = now.find((x) => x.generate === a.generate);
    if (!sameSource(m, a)) problems.push(`${a.generate}: expected ${a.op === 'remove' ? 'no mapping' : a.after}, found ${m ? (m.extract ?? m.hardCodedValue ?? 'a nested mapping') : 'no mapping'}`);
  }
  const summary =
    `Updated the mapping of ${imp.name}: ${changeText.join('; ')}. ` +
    (problems.length ? `Read-back found ${plural(problems.length, 'problem')}. ` : 'Verified by reading it back. ') +
    `Undo with restore_backup ${bk.id}.`;
  return { ...base, problems, dryRun: false, written: true, backupId: bk.id, verified: problems.length === 0, mappings: now, summary };
}
