// Tables at 80 columns (issue 13 item 15): ids are shortened before names are cut, message columns keep
// room, and widths are display widths (CJK and emoji take two columns). TSV and --json keep whole ids.
import { describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { makeColors, renderTable, stripAnsi } from '../../src/cli/output.js';
import { run } from '../helpers/cli.js';

const HEX24 = /\b[0-9a-f]{24}\b/;

/** The cells of a table line, split on the two-space gutters of the header's column starts. */
function columns(table: string): { head: string[]; rows: string[][] } {
  const lines = stripAnsi(table).split('\n');
  const starts = [...lines[0].matchAll(/(?:^|\s{2})(\S)/g)].map((m) => m.index! + m[0].length - 1);
  const cut = (line: string) => {
    // Columns start at display positions: walk the line by characters.
    const chars = [...line];
    const cells: string[] = [];
    let pos = 0;
    let cur = '';
    let col = 0;
    for (const ch of chars) {
      if (col + 1 < starts.length && pos >= starts[col + 1]) {
        cells.push(cur.trim());
        cur = '';
        col++;
      }
      cur += ch;
      pos += stringWidth(ch);
    }
    cells.push(cur.trim());
    return cells;
  };
  return { head: cut(lines[0]), rows: lines.slice(1).map(cut) };
}

describe('tables at 80 columns', () => {
  it('flows list: short ids, names of at least 12 columns, nothing wider than the terminal', async () => {
    const r = await run(['--demo', 'flows', 'list'], { tty: true, columns: 80, env: { NO_COLOR: '1' } });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    for (const l of lines) expect(stringWidth(l), l).toBeLessThanOrEqual(80);
    const { head, rows } = columns(lines.slice(1).join('\n'));
    expect(head.slice(0, 2)).toEqual(['ID', 'NAME']);
    for (const row of rows) {
      expect(row[0]).toMatch(/^…[0-9a-f]{8}$/);
      expect(stringWidth(row[1])).toBeGreaterThanOrEqual(Math.min(12, row[1].length));
    }
    expect(rows.some((row) => stringWidth(row[1]) >= 12)).toBe(true);
  });

  it('errors list: the message column keeps more room than names', async () => {
    const r = await run(['--demo', 'errors', 'list', '--flow', 'Salesforce Case Comments to Zendesk'], { tty: true, columns: 80, env: { NO_COLOR: '1' } });
    const all = r.stdout.split('\n');
    const table = all.slice(all.findIndex((l) => l.includes('MESSAGE'))).join('\n').trimEnd();
    for (const l of table.split('\n')) expect(stringWidth(l), l).toBeLessThanOrEqual(80);
    const { head, rows } = columns(table);
    const m = head.indexOf('MESSAGE');
    expect(m).toBeGreaterThan(0);
    expect(stringWidth(rows[0][m])).toBeGreaterThanOrEqual(20);
    expect(stringWidth(rows[0][m])).toBeGreaterThan(stringWidth(rows[0][head.indexOf('FLOW')]));
    // Times are shortened whole ("12-02 00:25Z"), never cut to "2026-12…".
    expect(rows[0][0]).toMatch(/^\d\d-\d\d \d\d:\d\dZ$/);
  });

  it('a wide terminal keeps whole ids; TSV and --json always do', async () => {
    const wide = await run(['--demo', 'connections', 'list'], { tty: true, columns: 200 });
    expect(wide.stdout).toMatch(HEX24);
    const tsv = await run(['--demo', 'flows', 'list'], { tty: false, columns: 80 });
    for (const l of tsv.stdout.trimEnd().split('\n').slice(1)) expect(l.split('\t')[0]).toMatch(/^[0-9a-f]{24}$/);
    const json = JSON.parse((await run(['--demo', 'flows', 'list', '--json', 'id'], { tty: true, columns: 80 })).stdout) as { id: string }[];
    for (const f of json) expect(f.id).toMatch(/^[0-9a-f]{24}$/);
  });

  it('ids that are not Celigo ids (backup ids) stay whole', () => {
    const t = stripAnsi(renderTable([{ id: 'bk-20261202-012441Z-68ac8e', reason: 'x'.repeat(100) }], ['id', 'reason'], makeColors(false), 60));
    expect(t).toContain('bk-20261202-012441Z-68ac8e');
  });
});

describe('display width', () => {
  it('measures CJK and emoji as two columns and never cuts inside a character', () => {
    const rows = [
      { id: '665f00000fb86f2500000085', name: '注文の同期フロー（毎日）🚀🚀🚀 Shopify から NetSuite へ', status: 'ok' },
      { id: '665f00000fb86f2500000086', name: 'Plain ASCII name that is long enough to be cut here', status: 'ok' },
    ];
    const t = stripAnsi(renderTable(rows, ['id', 'name', 'status'], makeColors(false), 50));
    const lines = t.split('\n');
    for (const l of lines) expect(stringWidth(l), l).toBeLessThanOrEqual(50);
    // Every STATUS cell starts at the same display column: the wide characters were measured.
    const at = lines.map((l) => stringWidth(l.slice(0, l.lastIndexOf(l.includes('STATUS') ? 'STATUS' : 'ok'))));
    expect(new Set(at).size).toBe(1);
    expect(t).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    // With room, a name of wide characters is shown whole (its width is measured, not its length).
    const wide = stripAnsi(renderTable(rows, ['id', 'name', 'status'], makeColors(false), 200));
    expect(wide).toContain(rows[0].name);
  });
});
