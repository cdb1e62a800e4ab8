import { describe, expect, it } from 'vitest';
import { Output, cellText, colorEnabled, fitWidths, formatDuration, renderTable, makeColors, stripAnsi } from '../../src/cli/output.js';
import type { CliIO } from '../../src/cli/io.js';
import { PassThrough } from 'node:stream';
import { UsageError, CeligoApiError } from '../../src/core/errors.js';

function fakeIO(tty: boolean, env: NodeJS.ProcessEnv = {}) {
  const o = { out: '', err: '' };
  const io: CliIO = {
    stdout: { write: (s: string) => (o.out += s) },
    stderr: { write: (s: string) => (o.err += s) },
    stdin: new PassThrough(),
    isTTY: tty,
    env,
    columns: 100,
  };
  return { io, o };
}

const rows = [
  { id: 'a1', name: 'Alpha', enabled: true, tags: ['x', 'y'], durationMs: 1500 },
  { id: 'b2', name: 'Beta', enabled: false, tags: [], durationMs: 90_000 },
];
const FIELDS = ['id', 'name', 'enabled', 'tags', 'durationMs'] as const;

describe('output', () => {
  it('prints a table with a "Showing N of M" header on a terminal', () => {
    const { io, o } = fakeIO(true, { NO_COLOR: '1' });
    new Output(io, {}).list(rows, { noun: 'things', fields: FIELDS, limit: 1 });
    expect(o.out).toContain('Showing 1 of 2 things');
    expect(o.out).toMatch(/ID\s+NAME\s+ENABLED\s+TAGS\s+DURATION/);
    expect(o.out).toContain('1.5s');
    expect(o.out).not.toContain('Beta');
  });

  it('prints TSV with a header row when piped, every row, no colour', () => {
    const { io, o } = fakeIO(false);
    new Output(io, {}).list(rows, { noun: 'things', fields: FIELDS });
    expect(o.out).toBe('id\tname\tenabled\ttags\tdurationMs\na1\tAlpha\ttrue\tx,y\t1500\nb2\tBeta\tfalse\t\t90000\n');
  });

  it('--json prints every field, --json a,b exactly those fields in that order', () => {
    const a = fakeIO(false);
    new Output(a.io, { json: true }).list(rows, { noun: 'things', fields: FIELDS });
    expect(JSON.parse(a.o.out)).toEqual(rows);
    const b = fakeIO(true);
    new Output(b.io, { json: 'name,id' }).list(rows, { noun: 'things', fields: FIELDS });
    expect(b.o.out.trim().startsWith('[')).toBe(true);
    expect(JSON.parse(b.o.out)).toEqual([{ name: 'Alpha', id: 'a1' }, { name: 'Beta', id: 'b2' }]);
  });

  it('an unknown --json field is a UsageError that lists the valid fields', () => {
    const { io } = fakeIO(false);
    expect(() => new Output(io, { json: 'id,nope' }).list(rows, { noun: 'things', fields: FIELDS })).toThrow(
      new UsageError('Unknown field for --json: nope. Valid fields: id, name, enabled, tags, durationMs.'),
    );
  });

  it('colour only on a terminal, never with NO_COLOR, TERM=dumb or --no-color', () => {
    expect(colorEnabled(fakeIO(true).io, {})).toBe(true);
    expect(colorEnabled(fakeIO(false).io, {})).toBe(false);
    expect(colorEnabled(fakeIO(true, { NO_COLOR: '1' }).io, {})).toBe(false);
    expect(colorEnabled(fakeIO(true, { NO_COLOR: '' }).io, {})).toBe(true);
    expect(colorEnabled(fakeIO(true, { TERM: 'dumb' }).io, {})).toBe(false);
    expect(colorEnabled(fakeIO(true).io, { color: false })).toBe(false);
  });

  it('scrubs secrets from everything it writes', () => {
    const { io, o } = fakeIO(false, { CELIGO_API_TOKEN: 'tok-1234567890abcdef' });
    const out = new Output(io, {});
    out.print('token tok-1234567890abcdef here');
    out.error(new Error('bad tok-1234567890abcdef'), 1);
    expect(o.out + o.err).not.toContain('tok-1234567890abcdef');
    expect(o.out).toContain('token *** here');
  });

  it('errors: one line with the fix, or JSON on stderr with --json; never a stack', () => {
    const err = new CeligoApiError({ status: 401, code: 'unauthorized', message: 'Unauthorized', method: 'GET', path: '/v1/flows' });
    const a = fakeIO(false);
    new Output(a.io, {}).error(err, 4);
    expect(a.o.err.trim().split('\n')).toHaveLength(1);
    expect(a.o.err).toContain('Check the API token');
    const b = fakeIO(false);
    new Output(b.io, { json: true }).error(err, 4);
    const j = JSON.parse(b.o.err);
    expect(j.error).toMatchObject({ type: 'api', status: 401, code: 'unauthorized', exitCode: 4 });
    expect(b.o.out).toBe('');
    const c = fakeIO(false);
    new Output(c.io, {}).error(new TypeError('boom'), 1);
    expect(c.o.err).not.toMatch(/\n\s+at /);
  });

  it('cells, durations and column fitting', () => {
    expect(cellText(true, 'enabled', 'table')).toBe('yes');
    expect(cellText(true, 'enabled', 'tsv')).toBe('true');
    expect(cellText('2026-11-20T02:00:00.000Z', 'createdAt', 'table')).toBe('2026-11-20 02:00:00Z');
    expect(cellText('a\tb\nc', 'x', 'tsv')).toBe('a b c');
    expect(formatDuration(650)).toBe('650ms');
    expect(formatDuration(65_000)).toBe('1m05s');
    expect(fitWidths([24, 50, 50], 80, ['id', 'name', 'name'])).toEqual([24, 26, 26]);
    expect(fitWidths([24, 50, 50], 60, ['id', 'name', 'name'])).toEqual([9, 23, 24]);
    const t = stripAnsi(renderTable([{ id: '665f00000fb86f2500000085', name: 'x'.repeat(80) }], ['id', 'name'], makeColors(false), 60));
    expect(t).toContain('665f00000fb86f2500000085');
    expect(Math.max(...t.split('\n').map((l) => l.length))).toBeLessThanOrEqual(60);
  });
});
