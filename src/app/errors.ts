// The one error presenter of both front ends: what went wrong and what to do, as data (the CLI prints it
// as one line or JSON, the MCP server as the text of an isError result). Never a stack, never a raw body.
import { CeligoApiError, ConflictError, MissingTokenError, UnexpectedShapeError, UsageError, describeError } from '../core/errors.js';
import { stripControls } from '../core/control-chars.js';

export interface ErrorInfo {
  message: string;
  fix?: string;
  type: string;
  status?: number;
  code?: string;
  fields?: { field?: string; message: string }[];
  candidates?: string[];
}

/** A run without spaces that long is an echoed argument, not prose (paths and ids are far shorter). */
const LONG_WORD = /\S{201,}/g;
const MAX_TEXT = 4000;

/**
 * An error line stays readable whatever the input was: escape sequences and control characters (from
 * the API or echoed input) are removed, an echoed argument (a run of 200+ characters without a space)
 * is cut to its start and length, and the whole stays under 4000 characters.
 */
export function boundMessage(text: string): string {
  const out = stripControls(text, { lines: true }).replace(LONG_WORD, (w) => `${Array.from(w).slice(0, 100).join('')}… (${w.length} characters)`);
  return out.length > MAX_TEXT ? `${Array.from(out.slice(0, MAX_TEXT)).slice(0, -1).join('')}… (message truncated)` : out;
}

function zodIssue(err: unknown): string | undefined {
  const issues = (err as { issues?: { path?: PropertyKey[]; message?: string }[] } | null)?.issues;
  if (!(err instanceof Error) || err.name !== 'ZodError' || !Array.isArray(issues) || !issues.length) return undefined;
  const first = issues[0]!;
  const where = first.path?.length ? first.path.map(String).join('.') : '(root)';
  return `Internal error: unexpected data shape at ${where}: ${first.message ?? 'invalid'}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`;
}

function rawInfo(err: unknown): ErrorInfo {
  if (err instanceof CeligoApiError) {
    return {
      type: 'api',
      message: err.summary,
      fix: err.remedy,
      status: err.status,
      code: err.code,
      ...(err.fieldErrors.length ? { fields: err.fieldErrors.map((f) => ({ field: f.field, message: f.message })) } : {}),
    };
  }
  if (err instanceof MissingTokenError) return { type: 'auth', message: err.message };
  if (err instanceof UsageError) return { type: 'usage', message: err.message, ...(err.candidates ? { candidates: err.candidates } : {}) };
  if (err instanceof ConflictError) return { type: 'conflict', message: err.message };
  if (err instanceof UnexpectedShapeError) return { type: 'api_shape', message: err.message };
  // The backup store (store/db-errors.ts): where and what to do, never the database URL or its password.
  if (err instanceof Error && err.name === 'StoreError') return { type: 'store', message: err.message };
  if (err instanceof Error && (err.name === 'Cancelled' || err.name === 'AbortError')) {
    return { type: 'cancelled', message: err.name === 'AbortError' ? 'Cancelled; nothing further was changed.' : err.message };
  }
  const shape = zodIssue(err);
  if (shape) return { type: 'internal', message: shape };
  return { type: 'internal', message: `Internal error: ${describeError(err).split('\n')[0]}` };
}

/** What went wrong and the fix, bounded and free of stacks and of control characters. */
export function presentError(err: unknown): ErrorInfo {
  const info = rawInfo(err);
  return {
    ...info,
    message: boundMessage(info.message),
    ...(info.fix ? { fix: boundMessage(info.fix) } : {}),
    ...(info.code ? { code: stripControls(info.code) } : {}),
    ...(info.fields ? { fields: info.fields.map((f) => ({ ...(f.field ? { field: stripControls(f.field) } : {}), message: boundMessage(f.message) })) } : {}),
    ...(info.candidates ? { candidates: info.candidates.map((c) => stripControls(c)) } : {}),
  };
}

/** One safe line for a model: the message, and for an ambiguous name the candidates (at most 20). */
export function describeForModel(err: unknown): string {
  const info = rawInfo(err);
  const c = info.candidates ?? [];
  if (!c.length) return info.message;
  const more = c.length > 20 ? `, ... (${c.length} in all)` : '';
  return `${info.message} Candidates: ${c.slice(0, 20).join(', ')}${more}.`;
}
