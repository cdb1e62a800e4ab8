// Tables on a terminal: borderless cli-table3, every column measured in display columns (string-width:
// a CJK character or an emoji takes two) and shrunk in an order that keeps what people read. At a
// narrow width ids and times go before names: a 24-hex id shows its last 8 characters ("…c000009fb"), a
// time its month, day, hour and minute ("12-02 00:25Z"); TSV and --json always keep whole values. Cells
// arrive stripped of control characters (cellText).
import { createRequire } from 'node:module';
import type { Colors } from '../operations/types.js';

type TableCtor = new (opts: Record<string, unknown>) => { push(...rows: string[][]): void; toString(): string };
let TableClass: TableCtor | undefined;
let widthOf: ((s: string) => number) | undefined;
const NO_BORDER = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ',
};

/**
 * Columns shown on a terminal, in the order they give up width:
 * - `fixed`: never cut (ids that are not Celigo ids, e.g. backup ids: the only way to name one);
 * - `id`: a Celigo id, whole or its last 8 characters;
 * - `time`: a time as the table writes it ("2026-12-02 00:25:03Z"), whole or "12-02 00:25Z";
 * - `other`: dates, counts, states, schedules;
 * - `name`: names of flows, integrations, steps, connections;
 * - `text`: messages, patterns, reasons: what a person reads the table for.
 */
export type ColumnKind = 'fixed' | 'id' | 'time' | 'other' | 'name' | 'text';

const ID_KEY = /^(id|_id)$|Id$|^job$/;
const TEXT_KEY = /message|pattern|reason|summary|cause|fix|description|detail|problem|error$/i;
const NAME_KEY = /name|^flow$|^integration$|^step$|^connection$|^export$|^import$|^target$|^title$/i;
const CELIGO_ID = /^[0-9a-f]{24}$/i;
const TIME = /^\d{4}-(\d\d-\d\d \d\d:\d\d)(?::\d\d)?Z$/;
/** Width of a shortened id (an ellipsis and the last 8 characters) and of a shortened time. */
export const SHORT_ID = 9;
export const SHORT_TIME = 12;

export function columnKind(key: string, values: readonly string[]): ColumnKind {
  const present = values.filter((v) => v !== '');
  if (ID_KEY.test(key)) return present.some((v) => !CELIGO_ID.test(v)) ? 'fixed' : 'id';
  if (present.length && present.every((v) => TIME.test(v))) return 'time';
  if (TEXT_KEY.test(key)) return 'text';
  if (NAME_KEY.test(key)) return 'name';
  return 'other';
}

/** Display width of a string (escape sequences do not count). */
export function displayWidth(s: string): number {
  widthOf ??= createRequire(import.meta.url)('string-width') as (s: string) => number;
  return widthOf(s);
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The string cut to `width` display columns with "…", never inside a character or a grapheme. */
export function cutToWidth(s: string, width: number): string {
  if (displayWidth(s) <= width) return s;
  let out = '';
  let used = 0;
  for (const { segment } of segmenter.segment(s)) {
    const w = displayWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return out + '…';
}

/** An id or a time in its short form when the column is narrower than the value. */
export function shortForm(kind: 'id' | 'time', value: string, width: number): string {
  if (displayWidth(value) <= width) return value;
  return kind === 'id' ? `…${value.slice(-(SHORT_ID - 1))}` : value.replace(TIME, '$1Z');
}

/**
 * The stages of shrinking: each brings the columns of some kinds down to a floor, widest first, and
 * stops as soon as the row fits. Ids and times (stage 2) take their short form before anything falls
 * below a readable width; short columns (counts, states) then give up their headers' width down to
 * their values'; names and messages give up width last. `value` is the widest cell of the column.
 */
type Floor = (c: { natural: number; value: number }) => number;
const ORDER: { kinds: ColumnKind[]; floor: Floor }[] = [
  { kinds: ['other'], floor: () => 12 },
  { kinds: ['other', 'name', 'text'], floor: () => 24 },
  { kinds: ['text'], floor: () => 32 },
  { kinds: ['id', 'time'], floor: () => 0 },
  { kinds: ['other'], floor: () => 8 },
  { kinds: ['name'], floor: () => 12 },
  { kinds: ['other'], floor: (c) => Math.max(5, c.value) },
  { kinds: ['text'], floor: () => 12 },
  { kinds: ['name', 'text', 'other'], floor: () => 8 },
];

/**
 * Column widths that fit `width` (two spaces between columns), shrunk stage by stage (see ORDER); an id
 * or time column goes straight to its short form. `values` are the widest cells (default: natural).
 */
export function fitWidths(natural: readonly number[], width: number, kinds: readonly ColumnKind[] = [], values: readonly number[] = natural): number[] {
  const w = [...natural];
  const total = () => w.reduce((a, b) => a + b, 0) + 2 * (w.length - 1);
  for (const stage of ORDER) {
    if (total() <= width) break;
    const cols = w.map((_, i) => i).filter((i) => stage.kinds.includes(kinds[i] ?? 'other'));
    const floorOf = (i: number) => Math.min(w[i], stage.floor({ natural: natural[i], value: values[i] }));
    if (stage.kinds.includes('id')) {
      // Short forms are all or nothing, the widest column first.
      for (const i of cols.sort((a, b) => w[b] - w[a])) if (total() > width) w[i] = Math.min(w[i], kinds[i] === 'id' ? SHORT_ID : SHORT_TIME);
      continue;
    }
    while (total() > width) {
      let i = -1;
      for (const j of cols) if (w[j] > floorOf(j) && (i < 0 || w[j] > w[i])) i = j;
      if (i < 0) break;
      w[i]--;
    }
  }
  return w;
}

/** Header text of a column key: "openErrors" → "OPEN ERRORS", "durationMs" → "DURATION". */
function heading(key: string, headers: Record<string, string>): string {
  return (headers[key] ?? key.replace(/(.)Ms$/, '$1').replace(/([a-z])([A-Z])/g, '$1 $2')).toUpperCase();
}

/** A borderless cli-table3 table of cell texts, columns fitted to the terminal width. */
export function renderCells(texts: string[][], cols: readonly string[], c: Colors, width: number, o: { headers?: Record<string, string>; colour?: (col: string, text: string) => string } = {}): string {
  TableClass ??= createRequire(import.meta.url)('cli-table3') as TableCtor;
  const heads = cols.map((k) => heading(k, o.headers ?? {}));
  const kinds = cols.map((k, i) => columnKind(k, texts.map((t) => t[i])));
  const values = cols.map((_, i) => Math.max(0, ...texts.map((t) => displayWidth(t[i]))));
  const natural = values.map((v, i) => Math.max(displayWidth(heads[i]), v));
  const capped = natural.map((n, i) => (['fixed', 'id', 'time'].includes(kinds[i]) ? n : Math.min(60, n)));
  const fitted = fitWidths(capped, Math.max(40, width), kinds, values);
  const cell = (s: string, i: number) => {
    const k = kinds[i];
    return cutToWidth(s && (k === 'id' || k === 'time') ? shortForm(k, s, fitted[i]) : s, fitted[i]);
  };
  const table = new TableClass({
    head: heads.map((h, i) => c.bold(cutToWidth(h, fitted[i]))),
    colWidths: fitted,
    wordWrap: false,
    truncate: '…',
    chars: NO_BORDER,
    style: { 'padding-left': 0, 'padding-right': 0, head: [], border: [], compact: true },
  });
  for (const t of texts) table.push(t.map((s, i) => (o.colour ? o.colour(cols[i], cell(s, i)) : cell(s, i))));
  return table.toString().split('\n').map((l) => l.trimEnd()).join('\n');
}
