// The absolute URL of a request to the account, and the one request that goes elsewhere (a signed URL).
// The URL of a request: a path relative to the base (`/flows`), a `/v1/...` path, or an absolute
// URL on the account's own origin (a Link or nextPageURL), with its query. Multi-value filters as the
// account takes them (core/forms.ts).
import type { ApiForms } from './forms.js';
import type { FetchLike } from './http.js';
import { CeligoApiError } from './errors.js';

export type Query = Record<string, string | number | boolean | undefined | null | string[]>;

export function requestUrl(baseUrl: string, origin: string, arrayFilters: ApiForms['arrayFilters'], pathOrUrl: string, query?: Query): URL {
  let u: URL;
  if (/^https?:\/\//i.test(pathOrUrl)) {
    u = new URL(pathOrUrl);
    // Never send the token to another host (a Link or nextPageURL pointing elsewhere).
    if (u.origin !== origin) throw new Error(`Refusing to follow a URL on another host: ${u.origin}`);
  } else {
    const basePath = new URL(baseUrl).pathname.replace(/\/+$/, '');
    const p = pathOrUrl.startsWith(basePath + '/') ? pathOrUrl : basePath + (pathOrUrl.startsWith('/') ? '' : '/') + pathOrUrl;
    u = new URL(origin + p);
  }
  if (!query) return u;
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null) continue;
    if (!Array.isArray(v)) {
      u.searchParams.set(k, String(v));
      continue;
    }
    // Multi-value filters: bracket arrays, as Celigo's web app sends them (celigo-api.md W1), or
    // repeated keys where doctor found that form. Never a comma list: the API reads it as one value.
    u.searchParams.delete(k);
    v.forEach((item, i) => u.searchParams.append(arrayFilters === 'repeat' ? k : `${k}[${i}]`, item));
  }
  return u;
}

/**
 * GETs a signed URL (a job's error file on S3, celigo-api.md §6.1) WITHOUT the Authorization header:
 * the URL carries its own signature, and the token must never reach another host. Not retried, not
 * rate-budgeted (S3 is not integrator.io); the whole body is read as text.
 */
/** Redirects a signed download follows. */
const MAX_REDIRECTS = 3;

export async function downloadSigned(
  o: { fetch: FetchLike; timeoutMs: number; userAgent: string },
  href: string,
  signal?: AbortSignal,
): Promise<{ status: number; text: string; contentType?: string }> {
  const u = new URL(href);
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(`Refusing to download from a ${u.protocol} URL`);
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(new DOMException(`No answer within ${o.timeoutMs} ms`, 'TimeoutError')), o.timeoutMs * 4);
  const onAbort = () => ac.abort(signal!.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    // A signed URL carries no token, so its redirects (a storage region's, say) are followed, a few at most.
    let res = await o.fetch(u.href, { method: 'GET', headers: { accept: '*/*', 'user-agent': o.userAgent }, signal: ac.signal });
    for (let hop = 0, at = u; hop < MAX_REDIRECTS && res.status >= 300 && res.status < 400 && res.headers.get('location'); hop++) {
      await res.text();
      at = new URL(res.headers.get('location')!, at);
      if (at.protocol !== 'https:' && at.protocol !== 'http:') throw new Error(`Refusing to download from a ${at.protocol} URL`);
      res = await o.fetch(at.href, { method: 'GET', headers: { accept: '*/*', 'user-agent': o.userAgent }, signal: ac.signal });
    }
    const text = await res.text();
    const display = u.origin + u.pathname;
    if (res.status >= 400) throw new CeligoApiError({ status: res.status, code: 'download_failed', message: `The signed URL answered ${res.status} (it may have expired; ask for a new one)`, method: 'GET', path: display });
    return { status: res.status, text, contentType: res.headers.get('content-type') ?? undefined };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}
