// Shared helpers for the emulator tests: start on a random port with a ManualClock, call with plain fetch.
import { DEMO_TOKEN, type EmulatorOptions, ManualClock, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';

export const START = Date.UTC(2026, 0, 15, 12, 0, 0, 0);

export interface Res {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

export interface Harness {
  emu: RunningEmulator;
  clock: ManualClock;
  api(method: string, path: string, body?: unknown, opts?: { token?: string | null; contentType?: string; raw?: string }): Promise<Res>;
  get(path: string, token?: string | null): Promise<Res>;
}

export async function start(opts: EmulatorOptions = {}): Promise<Harness> {
  const clock = new ManualClock(START);
  const emu = await startEmulator({ port: 0, clock, quiet: true, ...opts });
  const api: Harness['api'] = async (method, path, body, o = {}) => {
    const headers: Record<string, string> = {};
    const token = o.token === undefined ? DEMO_TOKEN : o.token;
    if (token) headers.Authorization = `Bearer ${token}`;
    let payload: string | undefined;
    if (o.raw !== undefined) payload = o.raw;
    else if (body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined) headers['Content-Type'] = o.contentType ?? 'application/json';
    const url = path.startsWith('http') ? path : path.startsWith('/v1') || path.startsWith('/__emulator') ? emu.url + path : emu.baseUrl + path;
    const r = await fetch(url, { method, headers, body: payload });
    const text = await r.text();
    let parsed: unknown = undefined;
    if (text && (r.headers.get('content-type') ?? '').includes('json')) parsed = JSON.parse(text);
    return { status: r.status, headers: r.headers, body: parsed, text };
  };
  return { emu, clock, api, get: (path, token) => api('GET', path, undefined, { token }) };
}

/** First resource of a kind with this name (from the store, for ids). */
export function byName(h: Harness, kind: 'integrations' | 'flows' | 'exports' | 'imports' | 'connections' | 'tags', name: string): Record<string, any> {
  for (const r of h.emu.store.map(kind).values()) if (r.name === name || r.tag === name) return r;
  throw new Error(`no ${kind} named ${name}`);
}

export const HEX24 = /^[0-9a-f]{24}$/;
export const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
