// Helpers shared by the noun files. Light: no ops import here (handlers import ops lazily).
import { readFile } from 'node:fs/promises';
import { UsageError } from '../../core/errors.js';
import { opt, type RunContext } from '../spec.js';
import { renderObject, type Colors } from '../output.js';

export const RANGE = opt('--range <range>', 'Time range: ISO, "A..B", or a phrase (today, yesterday, "last 24 hours", "last 7 days", "since Monday")');
export const INTEGRATION = opt('--integration <integration>', 'Integration id or name');
export const FLOW = opt('--flow <flow>', 'Flow id or name');

export function limitOf(rc: RunContext): number | undefined {
  const l = rc.opts.limit;
  if (l === undefined) return undefined;
  if (typeof l !== 'number' || l < 1) throw new UsageError('--limit must be a positive integer.');
  return l;
}

export function arg(rc: RunContext, i: number): string {
  const v = rc.args[i];
  return Array.isArray(v) ? v.join(' ') : (v ?? '');
}

export function optStr(rc: RunContext, key: string): string | undefined {
  const v = rc.opts[key];
  return typeof v === 'string' ? v : undefined;
}

/** Prints the result of a change: a one-line headline, then the details (or JSON). */
export function done(rc: RunContext, headline: string | ((c: Colors) => string), result: object): void {
  rc.out.object(result as Record<string, unknown>, {
    human: (c) => {
      const head = typeof headline === 'function' ? headline(c) : `${c.green('✓')} ${headline}`;
      const { summary: _summary, ...rest } = result as Record<string, unknown>;
      const body = renderObject(rest, c, rc.out.width);
      return body ? `${head}\n\n${body}` : head;
    },
  });
}

export async function readJsonFile(rc: RunContext, path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = path === '-' ? await readStdin(rc.io.stdin) : await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`Cannot read ${what} file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${path === '-' ? `The ${what} on standard input` : `The ${what} file ${path}`} is not valid JSON.`);
  }
}

async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** "a.b=value" pairs into a nested object ("http.baseURI=https://x" → {http:{baseURI:…}}). */
export function pairsToObject(pairs: string[] | undefined, what: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of pairs ?? []) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new UsageError(`${what} "${p}" must look like key=value (dotted keys nest: http.baseURI=https://api.example.com).`);
    const keys = p.slice(0, eq).split('.');
    let raw: unknown = p.slice(eq + 1);
    if (raw === 'true' || raw === 'false') raw = raw === 'true';
    else if (typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw)) raw = Number(raw);
    let node = out;
    keys.forEach((k, i) => {
      if (i === keys.length - 1) node[k] = raw;
      else node = (node[k] ??= {}) as Record<string, unknown>;
    });
  }
  return out;
}
