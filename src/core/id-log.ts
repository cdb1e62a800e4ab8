// The ids one page read has handed out (core/job-slices.ts), kept only in case the page has to be read
// again after a failure part way (its rows come again from the first). A Set of the id strings held a
// thousand strings and a growing hash table per page for the page's whole transfer: on a large account
// that was a fifth of what the job read left for the old generation to collect. Here an id of 24 hex
// digits (Celigo's) is four small integers (six digits each) of one array; any other id is kept as given.
// Small integers, not a typed array: a typed array's bytes live outside V8's heap, and a server reading
// pages all day fragmented its memory with them (the load benchmark's resident memory grew). A Set is
// made only for a read that is retried.

const HEX_ID = /^[0-9a-f]{24}$/;
/** Small integers an id is packed into, and the hex digits each holds (24 bits: a small integer in V8). */
const PARTS = 4;
const DIGITS = 6;

export class IdLog {
  private readonly packed: number[] = [];
  private others?: string[];

  add(id: string): void {
    if (!HEX_ID.test(id)) return void (this.others ??= []).push(id);
    for (let p = 0; p < PARTS; p++) {
      let v = 0;
      for (let i = p * DIGITS; i < (p + 1) * DIGITS; i++) v = (v << 4) | nibble(id.charCodeAt(i));
      this.packed.push(v);
    }
  }

  /** Every id logged, as a Set of the strings given. */
  toSet(): Set<string> {
    const out = new Set<string>(this.others);
    for (let r = 0; r < this.packed.length; r += PARTS) {
      let id = '';
      for (let p = 0; p < PARTS; p++) id += this.packed[r + p]!.toString(16).padStart(DIGITS, '0');
      out.add(id);
    }
    return out;
  }
}

/** The value of a hex digit's character code (0-9, a-f). */
const nibble = (c: number): number => (c <= 0x39 ? c - 0x30 : c - 0x57);
