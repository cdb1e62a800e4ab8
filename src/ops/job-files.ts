// A job's errors summarised by pattern (issue 17 item 4). Up to 1000 come from the job's error list
// (GET /jobs/{id}/joberrors); a job with more has an error file (GET /jobs/{id}/errorFile/signedURL, a
// signed S3 URL fetched without the token). Only counts and a few samples per pattern are returned,
// never the file.
import { CeligoApiError } from '../core/errors.js';
import { errorFileUrl, parseErrorFile, type ErrorFileRow } from '../core/job-files.js';
import type { OpContext } from './context.js';
import { groupErrors, type ScopedError } from './patterns.js';

/** Most errors the job error list returns (celigo-api.md §6.1). */
export const ERROR_LIST_MAX = 1000;

export interface JobErrorPattern {
  pattern: string;
  code: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
  cause: string;
  fix: string;
  retry: string;
  samples: { occurredAt: string; message?: string; retryDataKey?: string }[];
}

export interface JobErrorsReport {
  job: { id: string; type: string; status: string; numError: number; flowId?: string };
  source: 'error list' | 'error file';
  /** The error file's format, when read from it (csv, json or jsonl). */
  format?: string;
  /** Errors read (the list holds at most 1000; the file all of them). */
  read: number;
  resolved: number;
  patterns: JobErrorPattern[];
  totalPatterns: number;
  truncated: boolean;
  note?: string;
}

const pick = (r: ErrorFileRow, ...keys: string[]): string | undefined => keys.map((k) => r[k]).find((v) => v !== undefined && v !== '');

function scoped(rows: ErrorFileRow[], jobId: string): ScopedError[] {
  return rows.map((r, i) => ({
    errorId: pick(r, 'errorId', '_retryId', 'retryDataKey') ?? String(i + 1),
    occurredAt: pick(r, 'occurredAt', 'createdAt', 'timestamp') ?? '',
    code: pick(r, 'code', 'errorCode'),
    message: pick(r, 'message', 'errorMessage'),
    source: pick(r, 'source'),
    retryDataKey: pick(r, '_retryId', 'retryDataKey'),
    _flowJobId: jobId,
  }));
}

async function fromFile(ctx: OpContext, jobId: string): Promise<{ rows: ErrorFileRow[]; format: string }> {
  const url = await errorFileUrl(ctx.api.http, jobId, { signal: ctx.signal });
  const { text } = await ctx.api.http.download(url, { signal: ctx.signal });
  return parseErrorFile(text);
}

export async function jobErrorSummary(ctx: OpContext, input: { job: string; file?: boolean; limit?: number }): Promise<JobErrorsReport> {
  const j = await ctx.api.jobs.get(input.job.trim(), { signal: ctx.signal });
  const numError = Number(j.numError ?? 0);
  let rows: ErrorFileRow[] | undefined;
  let source: JobErrorsReport['source'] = 'error list';
  let format: string | undefined;
  let note: string | undefined;
  if (input.file || numError > ERROR_LIST_MAX) {
    try {
      ({ rows, format } = await fromFile(ctx, j._id));
      source = 'error file';
    } catch (err) {
      if (!(err instanceof CeligoApiError && (err.status === 404 || err.status === 405))) throw err;
      note = `This account answered no error file (${err.status}); the error list holds at most ${ERROR_LIST_MAX} of the job's errors.`;
    }
  }
  if (!rows) {
    const list = await ctx.api.jobs.jobErrors(j._id, { signal: ctx.signal });
    rows = list.map((e) => Object.fromEntries(Object.entries(e).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])));
    if (!note && numError > rows.length && rows.length >= ERROR_LIST_MAX) note = `The list holds ${rows.length} of ${numError} errors; pass file to read the error file.`;
  }
  const groups = groupErrors(scoped(rows, j._id));
  const limit = input.limit ?? 10;
  return {
    job: { id: j._id, type: j.type, status: j.status, numError, ...(j._flowId ? { flowId: j._flowId } : {}) },
    source,
    ...(format ? { format } : {}),
    read: rows.length,
    resolved: rows.filter((r) => pick(r, 'resolved', 'resolve') === 'true').length,
    patterns: groups.slice(0, limit).map((g) => ({
      pattern: g.pattern, code: g.code, count: g.count, firstSeen: g.firstSeen, lastSeen: g.lastSeen, cause: g.causeLabel, fix: g.fix, retry: g.retry,
      samples: g.samples.slice(0, 2).map((s) => ({ occurredAt: s.occurredAt, message: s.message, retryDataKey: s.retryDataKey })),
    })),
    totalPatterns: groups.length,
    truncated: groups.length > limit,
    ...(note ? { note } : {}),
  };
}
