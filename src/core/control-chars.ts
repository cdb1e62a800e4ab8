// Text from the API (names, error messages, anything a person or another tool typed into integrator.io)
// is shown on terminals and to models. A terminal obeys the control characters in it: ESC sequences
// recolour, move the cursor, set the window title or make hyperlinks (OSC 8), CR overwrites the line,
// and an OSC cut short by truncation swallows everything printed after it. So every string from the API
// passes through `stripControls` before it is shown, and a table or a line is cut only afterwards.

/* eslint-disable no-control-regex */

/**
 * ESC and C1 sequences, whole: CSI (ESC [ or 0x9B) with parameters and final byte; OSC (ESC ] or 0x9D)
 * up to BEL or ST, or to the end when unterminated; DCS, SOS, PM, APC (ESC P X ^ _, 0x90 0x98 0x9E 0x9F)
 * up to ST; any other ESC with its intermediate and final bytes.
 */
const SEQUENCE =
  /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|(?:\x1b[PX^_]|[\x90\x98\x9e\x9f])[^\x1b\x9c]*(?:\x1b\\|\x9c)?|\x1b[ -/]*[0-~]?/g;

/** What is left of C0 (tab and newline apart), DEL, C1, and the bidirectional overrides (text shown reordered). */
const OTHER_CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/** Any character `stripControls` removes or changes (tab and newline included). */
const ANY_CONTROL = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

export interface StripOptions {
  /** Keep tab and newline (CR LF and a lone CR become LF); default: each run of them becomes one space. */
  lines?: boolean;
}

/** The text without escape sequences and control characters (see SEQUENCE and OTHER_CONTROLS). */
export function stripControls(text: string, o: StripOptions = {}): string {
  if (!ANY_CONTROL.test(text)) return text;
  let out = text.replace(SEQUENCE, '');
  out = o.lines ? out.replace(/\r\n?/g, '\n') : out.replace(/[\t\r\n]+/g, ' ');
  return out.replace(OTHER_CONTROLS, '');
}

/**
 * A copy of plain data (objects, arrays) with every string, and every key, passed through stripControls
 * (tab and newline kept: a cell or a line collapses them where the layout needs it). Other values
 * (numbers, dates, class instances) are kept as they are; nothing is copied when nothing changes.
 */
export function stripControlsDeep<T>(value: T, o: StripOptions = { lines: true }): T {
  return deep(value, o, 0) as T;
}

function deep(v: unknown, o: StripOptions, depth: number): unknown {
  if (typeof v === 'string') return stripControls(v, o);
  if (!v || typeof v !== 'object' || depth > 64) return v;
  if (Array.isArray(v)) {
    let changed = false;
    const out = v.map((x) => {
      const y = deep(x, o, depth + 1);
      if (y !== x) changed = true;
      return y;
    });
    return changed ? out : v;
  }
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) return v;
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const key = stripControls(k, o);
    const y = deep(x, o, depth + 1);
    if (key !== k || y !== x) changed = true;
    out[key] = y;
  }
  return changed ? out : v;
}

/**
 * The last guard before a terminal: text we compose (colours included) with any escape sequence that is
 * not a plain colour (SGR, ESC [ … m) removed, and every other control character except tab and newline.
 * API strings have been stripped before they were composed; this catches what a presenter forgot.
 */
export function guardTerminal(text: string): string {
  if (!ANY_CONTROL.test(text)) return text;
  const out = text.replace(SEQUENCE, (seq) => (/^\x1b\[[0-9;]*m$/.test(seq) ? seq : ''));
  // Keep ESC only where it starts a colour that survived above.
  return out.replace(/\r\n?/g, '\n').replace(OTHER_CONTROLS, (ch, i: number) => (ch === '\x1b' && /^\x1b\[[0-9;]*m/.test(out.slice(i, i + 16)) ? ch : ''));
}

/** JSON text with DEL, C1 and the bidi overrides written as \u escapes (JSON.stringify escapes only C0). */
export function escapeJsonControls(json: string): string {
  return json.replace(/[\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
