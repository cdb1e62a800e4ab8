// A small route table: patterns like /flows/:id/:stepId/errors, literal segments win over parameters
// position by position, and a path that matches under another method answers 405.
import type { RuntimeConfig } from './config.js';
import type { Reply } from './respond.js';
import type { Rec, Store } from './store.js';
import type { Caller } from './tokens.js';

export interface Ctx {
  method: string;
  /** Path below /v1, e.g. /flows/abc/run (decoded segments joined). */
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  /** Parsed JSON body; undefined when there was none. */
  body: unknown;
  caller: Caller;
  store: Store;
  config: RuntimeConfig;
  /** e.g. http://127.0.0.1:4321, from the Host header; used for absolute Link URLs. */
  origin: string;
  now: number;
  /** Whether the caller may see this resource (custom-scope tokens see only some). */
  visible(kind: 'connections' | 'exports' | 'imports', rec: Rec): boolean;
}

export type Handler = (ctx: Ctx) => Reply | Promise<Reply>;

/**
 * What a custom-scope token may call. 'any': every token. A kind: only resources of that kind the token
 * may see (the id in `param`, default `id`; a list route filters instead). No access: full-scope only.
 */
export type Access = 'any' | { kind: 'connections' | 'exports' | 'imports'; param?: string };

export interface RouteDef {
  method: string;
  path: string;
  handler: Handler;
  access?: Access;
  note?: string;
}

interface Compiled extends RouteDef {
  segs: (string | null)[];
  names: string[];
  rank: string;
}

export type Match = { route: RouteDef; params: Record<string, string> } | { methodNotAllowed: string[] } | undefined;

export class Router {
  private readonly byLen = new Map<number, Compiled[]>();
  private readonly defs: RouteDef[] = [];

  add(...defs: RouteDef[]): this {
    for (const def of defs) {
      const parts = def.path.split('/').filter(Boolean);
      const segs = parts.map((p) => (p.startsWith(':') ? null : p));
      const names = parts.filter((p) => p.startsWith(':')).map((p) => p.slice(1));
      const c: Compiled = { ...def, segs, names, rank: segs.map((s) => (s === null ? 'b' : 'a')).join('') };
      let list = this.byLen.get(segs.length);
      if (!list) this.byLen.set(segs.length, (list = []));
      list.push(c);
      list.sort((x, y) => (x.rank < y.rank ? -1 : x.rank > y.rank ? 1 : 0));
      this.defs.push(def);
    }
    return this;
  }

  match(method: string, segments: string[]): Match {
    const list = this.byLen.get(segments.length);
    if (!list) return undefined;
    let allowed: string[] | undefined;
    for (const r of list) {
      let okPath = true;
      for (let i = 0; i < r.segs.length; i++) {
        const s = r.segs[i];
        if (s !== null && s !== segments[i]) {
          okPath = false;
          break;
        }
      }
      if (!okPath) continue;
      if (r.method === method) {
        const params: Record<string, string> = {};
        let k = 0;
        for (let i = 0; i < r.segs.length; i++) if (r.segs[i] === null) params[r.names[k++]] = segments[i];
        return { route: r, params };
      }
      (allowed ??= []).push(r.method);
    }
    return allowed ? { methodNotAllowed: allowed } : undefined;
  }

  routes(): RouteDef[] {
    return this.defs;
  }
}
