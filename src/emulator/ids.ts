// Deterministic ids: 24-hex ObjectIds from a counter, numeric error ids, retry data keys.
import { hex8, mix32 } from './rng.js';

export class IdGen {
  private n = 0;
  private errorN = 0;
  private readonly buf = Buffer.alloc(12);
  constructor(private readonly salt: number) {}

  /** A 24-hex ObjectId: a timestamp-looking prefix, a mixed middle, the counter at the end (so always unique). */
  objectId(): string {
    const n = ++this.n;
    this.buf.writeUInt32BE((0x665f0000 + Math.floor(n / 4096)) >>> 0, 0);
    this.buf.writeUInt32BE(mix32(n ^ this.salt), 4);
    this.buf.writeUInt32BE(n >>> 0, 8);
    return this.buf.toString('hex');
  }

  /** Error ids are short numeric strings on the wire (celigo-api.md §7.3). */
  errorId(): number {
    this.errorN++;
    return 7_100_000_000 + this.errorN;
  }

  counters(): { objects: number; errors: number } {
    return { objects: this.n, errors: this.errorN };
  }
}

/** 32-hex retry data key derived from the error id (stable, looks like the real ones). */
export function retryDataKey(errorId: number): string {
  return hex8(mix32(errorId)) + hex8(mix32(errorId ^ 0x5bd1e995)) + hex8(mix32(errorId + 0x27d4eb2d)) + hex8(mix32(~errorId));
}

/** Short id for things like tag codes and api identifiers. */
export function shortHex(seed: number, len: number): string {
  return (hex8(mix32(seed)) + hex8(mix32(seed + 1))).slice(0, len);
}
