// Small results for models and people: pick fields, page with a cursor, stay under a size budget.
import { UsageError } from '../core/errors.js';

/** About 20k tokens: the largest text a tool may return. */
export const MAX_RESULT_CHARS = 60_000;

export interface Paged<T> {
  items: T[];
  total: number;
  truncated: boolean;
  /** Give this back as `cursor` for the next page. */
  nextCursor?: string;
}

export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  const m = /^o:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw new UsageError('Invalid cursor: pass back the nextCursor value of the previous result unchanged.');
  return Number(m[1]);
}

/** Keep only `fields` (validated against `allowed`). */
export function pickFields<T extends Record<string, unknown>>(rows: T[], fields: string[] | undefined, allowed: readonly string[]): Partial<T>[] {
  if (!fields || fields.length === 0) return rows;
  const bad = fields.filter((f) => !allowed.includes(f));
  if (bad.length) throw new UsageError(`Unknown field(s): ${bad.join(', ')}. Valid fields: ${allowed.join(', ')}.`);
  return rows.map((r) => Object.fromEntries(fields.map((f) => [f, r[f]])) as Partial<T>);
}

/** Rows a page holds at most: its limit (default 50), from 1 to 1000. */
export function pageRows(limit: number | undefined): number {
  return Math.max(1, Math.min(limit ?? 50, 1000));
}

/**
 * One page of `rows` from `cursor`, at most `limit` rows and at most `maxChars` of compact JSON. `shape`,
 * when given, turns each row into what the page holds, for the rows of the page only.
 */
/**
 * A page of `rows` from the cursor's offset, cut to `limit` rows and `maxChars`. `total`: the list holds
 * this many, of which `rows` is the start (a list that kept only the rows up to the end of this page).
 */
export function paginate<T, U = T>(rows: T[], opts: { limit?: number; cursor?: string; maxChars?: number; shape?: (row: T) => U; total?: number } = {}): Paged<U> {
  const offset = decodeCursor(opts.cursor);
  const limit = pageRows(opts.limit);
  const budget = opts.maxChars ?? MAX_RESULT_CHARS;
  const shape = opts.shape ?? ((r: T) => r as unknown as U);
  const items: U[] = [];
  let size = 2;
  for (let i = offset; i < rows.length && items.length < limit; i++) {
    const row = shape(rows[i]!);
    const len = JSON.stringify(row).length + 1;
    if (items.length > 0 && size + len > budget) break;
    items.push(row);
    size += len;
  }
  const end = offset + items.length;
  const total = Math.max(opts.total ?? rows.length, rows.length);
  const truncated = end < total;
  return { items, total, truncated, nextCursor: truncated ? encodeCursor(end) : undefined };
}

/** Drop undefined values and empty strings so compact JSON stays compact. */
export function compact<T extends Record<string, unknown>>(row: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) if (v !== undefined && v !== '' && v !== null) out[k] = v;
  return out as T;
}
