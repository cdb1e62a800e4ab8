// Numbers of many small records in typed arrays of fixed-size blocks (issue 14 item 3). A table that
// grew by doubling one array copied all of it each time and left the old array behind (outside V8's heap,
// freed only by a full collection), and kept up to twice the room it needed: on a large account's health
// check that was tens of megabytes of its peak. Here it grows a block at a time and copies nothing but
// the first, small block while it fills.

/** Rows of `width` numbers in blocks of 2**shift rows; the first block grows from one row, the others come whole. */
export class Blocks<A extends Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array> {
  private blocks: A[];
  private readonly per: number;

  constructor(
    private readonly make: (length: number) => A,
    private rowWidth: number,
    private readonly shift: number,
    private readonly fill = 0,
  ) {
    this.per = 1 << shift;
    this.blocks = [this.alloc(1)];
  }

  get width(): number {
    return this.rowWidth;
  }

  /** Makes room for row `r`; rows are added in order, so it is never past the last block plus one. */
  reserve(r: number): void {
    const b = r >> this.shift;
    if (b === this.blocks.length) {
      this.blocks.push(this.alloc(this.per));
      return;
    }
    const blk = this.blocks[b]!;
    const rows = (r & (this.per - 1)) + 1;
    if (rows * this.rowWidth <= blk.length) return;
    const bigger = this.alloc(Math.min(this.per, Math.max(rows, (blk.length / this.rowWidth) * 2)));
    bigger.set(blk);
    this.blocks[b] = bigger;
  }

  /** The block holding row `r`; its numbers start at offset(r). */
  block(r: number): A {
    return this.blocks[r >> this.shift]!;
  }

  offset(r: number): number {
    return (r & (this.per - 1)) * this.rowWidth;
  }

  /** The first number of row `r` (a column of one number a row: get and set). */
  get(r: number): number {
    return this.blocks[r >> this.shift]![(r & (this.per - 1)) * this.rowWidth]!;
  }

  set(r: number, v: number): void {
    this.blocks[r >> this.shift]![(r & (this.per - 1)) * this.rowWidth] = v;
  }

  /** Every one of the first `rows` rows made `width` wide, its numbers kept at its start (the rest `fill`). */
  widen(width: number, rows: number): void {
    const old = { blocks: this.blocks, width: this.rowWidth };
    this.rowWidth = width;
    this.blocks = [this.alloc(Math.max(1, Math.min(this.per, rows)))];
    for (let r = 1; r < rows; r++) this.reserve(r);
    for (let r = 0; r < rows; r++) {
      const from = old.blocks[r >> this.shift]!;
      const at = (r & (this.per - 1)) * old.width;
      this.block(r).set(from.subarray(at, at + old.width), this.offset(r));
    }
  }

  private alloc(rows: number): A {
    const a = this.make(rows * this.rowWidth);
    if (this.fill !== 0) a.fill(this.fill);
    return a;
  }
}
