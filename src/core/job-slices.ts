// Reading the jobs of a time range in parallel (issue 14 item 1). GET /jobs answers at most ~1000 rows,
// newest first, with no Link header (celigo-api.md §1.7): the next page is asked for with createdAt_lte,
// so one chain of pages costs one round trip per page. Here the range is cut into slices by createdAt,
// and each slice is paged on its own, all at once within the account's request budget.
//
// Slices are whole milliseconds, [lo, hi] both included, side by side with no gap and no overlap, so a
// job belongs to exactly one slice. A full page of a slice leaves [lo, oldest] to read (the millisecond
// of its oldest row again: rows sharing it may have been cut off); what it read tells how dense the slice
// is, and the rest is cut into as many pieces as should each fit in one page. Rows of the cut
// millisecond already read come back and are dropped by _id (`seen`). Only the ids of that one
// millisecond are kept, so memory does not grow with the account.
//
// As with the single chain, more jobs in one millisecond than a page holds cannot all be reached by
// createdAt; the read steps past that millisecond instead of looping.
import type { HttpClient } from './http.js';
import type { JobLike } from './paging.js';
import { UnexpectedShapeError } from './errors.js';

export const DAY_MS = 86_400_000;
/** A piece is cut to hold this share of a page by the density seen, so that most end in one page. */
export const FILL = 0.9;
/** Pieces one full page's rest is cut into at most. */
export const PIECES_MAX = 32;

export interface SliceReadOptions {
  /** A full page holds this many rows; a shorter one is the last of its slice (default 1000). */
  pageThreshold?: number;
  signal?: AbortSignal;
  /** Every new row, once; a throw stops the read (the requests still in flight are aborted). */
  each: (row: JobLike) => void;
  /** Where "now" is when the range has no end: where the first round's slices stop (default: Date.now()). */
  now?: number;
}

/** A slice: createdAt from `lo` to `hi` (ms, both included; no `hi`: no end), and ids of `hi` already read. */
interface Slice {
  lo: number;
  hi?: number;
  seen: Set<string>;
}

const iso = (t: number) => new Date(t).toISOString();

/** createdAt of a row in ms; an unreadable one is an answer the read cannot go on from. */
function timeOf(row: JobLike): number {
  const t = typeof row?.createdAt === 'string' ? Date.parse(row.createdAt) : NaN;
  if (!Number.isFinite(t)) throw new UnexpectedShapeError('GET /jobs', 'jobs with a createdAt date', `a job with createdAt ${JSON.stringify(row?.createdAt)}`);
  return t;
}

/**
 * The first round: the last day of the range (the open end included when `hi` is open), and the days
 * before it as a second slice. An account with few jobs answers it with two short pages; on a busy one,
 * each full page tells how dense its slice is, and the rest is cut by that.
 */
export function firstSlices(lo: number, hi: number | undefined, now: number): Slice[] {
  const end = hi ?? Math.max(lo, now);
  if (end - lo + 1 <= DAY_MS) return [{ lo, hi, seen: new Set() }];
  return [
    { lo, hi: end - DAY_MS, seen: new Set() },
    { lo: end - DAY_MS + 1, hi, seen: new Set() },
  ];
}

/** [lo, hi] cut into `n` slices of (nearly) equal width, oldest first, none empty. */
export function cut(lo: number, hi: number, n: number): Slice[] {
  const width = hi - lo + 1;
  const parts = Math.max(1, Math.min(n, width));
  const out: Slice[] = [];
  for (let j = 0; j < parts; j++) {
    const a = lo + Math.floor((j * width) / parts);
    const b = lo + Math.floor(((j + 1) * width) / parts) - 1;
    out.push({ lo: a, hi: b, seen: new Set() });
  }
  return out;
}

/**
 * Reads every job of `query` created in [lo, hi] (hi absent: up to now and whatever comes after) and
 * hands each row to `each` once, in no particular order. `query` must carry no createdAt bound of its own.
 */
export async function readJobSlices(http: HttpClient, query: Record<string, unknown>, lo: number, hi: number | undefined, o: SliceReadOptions): Promise<void> {
  const threshold = o.pageThreshold ?? 1000;
  const stop = new AbortController();
  const signal = o.signal ? AbortSignal.any([o.signal, stop.signal]) : stop.signal;
  let failed = false;

  /**
   * One page of a slice, each row handed out as it arrives (core/json-rows.ts: no page is ever held
   * whole); what is left of the slice comes back. Of the page only what `rest` needs is kept: the count,
   * the oldest and newest times, the ids of the oldest millisecond. An attempt that failed part way is
   * read again from its first row: the rows it already handed out are not handed out twice.
   */
  const readPage = async (s: Slice): Promise<Slice[]> => {
    const q = { ...query, createdAt_gte: iso(s.lo), ...(s.hi !== undefined ? { createdAt_lte: iso(s.hi) } : {}) };
    let p = newPage();
    let attempt = 0;
    const handed = new Set<string>();
    const { count } = await http.rows('/jobs', {
      query: q as never,
      signal,
      endpoint: 'GET /jobs',
      row: (v, a) => {
        if (failed) throw signal.reason;
        if (a !== attempt) [attempt, p] = [a, newPage()];
        const r = v as JobLike;
        const t = timeOf(r);
        if (t < s.lo || (s.hi !== undefined && t > s.hi)) throw outOfRange(s, r);
        if (t < p.oldest) [p.oldest, p.atOldest] = [t, [r._id]];
        else if (t === p.oldest) p.atOldest.push(r._id);
        if (t > p.newest) p.newest = t;
        if (t === s.hi && s.seen.has(r._id)) return;
        p.fresh++;
        if (handed.has(r._id)) return;
        handed.add(r._id);
        o.each(r);
      },
    });
    if (failed) return [];
    return count < threshold ? [] : rest(s, { ...p, count, threshold });
  };
  // The page is out of reach once readPage returns: a slice waiting for its pieces holds none of it.
  const readSlice = async (s: Slice): Promise<void> => {
    const pieces = await readPage(s);
    await Promise.all(pieces.map(readSlice));
  };

  try {
    await Promise.all(firstSlices(lo, hi, o.now ?? Date.now()).map(readSlice));
  } catch (err) {
    failed = true;
    stop.abort(err);
    throw err;
  }
}

/** What a page of a slice showed, as far as cutting the rest goes. */
interface PageSeen {
  oldest: number;
  newest: number;
  /** Ids of the rows of the oldest millisecond. */
  atOldest: string[];
  /** Rows not read before (the cut millisecond's rows come again). */
  fresh: number;
}

const newPage = (): PageSeen => ({ oldest: Infinity, newest: -Infinity, atOldest: [], fresh: 0 });

/**
 * What is left of slice `s` after a full page: [lo, oldest] cut by the density the page showed, with
 * the ids of the cut millisecond carried by the piece that holds it. A page of rows all read before (more
 * jobs in one millisecond than a page holds) steps past that millisecond.
 */
function rest(s: Slice, p: PageSeen & { count: number; threshold: number }): Slice[] {
  if (p.fresh === 0) return p.oldest - 1 >= s.lo ? [{ lo: s.lo, hi: p.oldest - 1, seen: new Set() }] : [];
  const seen = new Set<string>(p.oldest === s.hi ? s.seen : []);
  for (const id of p.atOldest) seen.add(id);
  // The density of the rows themselves (from the oldest to the newest read) rather than of the slice's
  // top: a quiet stretch there (no job in the last minutes) would make the rest look sparser than it is.
  // But a burst (a page of rows from a few milliseconds) is not the rest's density either: the span
  // counted is at least a quarter of what the page covers.
  const covered = Math.max(p.newest - p.oldest + 1, ((s.hi ?? p.newest) - p.oldest + 1) / 4);
  const left = p.oldest - s.lo + 1;
  const expected = (p.count * left) / covered;
  const n = Math.max(1, Math.min(PIECES_MAX, Math.ceil(expected / (p.threshold * FILL))));
  const pieces = cut(s.lo, p.oldest, n);
  pieces[pieces.length - 1].seen = seen;
  return pieces;
}

function outOfRange(s: Slice, r: JobLike): UnexpectedShapeError {
  const range = `createdAt from ${iso(s.lo)} to ${s.hi !== undefined ? iso(s.hi) : 'now'}`;
  return new UnexpectedShapeError('GET /jobs', `only jobs with ${range}`, `a job created ${r.createdAt}`);
}
