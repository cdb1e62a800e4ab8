// Field changes (add, change, remove) applied to a copy of an import's mapping, in either format.
import { UsageError } from '../../core/errors.js';
import { listMappings, mappingFormat, type MappingDoc, type MappingFormat, type MappingNode } from './formats.js';

export interface MappingChange {
  op: 'add' | 'change' | 'remove';
  /** Target field; a dotted path reaches into 2.0 objects and arrays, or a 1.0 list ("item.quantity"). */
  generate: string;
  /** Source field path in the record ("customer.email" or "$.customer.email"). */
  extract?: string;
  hardCodedValue?: string;
}

function to2Extract(x: string): string {
  return x.startsWith('$') || x.includes('{{') ? x : `$.${x}`;
}
function to1Extract(x: string): string {
  return x.replace(/^\$\.?/, '');
}

function checkChange(c: MappingChange): void {
  if (!c.generate?.trim()) throw new UsageError('Each mapping change needs a generate (the target field).');
  const both = c.extract !== undefined && c.hardCodedValue !== undefined;
  if (both) throw new UsageError(`Mapping change for "${c.generate}": give extract or hardCodedValue, not both.`);
  if ((c.op === 'add' || c.op === 'change') && c.extract === undefined && c.hardCodedValue === undefined) {
    throw new UsageError(`Mapping change "${c.op} ${c.generate}" needs an extract (source field) or a hardCodedValue.`);
  }
}

function setSource(n: MappingNode, c: MappingChange, format: MappingFormat): void {
  if (c.extract !== undefined) {
    n.extract = format === '2.0' ? to2Extract(c.extract) : to1Extract(c.extract);
    delete n.hardCodedValue;
  } else if (c.hardCodedValue !== undefined) {
    n.hardCodedValue = c.hardCodedValue;
    delete n.extract;
  }
}

function describe(n: MappingNode | undefined): string | undefined {
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
function locate1(doc: MappingDoc, generate: string): { list: MappingNode[]; key: string } {
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
function locate2(doc: MappingDoc, generate: string, create: boolean): { list: MappingNode[]; key: string } | undefined {
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
  const copy = structuredClone(importDoc);
  // The same object, seen as far as its mapping goes: changed in place, returned as the copy.
  const doc = copy as MappingDoc;
  const format = mappingFormat(doc);
  const applied: AppliedChange[] = [];
  for (const c of changes) {
    checkChange(c);
    const loc = format === '1.0' ? locate1(doc, c.generate) : locate2(doc, c.generate, c.op === 'add');
    const idx = loc ? loc.list.findIndex((n) => n.generate === loc.key) : -1;
    const existing = loc && idx >= 0 ? loc.list[idx] : undefined;
    if (c.op === 'add') {
      if (existing) throw new UsageError(`"${c.generate}" is already mapped (from ${describe(existing) ?? 'a nested mapping'}); use op "change".`);
      const node: MappingNode = format === '2.0' ? { generate: loc!.key, dataType: 'string', status: 'Active' } : { generate: loc!.key };
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
  return { doc: copy, format, applied };
}
