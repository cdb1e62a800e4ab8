// A JSON array read element by element as its bytes arrive (issue 14 item 3: memory that stays flat).
// A page of 1000 jobs is half a megabyte of text: read whole, each page becomes one string in V8's
// large-object space and an array of 1000 objects, which outlive young-generation collections while the
// other pages are on their way and are only freed by a full collection, so the heap grows with the pages
// read between two of them. Here only the element being read is held: its bytes are found by a scanner
// that knows strings, escapes and nesting (nothing more), and each element is parsed by JSON.parse on its
// own, so the work of parsing stays in V8's parser (a tokenizer in JavaScript, as the streaming JSON
// packages have, reads several times slower; docs/decisions.md).
//
// An answer that is not an array (an error object, a wrapper) is kept whole and handed back parsed, so
// the caller reports its shape exactly as for an answer read whole.

const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** What the body was once read through: an array (its elements went to `row`), nothing, or another value. */
export type SplitEnd = { kind: 'array'; count: number } | { kind: 'empty' } | { kind: 'other'; value: unknown };

export class JsonArraySplitter {
  private state: 'start' | 'array' | 'after' | 'other' = 'start';
  /** Inside an element: its nesting depth, whether in a string, and whether the next byte is escaped. */
  private inElement = false;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** A comma was read and no element after it yet. */
  private needValue = false;
  /** Bytes of the element being read that came in earlier chunks. */
  private parts: Uint8Array[] = [];
  private other: Uint8Array[] = [];
  count = 0;

  constructor(private readonly row: (value: unknown) => void) {}

  push(chunk: Uint8Array): void {
    let i = 0;
    const n = chunk.length;
    if (this.state === 'other') return void this.other.push(chunk);
    if (this.state === 'start') {
      while (i < n && isSpace(chunk[i]!)) i++;
      if (i === n) return;
      if (chunk[i] !== OPEN_ARRAY) {
        this.state = 'other';
        this.other.push(chunk.subarray(i));
        return;
      }
      this.state = 'array';
      i++;
    }
    let start = this.inElement ? 0 : -1;
    let backslash = -1;
    for (; i < n; i++) {
      if (this.inString) {
        // Skip to the string's end with the native search; an escape skips the byte after it.
        if (this.escaped) {
          this.escaped = false;
          continue;
        }
        if (backslash !== n && backslash < i) backslash = indexOr(chunk, BACKSLASH, i, n);
        const quote = indexOr(chunk, QUOTE, i, n);
        if (backslash < quote) {
          i = backslash;
          this.escaped = true;
        } else {
          i = quote;
          if (quote < n) this.inString = false;
        }
        continue;
      }
      const c = chunk[i]!;
      if (this.state === 'after') {
        if (!isSpace(c)) throw new SyntaxError('text after the end of the array');
        continue;
      }
      if (!this.inElement) {
        if (isSpace(c)) continue;
        if (c === CLOSE_ARRAY) {
          if (this.needValue) throw new SyntaxError('a comma before the end of the array');
          this.state = 'after';
          continue;
        }
        if (c === COMMA) throw new SyntaxError('a comma where an element was expected');
        this.inElement = true;
        this.needValue = false;
        this.depth = 0;
        start = i;
      }
      if (c === QUOTE) this.inString = true;
      else if (c === OPEN_OBJECT || c === OPEN_ARRAY) this.depth++;
      else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        if (this.depth > 0) this.depth--;
        else if (c === CLOSE_ARRAY) {
          this.emit(chunk, start, i);
          this.state = 'after';
        } else throw new SyntaxError('a closing brace outside any object');
      } else if (c === COMMA && this.depth === 0) {
        this.emit(chunk, start, i);
        this.needValue = true;
      }
    }
    if (this.inElement) this.parts.push(chunk.subarray(start));
  }

  /** The body has been read through. Throws when it was cut short. */
  end(): SplitEnd {
    if (this.state === 'start') return { kind: 'empty' };
    if (this.state === 'other') return { kind: 'other', value: JSON.parse(Buffer.concat(this.other).toString('utf8')) };
    if (this.state === 'array') throw new SyntaxError('the array was cut short');
    return { kind: 'array', count: this.count };
  }

  private emit(chunk: Uint8Array, start: number, end: number): void {
    const last = chunk.subarray(start, end);
    const bytes = this.parts.length ? Buffer.concat([...this.parts, last]) : Buffer.from(last.buffer, last.byteOffset, last.length);
    this.parts = [];
    this.inElement = false;
    this.count++;
    this.row(JSON.parse(bytes.toString('utf8')));
  }
}

function indexOr(chunk: Uint8Array, byte: number, from: number, n: number): number {
  const at = chunk.indexOf(byte, from);
  return at < 0 ? n : at;
}

/** Reads a body stream through a splitter; each element goes to `row` as soon as its last byte is in. */
export async function readJsonRows(body: AsyncIterable<Uint8Array>, row: (value: unknown) => void): Promise<SplitEnd> {
  const s = new JsonArraySplitter(row);
  for await (const chunk of body) s.push(chunk);
  return s.end();
}
