// Compact text for models: TSV tables with a "Showing N of M" line, or compact JSON. No SDK here.
import { z } from 'zod';
import { paginate, pickFields, type Paged } from '../ops/project.js';
import { wholeNumber } from './args.js';
import { CELL_MAX, capCell, capText, RESULT_BUDGET, ROWS_BUDGET } from './fit.js';
import type { ToolResult } from './types.js';

function cell(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return capCell(v.join(','));
  if (typeof v === 'object') return capCell(JSON.stringify(v));
  return capCell(String(v).replace(/[\t\n\r]+/g, ' '));
}

/** A row for structuredContent: the same values as its TSV line, long strings cut the same way. */
function rowOf(r: Record<string, unknown>, cols: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of cols) {
    const v = r[c];
    if (v === undefined) continue;
    out[c] = typeof v === 'string' ? capCell(v) : v !== null && typeof v === 'object' && JSON.stringify(v).length > CELL_MAX ? capCell(JSON.stringify(v)) : v;
  }
  return out;
}

/** A TSV table: header row, then one row per item. */
export function tsv(rows: Record<string, unknown>[], columns?: string[]): string {
  if (rows.length === 0) return '';
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return [cols.join('\t'), ...rows.map((r) => cols.map((c) => cell(r[c])).join('\t'))].join('\n');
}

export function json(v: unknown): string {
  return JSON.stringify(v);
}

/** Shared list arguments: fields, limit, cursor. */
// `fields` is a plain string list (not an enum): the valid names are the columns of the result, and a
// wrong one is answered with the list. An enum would repeat every column name in every tools/list.
export function listArgs(_fields?: readonly string[]) {
  return {
    fields: z.array(z.string()).optional().describe('Columns, e.g. ["id","name"]'),
    limit: wholeNumber(1, 500).optional().describe('Rows per page (default 50)'),
    cursor: z.string().optional().describe('A nextCursor value'),
  };
}

/**
 * What every list tool returns as structuredContent: the rows of its text, and how many exist. Not
 * declared as each tool's outputSchema (about 200 bytes each in every tools/list, where the default
 * configuration has 20,000); the server's instructions state it once, and test/mcp/large-results.test.ts
 * holds every list tool to it.
 */
export const LIST_OUTPUT = {
  total: z.number().min(0),
  truncated: z.boolean(),
  nextCursor: z.string().optional(),
  rows: z.array(z.unknown()),
};

/**
 * A page of rows as a TSV table with total/truncated, and the same rows in the structured part. A page
 * holds at most `limit` rows and at most ROWS_BUDGET characters of them (so text plus structured stay
 * within the result budget); a cut page says so and gives the cursor of the next row.
 */
export function listResult<T extends Record<string, unknown>>(
  noun: string,
  rows: T[],
  args: { fields?: string[]; limit?: number; cursor?: string },
  allowed: readonly string[],
  columns?: string[],
  /** The list's size when `rows` holds only its start (up to the end of this page). */
  total?: number,
): ToolResult {
  const projected = pickFields(rows, args.fields, allowed) as Record<string, unknown>[];
  const present = (args.fields?.length ? args.fields : (columns ?? [...allowed])).filter((c) => projected.some((r) => r[c] !== undefined));
  // Only the rows of the page are shaped: a list of 50,000 rows costs one pass, not one per row.
  const page: Paged<Record<string, unknown>> = paginate(projected, { limit: args.limit, cursor: args.cursor, maxChars: ROWS_BUDGET, shape: (r) => rowOf(r, present), total });
  const cols = present.filter((c) => page.items.some((r) => r[c] !== undefined));
  const head =
    page.total === 0
      ? `No ${noun} found.`
      : `Showing ${page.items.length} of ${page.total} ${noun}` +
        (page.truncated ? ` (truncated; pass cursor "${page.nextCursor}" for more).` : '.');
  return {
    text: page.items.length ? `${head}\n${tsv(page.items, cols)}` : head,
    structured: { total: page.total, truncated: page.truncated, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}), rows: page.items },
  };
}

/** An object as compact JSON with a one-line heading, cut to the result budget. */
export function objectResult(heading: string, value: unknown): ToolResult {
  return { text: capText(`${heading}\n${json(value)}`, RESULT_BUDGET - 2_000) };
}


export const READ = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true } as const;
/** A read of celigo-manage's own records (backups, the change log): it asks nothing of the account. */
export const LOCAL_READ = { ...READ, openWorldHint: false } as const;

/** 850ms, 4.2s, 1m05s, 2h03m. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
