// The ids one page read has handed out (core/job-slices.ts), kept only in case the page has to be read
// again after a failure part way (its rows come again from the first). A Set of the id strings held a
// thousand strings and a growing hash table per page for the page's whole transfer: on a large account
// that was a fifth of what the job read left for the old generation to collect. Here an id of 24 hex
// digits (Celigo's) is 12 bytes of one array; any other id is kept as given. A Set is made only for a
// read that is retried.

const HEX_ID = /^[0-9a-f]{24}$/;
const BYTES = 12;

export class IdLog {
  private bytes = new Uint8Array(BYTES * 64);
  private packed = 0;
  private others?: string[];

  add(id: string): void {
    if (!HEX_ID.test(id)) return void (this.others ??= []).push(id);
    if ((this.packed + 1) * BYTES > this.bytes.length) {
      const bigger = new Uint8Array(this.bytes.length * 2);
      bigger.set(this.bytes);
      this.bytes = bigger;
    }
    const at = this.packed++ * BYTES;
    for (let i = 0; i < BYTES; i++) this.bytes[at + i] = (nibble(id.charCodeAt(2 * i)) << 4) | nibble(id.charCodeAt(2 * i + 1));
  }

  /** Every id logged, as a Set of the strings given. */
  toSet(): Set<string> {
    const out = new Set<string>(this.others);
    for (let r = 0; r < this.packed; r++) {
      let id = '';
      for (let i = 0; i < BYTES; i++) id += this.bytes[r * BYTES + i]!.toString(16).padStart(2, '0');
      out.add(id);
    }
    return out;
  }
}

/** The value of a hex digit's character code (0-9, a-f). */
const nibble = (c: number): number => (c <= 0x39 ? c - 0x30 : c - 0x57);
