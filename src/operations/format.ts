// Compact text for models: TSV tables with a "Showing N of M" line, or compact JSON. No SDK here.
import { z } from 'zod';
import { paginate, pickFields, type Paged } from '../ops/project.js';
import type { ToolResult } from './types.js';

function cell(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.join(',');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v).replace(/[\t\n\r]+/g, ' ');
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
    limit: z.number().int().min(1).max(500).optional().describe('Rows per page, 1-500 (default 50)'),
    cursor: z.string().optional().describe('nextCursor from the previous page'),
  };
}

/** A page of rows as a TSV table with total/truncated, plus structured metadata. */
export function listResult<T extends Record<string, unknown>>(
  noun: string,
  rows: T[],
  args: { fields?: string[]; limit?: number; cursor?: string },
  allowed: readonly string[],
  columns?: string[],
): ToolResult {
  const projected = pickFields(rows, args.fields, allowed) as Record<string, unknown>[];
  const page: Paged<Record<string, unknown>> = paginate(projected, { limit: args.limit, cursor: args.cursor });
  const cols = args.fields?.length ? args.fields : (columns ?? [...allowed]).filter((c) => page.items.some((r) => r[c] !== undefined));
  const head =
    page.total === 0
      ? `No ${noun} found.`
      : `Showing ${page.items.length} of ${page.total} ${noun}` +
        (page.truncated ? ` (truncated; pass cursor "${page.nextCursor}" for more).` : '.');
  return {
    text: page.items.length ? `${head}\n${tsv(page.items, cols)}` : head,
    structured: { total: page.total, truncated: page.truncated, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) },
  };
}

/** An object as compact JSON with a one-line heading. */
export function objectResult(heading: string, value: unknown): ToolResult {
  const text = json(value);
  const limit = 60_000;
  return {
    text: `${heading}\n${text.length > limit ? text.slice(0, limit) + ' …(truncated: ask for fewer fields or a narrower object)' : text}`,
  };
}


export const READ = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true } as const;

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
