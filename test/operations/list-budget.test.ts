// Issue 12 items 2 and 3 for lists on an account far larger than the large seed: a page of any list holds
// at most `limit` rows and stays within the result budget however wide the rows are, its structured rows
// are the rows of its text, and paging with the cursor reaches every row exactly once.
import { describe, expect, it } from 'vitest';
import { RESULT_BUDGET } from '../../src/operations/fit.js';
import { listResult } from '../../src/operations/format.js';

const FIELDS = ['id', 'name', 'integration', 'message', 'tags'];
const rows = Array.from({ length: 22_000 }, (_, i) => ({
  id: i.toString(16).padStart(24, '0'),
  name: `Flow ${i} ${'x'.repeat(i % 7 === 0 ? 2_000 : 40)}`,
  integration: `Integration ${i % 2_200}`,
  message: i % 5 === 0 ? 'e\u0301'.repeat(300) : `Error ${i}`,
  tags: i % 3 === 0 ? { deep: Array.from({ length: 50 }, (_, k) => `t${k}`) } : undefined,
}));

describe('list pages on 22,000 wide rows', () => {
  it('every page fits the budget, holds at most limit rows, and the cursor reaches each row once', () => {
    const seen = new Set<string>();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const r = listResult('flows', rows, { limit: 500, cursor }, FIELDS);
      const s = r.structured as { total: number; truncated: boolean; nextCursor?: string; rows: { id: string }[] };
      expect(r.text.length + JSON.stringify(s).length).toBeLessThanOrEqual(RESULT_BUDGET);
      expect(s.rows.length).toBeGreaterThan(0);
      expect(s.rows.length).toBeLessThanOrEqual(500);
      expect(s.total).toBe(rows.length);
      for (const row of s.rows) {
        expect(seen.has(row.id), row.id).toBe(false);
        seen.add(row.id);
      }
      cursor = s.nextCursor;
      expect(s.truncated).toBe(!!cursor);
      pages++;
    } while (cursor && pages < 10_000);
    expect(seen.size).toBe(rows.length);
  });

  it('a long cell is cut the same way in the text and in the structured row', () => {
    const r = listResult('flows', rows.slice(0, 1), {}, FIELDS);
    const row = (r.structured as { rows: { name: string }[] }).rows[0]!;
    expect(row.name.length).toBe(400);
    expect(row.name.endsWith('…')).toBe(true);
    expect(r.text).toContain(row.name);
  });
});
