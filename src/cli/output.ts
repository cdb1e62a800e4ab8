// How results reach the terminal: a table on a TTY ("Showing N of M ..."), TSV when piped, JSON with
// --json [fields]. Colour only on a TTY, never with NO_COLOR or --no-color. Every write is scrubbed of
// known secrets, so a token can never be printed by accident, and of every escape sequence but our own
// colours (API strings are stripped of them before; see core/control-chars.ts).
import { UsageError } from '../core/errors.js';
import { presentError, type ErrorInfo } from '../app/errors.js';
import { redact, secretsFromEnv } from '../app/redact.js';
import { escapeJsonControls, guardTerminal, stripControls } from '../core/control-chars.js';
import type { CliIO } from './io.js';
import type { GlobalOptions } from './globals.js';
import { formatDuration } from '../operations/format.js';
import { renderCells } from './table.js';
import type { Colors } from '../operations/types.js';

export type { Colors };
export { formatDuration };
export { fitWidths } from './table.js';


function sgr(on: number, off: number, enabled: boolean) {
  return (s: string) => (enabled && s ? `\x1b[${on}m${s}\x1b[${off}m` : s);
}

export function makeColors(enabled: boolean): Colors {
  return {
    enabled,
    bold: sgr(1, 22, enabled),
    dim: sgr(2, 22, enabled),
    red: sgr(31, 39, enabled),
    green: sgr(32, 39, enabled),
    yellow: sgr(33, 39, enabled),
    cyan: sgr(36, 39, enabled),
  };
}

/** Colour is on only for a terminal, and never with NO_COLOR (any non-empty value), TERM=dumb or --no-color. */
export function colorEnabled(io: CliIO, global: GlobalOptions, stream: 'stdout' | 'stderr' = 'stdout'): boolean {
  const tty = stream === 'stdout' ? io.isTTY : (io.stderrIsTTY ?? io.isTTY);
  if (!tty || global.color === false) return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.TERM === 'dumb') return false;
  return true;
}

export function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
}

const GOOD = new Set(['healthy', 'completed', 'enabled', 'active', 'online', 'yes', 'ok', 'true', 'unchanged', 'restored']);
const BAD = new Set(['failing', 'failed', 'offline', 'error', 'errors', 'no', 'false', 'deleted', 'unhealthy']);
const WARN = new Set(['degraded', 'running', 'queued', 'retrying', 'disabled', 'inactive', 'changed', 'pending', 'canceled', 'unused', 'warning']);

export function colorStatus(c: Colors, s: string): string {
  const k = s.toLowerCase();
  if (GOOD.has(k)) return c.green(s);
  if (BAD.has(k)) return c.red(s);
  if (WARN.has(k)) return c.yellow(s);
  return s;
}

/** One cell as plain text. `mode` decides booleans, arrays and times. */
export function cellText(v: unknown, key: string, mode: 'table' | 'tsv'): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'boolean') return mode === 'table' ? (v ? 'yes' : 'no') : String(v);
  if (Array.isArray(v)) return stripControls(v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(mode === 'table' ? ', ' : ','));
  if (typeof v === 'object') return stripControls(JSON.stringify(v));
  if (mode === 'table') {
    if (typeof v === 'number' && /Ms$/.test(key)) return formatDuration(v);
    if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(v)) return v.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  }
  return stripControls(String(v));
}


export interface ListOptions {
  /** Plural noun for the header: "flows". */
  noun: string;
  /** Every field a row may carry: what --json accepts, in order. */
  fields: readonly string[];
  /** Columns of the table and of TSV (default: fields that occur). */
  columns?: readonly string[];
  /** Rows to show (the --limit flag). */
  limit?: number;
  /** Total when `rows` is already a slice of a larger list. */
  total?: number;
}

export interface ObjectOptions {
  /** Human rendering; default: an aligned key/value list with nested tables. */
  human?: (c: Colors) => string;
  /** Keys --json may pick (default: the object's own keys). */
  fields?: readonly string[];
}


/** Default number of rows in a terminal table; piped output and --json print everything. */
export const TTY_DEFAULT_LIMIT = 50;

export class Output {
  readonly c: Colors;
  readonly errColors: Colors;
  private readonly secrets = new Set<string>();
  /** Called before anything is written (stops a spinner or progress bar first). */
  beforeWrite: () => void = () => {};

  constructor(readonly io: CliIO, readonly global: GlobalOptions) {
    this.c = makeColors(colorEnabled(io, global, 'stdout'));
    this.errColors = makeColors(colorEnabled(io, global, 'stderr'));
    for (const v of secretsFromEnv(io.env)) this.addSecret(v);
  }

  addSecret(s: string | undefined): void {
    if (s && s.trim().length >= 8) this.secrets.add(s.trim());
  }

  redact(s: string): string {
    return redact(s, this.secrets);
  }

  /** Width for tables: the terminal's, or unlimited when piped (a file or a pager gets whole cells). */
  get width(): number {
    return this.io.isTTY ? this.io.columns : 1000;
  }

  get isTTY(): boolean {
    return !!this.io.isTTY;
  }

  get jsonMode(): boolean {
    return this.global.json !== undefined && this.global.json !== false;
  }

  /** Fields asked for with --json a,b (undefined: all). */
  get jsonFields(): string[] | undefined {
    const j = this.global.json;
    if (typeof j !== 'string') return undefined;
    const list = j.split(',').map((s) => s.trim()).filter(Boolean);
    return list.length ? list : undefined;
  }

  /** Raw text to stdout (a newline is added). */
  print(text: string): void {
    this.beforeWrite();
    this.io.stdout.write(guardTerminal(this.redact(text.endsWith('\n') ? text : text + '\n')));
  }

  /** A note for people on stderr (never mixed into JSON or TSV on stdout). */
  note(text: string): void {
    this.beforeWrite();
    this.io.stderr.write(guardTerminal(this.redact(text.endsWith('\n') ? text : text + '\n')));
  }

  /** JSON keeps values exact: C0 is escaped by JSON itself, C1 and bidi overrides here. */
  json(value: unknown): void {
    this.print(escapeJsonControls(JSON.stringify(value, null, 2)));
  }

  /**
   * After a change has been made, a typo in --json must not turn success into an error: unknown fields
   * are then reported on stderr (and printed as null) instead of failing.
   */
  lenientFields = false;

  private checkFields(asked: string[], valid: readonly string[], lenient = false): void {
    const bad = asked.filter((f) => !valid.includes(f));
    if (!bad.length) return;
    const msg = `Unknown field${bad.length > 1 ? 's' : ''} for --json: ${bad.join(', ')}. Valid fields: ${valid.join(', ')}.`;
    if (lenient) this.note(`Warning: ${msg}`);
    else throw new UsageError(msg);
  }

  /** Checks --json fields before any work is done (list commands know their fields up front). */
  expectFields(valid: readonly string[]): void {
    const asked = this.jsonFields;
    if (asked) this.checkFields(asked, valid);
  }

  list<T extends Record<string, unknown>>(rows: T[], o: ListOptions): void {
    const total = o.total ?? rows.length;
    const asked = this.jsonFields;
    if (asked) this.checkFields(asked, o.fields);
    const limit = o.limit ?? (this.jsonMode || !this.io.isTTY ? undefined : TTY_DEFAULT_LIMIT);
    const shown = limit !== undefined ? rows.slice(0, Math.max(0, limit)) : rows;
    if (this.jsonMode) {
      this.json(asked ? shown.map((r) => Object.fromEntries(asked.map((f) => [f, r[f] ?? null]))) : shown);
      return;
    }
    const cols = (o.columns ?? o.fields).filter((c) => (o.columns ? true : shown.some((r) => r[c] !== undefined)));
    if (!this.io.isTTY) {
      if (!shown.length) return;
      this.print([cols.join('\t'), ...shown.map((r) => cols.map((k) => cellText(r[k], k, 'tsv')).join('\t'))].join('\n'));
      return;
    }
    if (!shown.length) {
      this.print(this.c.dim(`No ${o.noun} found.`));
      return;
    }
    const more = shown.length < total ? ` (use --limit ${Math.min(total, Math.max(shown.length * 2, 100))} or --json for more)` : '';
    this.print(this.c.dim(`Showing ${shown.length} of ${total} ${o.noun}${more}`));
    // A column with nothing in it only takes room on a terminal (TSV keeps its columns stable).
    this.print(this.table(shown, cols.filter((k, i) => i === 0 || shown.some((r) => cellText(r[k], k, 'table') !== ''))));
  }

  /** A table as text (for lists and for sections of reports). */
  table(rows: Record<string, unknown>[], cols: readonly string[], opts: { headers?: Record<string, string> } = {}): string {
    return renderTable(rows, cols, this.c, this.width, opts.headers);
  }

  /** One object: JSON (optionally pinned to fields) or a human rendering. */
  object(value: Record<string, unknown>, o: ObjectOptions = {}): void {
    if (this.jsonMode) {
      const asked = this.jsonFields;
      if (asked) {
        this.checkFields(asked, o.fields ?? Object.keys(value), this.lenientFields);
        this.json(Object.fromEntries(asked.map((f) => [f, value[f] ?? null])));
      } else this.json(value);
      return;
    }
    this.print(o.human ? o.human(this.c) : renderObject(value, this.c, this.width));
  }

  /** An error: one line on stderr with the fix, or {"error":{...}} with --json. Never a stack. */
  error(err: unknown, exitCode: number): void {
    const info = errorInfo(err);
    if (this.jsonMode) {
      this.beforeWrite();
      this.io.stderr.write(this.redact(escapeJsonControls(JSON.stringify({ error: { ...info, exitCode } })) + '\n'));
      return;
    }
    const c = this.errColors;
    const line = `${info.message}${info.fix && !info.message.includes(info.fix) ? ` ${info.fix}` : ''}`;
    this.note(`${c.red('Error:')} ${line}`);
  }
}

/** The error presenter both front ends share (app/errors.ts). */
export const errorInfo = presentError;
export type { ErrorInfo };

// ---- tables (cli/table.ts) ----

/** A table of rows: cells as text (cellText), fitted to the width, states coloured. */
export function renderTable(rows: Record<string, unknown>[], cols: readonly string[], c: Colors, width: number, headers: Record<string, string> = {}): string {
  const texts = rows.map((r) => cols.map((k) => cellText(r[k], k, 'table')));
  return renderCells(texts, cols, c, width, { headers, colour: (k, v) => (/status|verdict|health|enabled|state|result/i.test(k) ? colorStatus(c, v) : v) });
}

/** A generic human view of an object: scalars as aligned "key  value", arrays of objects as tables. */
export function renderObject(value: Record<string, unknown>, c: Colors, width: number, indent = ''): string {
  const scalars: [string, string][] = [];
  const blocks: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) continue;
    if (Array.isArray(v) && v.every((x) => x && typeof x === 'object' && !Array.isArray(x))) {
      const rows = v as Record<string, unknown>[];
      const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((col) => rows.some((r) => typeof r[col] !== 'object' || Array.isArray(r[col]) || r[col] === null));
      blocks.push(`${indent}${c.bold(stripControls(k))} (${rows.length})\n${renderTable(rows, cols, c, width - indent.length - 2).replace(/^/gm, indent + '  ')}`);
    } else if (v && typeof v === 'object' && !Array.isArray(v)) {
      const inner = renderObject(v as Record<string, unknown>, c, width, indent + '  ');
      if (inner) blocks.push(`${indent}${c.bold(stripControls(k))}\n${inner}`);
    } else {
      scalars.push([stripControls(k), cellText(v, k, 'table')]);
    }
  }
  const kw = Math.max(0, ...scalars.map(([k]) => k.length));
  const lines = scalars.map(([k, v]) => `${indent}${c.dim(k.padEnd(kw))}  ${/status|verdict|health|enabled/i.test(k) ? colorStatus(c, v) : v}`);
  return [lines.join('\n'), ...blocks].filter(Boolean).join('\n\n');
}
