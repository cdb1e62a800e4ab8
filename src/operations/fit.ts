// Every result fits a context window (issue 12 item 2): content plus structuredContent at most 25,000
// characters, whatever the account's size. Lists and workflow summaries are bounded where they are built
// (a page of rows, the top N with a cursor or filter for the rest); this is the net under them.
import type { ToolResult } from './types.js';

/** Content plus structuredContent of one tool result, at most (about 6,000 tokens). */
export const RESULT_BUDGET = 25_000;
/** What a list's rows may take as JSON: their TSV in the text takes less, so a page stays under budget. */
export const ROWS_BUDGET = 11_000;
/** The longest cell or string value shown; longer ones are cut with "…". */
export const CELL_MAX = 400;

const CUT = '\n…(cut to fit the result budget: narrow the call with a filter, fewer fields or a cursor)';

/** `text` cut to at most `max` characters, saying so. */
export function capText(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, Math.max(0, max - CUT.length)) + CUT;
}

/** A string value cut to CELL_MAX characters. */
export function capCell(v: string): string {
  return v.length <= CELL_MAX ? v : `${v.slice(0, CELL_MAX - 1)}…`;
}

/**
 * The result within RESULT_BUDGET, with `tail` (its next steps) kept whole after the text: the text is
 * cut first; a structured part still too large is dropped when the tool declares no output schema (the
 * text says what it held). A tool with an output schema bounds its structured part where it is built.
 */
export function fitResult(r: ToolResult, hasOutputSchema: boolean, tail = ''): ToolResult {
  const sLen = r.structured ? JSON.stringify(r.structured).length : 0;
  if (r.text.length + tail.length + sLen <= RESULT_BUDGET) return { ...r, text: r.text + tail };
  if (sLen <= RESULT_BUDGET / 2 || hasOutputSchema) return { ...r, text: capText(r.text, Math.max(2_000, RESULT_BUDGET - sLen - tail.length)) + tail };
  const { structured: _dropped, ...rest } = r;
  return { ...rest, text: capText(r.text, RESULT_BUDGET - tail.length) + tail };
}
