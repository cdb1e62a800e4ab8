// `celigo-manage api GET /flows`: a raw call, for anything the commands do not cover. GET lists are
// read to the end (Link headers, the /jobs cursor, nextPageURL) unless --no-paging.
import type { NounSpec, RunContext } from '../spec.js';
import { opt } from '../spec.js';
import { arg, optStr, readJsonFile } from './common.js';
import { UsageError } from '../../core/errors.js';
import type { CeligoClient } from '../../core/client.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type Method = (typeof METHODS)[number];

function queryOf(pairs: string[] | undefined): Record<string, string> {
  const q: Record<string, string> = {};
  for (const p of pairs ?? []) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new UsageError(`--query "${p}" must look like key=value.`);
    q[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return q;
}

/** GET to the end of the list. */
export async function getAll(api: CeligoClient, path: string, query: Record<string, string>, signal: AbortSignal, paging: boolean): Promise<{ status: number; body: unknown; pages: number }> {
  const { nextLink, listAllJobs } = await import('../../core/paging.js');
  const bare = path.replace(/^\/?(v1\/)?/, '/').split('?')[0];
  if (paging && bare === '/jobs' && !path.includes('?')) {
    const rows = await listAllJobs(api.http, query, { signal });
    return { status: rows.length ? 200 : 204, body: rows, pages: 0 };
  }
  let res = await api.http.request<unknown>('GET', path, { query, signal });
  const status = res.status;
  let pages = 1;
  if (!paging) return { status, body: res.body ?? null, pages };
  if (Array.isArray(res.body) || res.body === undefined || res.body === null || res.body === '') {
    const out: unknown[] = Array.isArray(res.body) ? [...res.body] : [];
    const seen = new Set<string>();
    let next = nextLink(res.headers.get('link'));
    while (next && !seen.has(next)) {
      seen.add(next);
      res = await api.http.request<unknown>('GET', next, { signal });
      pages++;
      if (Array.isArray(res.body)) out.push(...res.body);
      next = nextLink(res.headers.get('link'));
    }
    return { status, body: Array.isArray(res.body) || pages > 1 || out.length ? out : (res.body ?? null), pages };
  }
  const body = res.body as Record<string, unknown>;
  if (body && typeof body === 'object' && typeof body.nextPageURL === 'string' && body.nextPageURL) {
    const key = Object.keys(body).find((k) => Array.isArray(body[k]));
    if (key) {
      const out = [...(body[key] as unknown[])];
      const seen = new Set<string>();
      let next: string | undefined = body.nextPageURL as string;
      while (next && !seen.has(next)) {
        seen.add(next);
        const r: { body: Record<string, unknown> | undefined } = await api.http.request<Record<string, unknown>>('GET', next, { signal });
        pages++;
        const b: Record<string, unknown> = r.body ?? {};
        if (Array.isArray(b[key])) out.push(...(b[key] as unknown[]));
        next = typeof b.nextPageURL === 'string' && b.nextPageURL ? b.nextPageURL : undefined;
      }
      return { status, body: { ...body, [key]: out, nextPageURL: undefined }, pages };
    }
  }
  return { status, body, pages };
}

/** A path whose dot segments (plain or %-encoded) or backslashes (read as slashes in URLs) could climb out of /v1. */
export function leavesBase(path: string): boolean {
  const bare = path.split(/[?#]/, 1)[0]!;
  if (bare.includes('\\') || /%5c/i.test(bare)) return true;
  return bare.split('/').some((seg) => /^(\.|%2e){1,2}$/i.test(seg));
}

async function run(rc: RunContext): Promise<number> {
  const method = arg(rc, 0).toUpperCase() as Method;
  if (!METHODS.includes(method)) throw new UsageError(`Unknown method "${arg(rc, 0)}": use ${METHODS.join(', ')}.`);
  const path = arg(rc, 1);
  if (!path || /^https?:\/\//i.test(path)) throw new UsageError('Give a path relative to the API base, e.g. /flows or /jobs?status=failed.');
  if (leavesBase(path)) throw new UsageError(`"${path}" would leave the API base (a . or .. segment, or a backslash): give a path under it, e.g. /flows or /flows/<id>/errors.`);
  const query = queryOf(rc.opts.query as string[] | undefined);
  const dataArg = optStr(rc, 'data');
  const file = optStr(rc, 'input');
  if (dataArg && file) throw new UsageError('Give --data or --input, not both.');
  let body: unknown;
  if (dataArg) {
    try {
      body = JSON.parse(dataArg);
    } catch {
      throw new UsageError('--data must be JSON.');
    }
  } else if (file) body = await readJsonFile(rc, file, 'request body');
  if (method === 'GET' && body !== undefined) throw new UsageError('A GET has no body.');
  const ctx = await rc.ctx();
  let res: { status: number; body: unknown };
  if (method === 'GET') res = await getAll(ctx.api, path, query, rc.signal, rc.opts.paging !== false);
  else {
    const { mustConfirm, makePlan } = await import('../../ops/confirm.js');
    await mustConfirm(ctx, makePlan(`${method} ${path}`, body !== undefined ? [JSON.stringify(body).slice(0, 200)] : [], { method, path, body }), method === 'DELETE' ? 'destructive' : 'change');
    const p = Object.keys(query).length ? `${path}${path.includes('?') ? '&' : '?'}${new URLSearchParams(query)}` : path;
    res = await ctx.api.raw(method, p, body, { signal: rc.signal });
  }
  if (rc.opts.include) rc.out.note(`HTTP ${res.status}`);
  if (res.body === undefined || res.body === null || res.body === '') {
    if (rc.io.isTTY && !rc.out.jsonMode) rc.out.note(`HTTP ${res.status} (no body)`);
    else if (rc.out.jsonMode) rc.out.json(null);
    return 0;
  }
  const fields = rc.out.jsonFields;
  if (fields && Array.isArray(res.body)) {
    const rows = res.body as Record<string, unknown>[];
    const valid = [...new Set(rows.flatMap((r) => (r && typeof r === 'object' ? Object.keys(r) : [])))];
    rc.out.list(rows, { noun: 'items', fields: valid });
  } else if (fields && typeof res.body === 'object') rc.out.object(res.body as Record<string, unknown>);
  else rc.out.json(res.body);
  return 0;
}

export const apiNoun: NounSpec = {
  name: 'api',
  command: {
    name: 'api',
    summary: 'Make a raw API call (GET lists are read to the end)',
    args: ['<method>', '<path>'],
    argHelp: { method: 'GET, POST, PUT, PATCH or DELETE', path: 'Path under the API base, e.g. /flows' },
    options: [
      opt('--query <key=value>', 'Query parameter (repeatable)', { repeat: true }),
      opt('--data <json>', 'Request body as JSON'),
      opt('--input <file>', 'Request body from a JSON file ("-" for stdin)'),
      opt('--no-paging', 'Return only the first page of a GET list'),
      opt('--include', 'Print the HTTP status on stderr'),
    ],
    details: 'Prints the response body as JSON. A POST, PUT or PATCH asks on a production profile and a DELETE always asks (--yes to skip). --read-only blocks everything but GET.',
    examples: ['api GET /integrations', 'api GET /jobs --query createdAt_gte=2026-11-01T00:00:00Z --query status=failed', 'api GET /flows --json _id,name', 'api PATCH /flows/5f1a… --data \'[{"op":"replace","path":"/disabled","value":true}]\''],
    run,
  },
};
