// The shape of a JSON value without its data: what `--record` writes and what
// `emulator --check-recording` compares. Shared by both so that a recording and an emulator answer are
// reduced by the same rules.
//
// A shape is one of:
//   "<string>" "<number>" "<boolean>" "<null>" "<date>" "<id>" "<text>"   a scalar of that type
//   "<id:7>"                                  an id, as a placeholder shared across the recording
//   "<date|null>"                             a union of scalar types (elements of one array differ)
//   "replace"                                 a literal, kept only for a fixed vocabulary (recording.ts)
//   { key: Shape, … }                         an object, keys kept
//   { "<array>": 3, "of": Shape }             an array: its length and the merged shape of its elements
//   { "<anyOf>": [Shape, …] }                 elements of different kinds (object and array, say)

export type Shape = string | ShapeObject | ShapeArray | ShapeAnyOf;
export interface ShapeObject {
  [key: string]: Shape;
}
export interface ShapeArray {
  '<array>': number;
  of?: Shape;
}
export interface ShapeAnyOf {
  '<anyOf>': Shape[];
}

/** A JSON path as segments: keys and array indexes. */
export type JsonPath = (string | number)[];

const ISO_DATE = /^\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?$/;
export function isDateString(s: string): boolean {
  return ISO_DATE.test(s) && !Number.isNaN(Date.parse(s));
}

export function isArrayShape(s: Shape): s is ShapeArray {
  return typeof s === 'object' && s !== null && '<array>' in s;
}
export function isAnyOf(s: Shape): s is ShapeAnyOf {
  return typeof s === 'object' && s !== null && '<anyOf>' in s;
}
export function isObjectShape(s: Shape): s is ShapeObject {
  return typeof s === 'object' && s !== null && !isArrayShape(s) && !isAnyOf(s);
}

/** Type names of a scalar shape: "<date|null>" → [date, null]; "<id:3>" → [id]; a literal → [string]. */
export function scalarTypes(s: string): string[] {
  const m = /^<([a-z|]+)(?::\d+)?>$/.exec(s);
  return m ? m[1].split('|') : ['string'];
}

function unionMarker(types: Iterable<string>): string {
  return `<${[...new Set(types)].sort().join('|')}>`;
}

/** What a string becomes in a shape when the caller has nothing more specific to say. */
export type StringHook = (value: string, path: JsonPath, key: string | undefined, parentKey: string | undefined) => string | undefined;
export type KeyHook = (key: string) => string;

export interface ShapeOptions {
  /** Decides a string's marker (ids, literals); return undefined for the default (<date> or <string>). */
  string?: StringHook;
  /** Rewrites an object key (an id used as a key). */
  key?: KeyHook;
}

/** The shape of a parsed JSON value. */
export function shapeOf(value: unknown, opts: ShapeOptions = {}, path: JsonPath = [], key?: string, parentKey?: string): Shape {
  if (value === null || value === undefined) return '<null>';
  switch (typeof value) {
    case 'string':
      return opts.string?.(value, path, key, parentKey) ?? (isDateString(value) ? '<date>' : '<string>');
    case 'number':
      return '<number>';
    case 'boolean':
      return '<boolean>';
    case 'object': {
      if (Array.isArray(value)) {
        let of: Shape | undefined;
        value.forEach((v, i) => {
          const s = shapeOf(v, opts, [...path, i], key, parentKey);
          of = of === undefined ? s : mergeShapes(of, s);
        });
        return of === undefined ? { '<array>': 0 } : { '<array>': value.length, of };
      }
      const out: ShapeObject = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const outKey = opts.key ? opts.key(k) : k;
        const s = shapeOf(v, opts, [...path, k], k, key);
        out[outKey] = outKey in out ? mergeShapes(out[outKey], s) : s;
      }
      return out;
    }
    default:
      return '<string>';
  }
}

type Kind = 'scalar' | 'object' | 'array';
function kindOf(s: Shape): Kind {
  return typeof s === 'string' ? 'scalar' : isArrayShape(s) ? 'array' : 'object';
}

/** One shape covering both (the merged shape of two array elements). */
export function mergeShapes(a: Shape, b: Shape): Shape {
  if (isAnyOf(a) || isAnyOf(b)) {
    const parts = [...(isAnyOf(a) ? a['<anyOf>'] : [a]), ...(isAnyOf(b) ? b['<anyOf>'] : [b])];
    return anyOf(parts);
  }
  const ka = kindOf(a);
  if (ka !== kindOf(b)) return anyOf([a, b]);
  if (ka === 'scalar') {
    const sa = a as string;
    const sb = b as string;
    if (sa === sb) return sa;
    return unionMarker([...scalarTypes(sa), ...scalarTypes(sb)]);
  }
  if (ka === 'array') {
    const x = a as ShapeArray;
    const y = b as ShapeArray;
    const of = x.of === undefined ? y.of : y.of === undefined ? x.of : mergeShapes(x.of, y.of);
    const n = Math.max(x['<array>'], y['<array>']);
    return of === undefined ? { '<array>': n } : { '<array>': n, of };
  }
  const out: ShapeObject = { ...(a as ShapeObject) };
  for (const [k, v] of Object.entries(b as ShapeObject)) out[k] = k in out ? mergeShapes(out[k], v) : v;
  return out;
}

/** At most one member per kind (scalar, object, array), each the merge of its kind. */
function anyOf(parts: Shape[]): Shape {
  const by = new Map<Kind, Shape>();
  for (const p of parts) {
    const k = kindOf(p);
    const prev = by.get(k);
    by.set(k, prev === undefined ? p : mergeShapes(prev, p));
  }
  const members = [...by.values()];
  return members.length === 1 ? members[0] : { '<anyOf>': members };
}

// ---- comparison ----

export interface ShapeDifference {
  kind: 'missing' | 'extra' | 'type';
  /** Where, e.g. `errors[].traceKey`; empty for the body itself. */
  where: string;
  /** Type names on each side, for kind "type". */
  recorded?: string;
  actual?: string;
}

/** Families that count as the same type: ids, dates and literals are strings. */
function family(t: string): string {
  return t === 'id' || t === 'date' ? 'string' : t;
}

function variants(s: Shape): Map<string, Shape> {
  const out = new Map<string, Shape>();
  for (const p of isAnyOf(s) ? s['<anyOf>'] : [s]) {
    if (typeof p === 'string') for (const t of scalarTypes(p)) out.set(family(t), p);
    else out.set(isArrayShape(p) ? 'array' : 'object', p);
  }
  return out;
}

function join(where: string, key: string): string {
  const k = /^[A-Za-z_$][\w$-]*$/.test(key) || key.startsWith('<') ? key : JSON.stringify(key);
  return where ? `${where}.${k}` : k;
}

/**
 * Where `actual` differs from `recorded`: keys the recording has and the answer lacks (missing), keys
 * only the answer has (extra), and types with nothing in common. An empty array matches any array.
 */
export function compareShapes(recorded: Shape, actual: Shape, where = ''): ShapeDifference[] {
  const r = variants(recorded);
  const a = variants(actual);
  const common = [...r.keys()].filter((k) => a.has(k));
  if (!common.length) return [{ kind: 'type', where, recorded: [...r.keys()].join('|'), actual: [...a.keys()].join('|') }];
  const out: ShapeDifference[] = [];
  if (common.includes('object')) {
    const ro = r.get('object') as ShapeObject;
    const ao = a.get('object') as ShapeObject;
    for (const k of Object.keys(ro)) {
      if (!(k in ao)) out.push({ kind: 'missing', where: join(where, k) });
      else out.push(...compareShapes(ro[k], ao[k], join(where, k)));
    }
    for (const k of Object.keys(ao)) if (!(k in ro)) out.push({ kind: 'extra', where: join(where, k) });
  }
  if (common.includes('array')) {
    const ra = r.get('array') as ShapeArray;
    const aa = a.get('array') as ShapeArray;
    if (ra.of !== undefined && aa.of !== undefined) out.push(...compareShapes(ra.of, aa.of, `${where}[]`));
  }
  return out;
}

/** One line per difference: "missing key a.b", "extra key c", "type string vs number at a.b". */
export function describeDifference(d: ShapeDifference): string {
  if (d.kind === 'missing') return `missing key ${d.where}`;
  if (d.kind === 'extra') return `extra key ${d.where}`;
  return `type ${d.recorded} vs ${d.actual}${d.where ? ` at ${d.where}` : ''}`;
}

/** The value at a path of a parsed JSON value (undefined when the path leads nowhere). */
export function valueAt(value: unknown, path: JsonPath): unknown {
  let v = value;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}
