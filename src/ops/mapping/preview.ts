// A sample record mapped through an import's mapping, flagging the source fields the record lacks.
import { mappingFormat, type MappingDoc, type MappingFormat, type MappingNode } from './formats.js';

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

function evalSource(n: MappingNode, record: unknown): { value?: unknown; missing?: boolean; expression?: boolean } {
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
  const d = importDoc as MappingDoc;
  const format = mappingFormat(importDoc);
  const output: Record<string, unknown> = {};
  const fields: PreviewField[] = [];
  const missing = new Set<string>();
  const add = (n: MappingNode, generate: string, res: ReturnType<typeof evalSource>) => {
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

  const walk = (nodes: MappingNode[] | undefined, scope: unknown, prefix: string, rel: string | undefined, target: Record<string, unknown>) => {
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

/** Paths kept per sample: enough for any record a mapping is checked against, bounded for huge ones. */
const MAX_SAMPLE_FIELDS = 200;

/**
 * The source fields a sample record offers, as mapping paths: `email`, `customer.first_name`,
 * `line_items[*].sku` (an array of objects by its first object). Leaves only, in record order.
 */
export function sampleFields(record: Record<string, unknown>): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: string, depth: number): void => {
    if (out.length >= MAX_SAMPLE_FIELDS) return;
    if (Array.isArray(v)) {
      const item = v.find((x) => x !== null && typeof x === 'object' && !Array.isArray(x));
      if (item && depth < 4) walk(item, `${path}[*]`, depth + 1);
      else out.push(path);
      return;
    }
    if (v !== null && typeof v === 'object' && depth < 4 && Object.keys(v).length) {
      for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k, depth + 1);
      return;
    }
    if (path) out.push(path);
  };
  walk(record, '', 0);
  return out;
}

/** Names shown in a preview's text; the rest are counted (the structured part has them all). */
export const SAMPLE_FIELDS_SHOWN = 30;

/** "Source fields in the sample (42): id, email, … and 12 more", for a preview's text. */
export function sampleFieldsLine(fields: readonly string[], shown = SAMPLE_FIELDS_SHOWN): string {
  if (!fields.length) return 'Source fields in the sample: none (the record is empty).';
  const more = fields.length - shown;
  return `Source fields in the sample (${fields.length}): ${fields.slice(0, shown).join(', ')}${more > 0 ? `, … and ${more} more` : ''}.`;
}
