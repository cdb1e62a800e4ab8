// A scripted fetch for unit tests of the core client: each call takes the next answer.
export type Answer =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { throw: Error };

export interface MockFetch {
  fetch: typeof fetch;
  calls: { method: string; url: string; body?: string; headers: Record<string, string> }[];
}

export function mockFetch(answers: Answer[] | ((url: URL, init: RequestInit) => Answer)): MockFetch {
  const calls: MockFetch['calls'] = [];
  let i = 0;
  const f = async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(String(input));
    calls.push({ method: init.method ?? 'GET', url: url.href, body: init.body as string | undefined, headers: { ...(init.headers as Record<string, string>) } });
    const a = typeof answers === 'function' ? answers(url, init) : answers[i++];
    if (!a) throw new Error(`mockFetch: no answer for call ${i}`);
    if ('throw' in a) throw a.throw;
    const body = a.body === undefined ? null : typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
    return new Response(a.status === 204 ? null : body, {
      status: a.status,
      headers: { 'content-type': typeof a.body === 'string' ? 'text/plain' : 'application/json', ...(a.headers ?? {}) },
    });
  };
  return { fetch: f as typeof fetch, calls };
}

export const noSleep = async () => {};
