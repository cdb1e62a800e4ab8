// A job's error file (celigo-api.md §6.1, IAD [O]): GET /jobs/{id}/errorFile/signedURL answers a signed S3
// URL; the file is downloaded without the token (HttpClient.download). Its format is not documented, so
// every plausible one is read: CSV with a header row, a JSON array, or JSON lines.
import type { HttpClient } from './http.js';
import { enc, type Call } from './resource.js';
import { UnexpectedShapeError, describeShape } from './errors.js';

export type ErrorFileRow = Record<string, string>;

/** The signed URL of a job's error file (`signedURL`; `signedUrl` and `url` are read too). */
export async function errorFileUrl(http: HttpClient, jobId: string, call: Call = {}): Promise<string> {
  const path = `/jobs/${enc(jobId)}/errorFile/signedURL`;
  const res = await http.request('GET', path, { signal: call.signal });
  const b = res.body as Record<string, unknown> | undefined;
  const url = b && typeof b === 'object' ? (b.signedURL ?? b.signedUrl ?? b.url) : typeof b === 'string' ? b : undefined;
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) throw new UnexpectedShapeError(`GET ${path}`, '{signedURL}', describeShape(b));
  return url;
}

/** One CSV record per line, RFC 4180 quoting (quoted fields may hold commas, quotes and newlines). */
function csvRecords(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows.filter((r) => r.some((c) => c !== ''));
}

const asRow = (v: unknown): ErrorFileRow =>
  Object.fromEntries(Object.entries(v && typeof v === 'object' ? v : {}).map(([k, x]) => [k, typeof x === 'string' ? x : JSON.stringify(x)]));

/** The rows of an error file, whatever its format (CSV with a header, a JSON array, JSON lines). */
export function parseErrorFile(text: string): { format: 'csv' | 'json' | 'jsonl'; rows: ErrorFileRow[] } {
  const t = text.replace(/^\uFEFF/, '').trim();
  if (!t) return { format: 'csv', rows: [] };
  if (t.startsWith('[')) {
    const v: unknown = JSON.parse(t);
    if (Array.isArray(v)) return { format: 'json', rows: v.map(asRow) };
  }
  if (t.startsWith('{')) {
    const lines = t.split(/\r?\n/).filter((l) => l.trim());
    try {
      return { format: 'jsonl', rows: lines.map((l) => asRow(JSON.parse(l))) };
    } catch {
      const v = JSON.parse(t) as Record<string, unknown>;
      const list = Object.values(v).find(Array.isArray);
      if (list) return { format: 'json', rows: list.map(asRow) };
    }
  }
  const [header, ...records] = csvRecords(t);
  return { format: 'csv', rows: records.map((r) => Object.fromEntries(header.map((h, i) => [h.trim(), r[i] ?? '']))) };
}
