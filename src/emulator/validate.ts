// Request bodies are checked with the shared zod schemas (src/core/schemas.ts); a failure answers 422 with
// one envelope entry per field (celigo-api.md §1.5).
import type { z } from 'zod';
import { ApiError, type ErrorEntry } from './respond.js';

function valueAt(body: unknown, path: PropertyKey[]): unknown {
  let v: unknown = body;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k as string];
  }
  return v;
}

export function zodEntries(error: z.ZodError, body: unknown): ErrorEntry[] {
  const seen = new Set<string>();
  const out: ErrorEntry[] = [];
  for (const issue of error.issues) {
    const field = issue.path.map(String).join('.');
    if (seen.has(field)) continue;
    seen.add(field);
    const missing = field !== '' && valueAt(body, issue.path) === undefined;
    let message: string;
    if (missing) message = `\`${field}\` is required`;
    else if (!field) message = issue.message;
    else if (/^[a-z]/.test(issue.message)) message = `\`${field}\` ${issue.message}`;
    else message = `\`${field}\`: ${issue.message}`;
    out.push({ code: 'invalid_field', message, ...(field ? { field } : {}) });
  }
  return out;
}

/** Parses a JSON-object body with a schema, or throws 422. */
export function validateBody<T>(schema: z.ZodType<T>, body: unknown): T {
  if (body === undefined) body = {};
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ApiError(422, 'invalid_field', 'The request body must be a JSON object.');
  }
  const r = schema.safeParse(body);
  if (!r.success) throw new ApiError(422, zodEntries(r.error, body));
  return r.data;
}

export function invalidRef(field: string, code = 'invalid_ref'): ErrorEntry {
  const leaf = field.split('.').pop() ?? field;
  return { code, message: `Invalid reference: ${leaf}`, field };
}

/** Query parameter dates: ISO with or without ms, a plain date, or epoch ms (celigo-api.md §1.8). */
export function parseDateParam(name: string, v: string, code = 'invalid_query'): number {
  let t: number;
  if (/^\d{10,}$/.test(v)) t = Number(v);
  else if (/^\d{4}-\d{2}-\d{2}$/.test(v)) t = Date.parse(`${v}T00:00:00.000Z`);
  else if (/^\d{4}-\d{2}-\d{2}T/.test(v)) t = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(v) ? v : `${v}Z`);
  else t = NaN;
  if (Number.isNaN(t)) throw new ApiError(400, code, `\`${name}\` must be an ISO-8601 date, a plain date or epoch milliseconds.`, name);
  return t;
}

export function parseIntParam(name: string, v: string, min: number, code = 'invalid_query_params'): number {
  if (!/^-?\d+$/.test(v)) throw new ApiError(400, code, `\`${name}\` must be an integer.`, name);
  const n = Number(v);
  if (n < min) throw new ApiError(400, code, `\`${name}\` must be at least ${min}.`, name);
  return n;
}
