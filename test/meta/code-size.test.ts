// Small files and functions, kept that way: no function in src/ longer than 100 lines and no file longer
// than 400 (scripts/code-size.mjs measures; run it to see the offenders).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { measure } from '../../scripts/code-size.mjs';

describe('code size', () => {
  const r = measure(join(import.meta.dirname, '..', '..'), 100, 400) as { longFunctions: { file: string; name: string; lines: number }[]; longFiles: { file: string; lines: number }[] };
  it('no function in src/ is longer than 100 lines', () => {
    expect(r.longFunctions.map((f) => `${f.file} ${f.name}: ${f.lines}`)).toEqual([]);
  });
  it('no file in src/ is longer than 400 lines', () => {
    expect(r.longFiles.map((f) => `${f.file}: ${f.lines}`)).toEqual([]);
  });
});
