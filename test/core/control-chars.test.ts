// Terminal escapes and control characters in API strings (issue 13 item 5).
/* eslint-disable no-control-regex */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeJsonControls, guardTerminal, stripControls, stripControlsDeep } from '../../src/core/control-chars.js';

const OSC8 = 'A\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07B';

describe('stripControls', () => {
  it.each([
    ['Evil\x1b[31mRED\x1b[0m', 'EvilRED'],
    [OSC8, 'AclickB'],
    ['A\x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\B', 'AlinkB'],
    ['title\x1b]0;pwned\x07 done', 'title done'],
    ['cut \x1b]8;;https://evil.example/', 'cut '],
    ['C1\x9b31mred\x9d0;x\x9c!', 'C1red!'],
    ['over\rwrite', 'over write'],
    ['bell\x07 and \x00nul \x7fdel', 'bell and nul del'],
    ['rtl \u202eevil\u202c', 'rtl evil'],
    ['\x1bc reset \x1b7save', ' reset save'],
    ['tab\tand\nnewline', 'tab and newline'],
    ['plain ünïcödé 名前 🚀', 'plain ünïcödé 名前 🚀'],
  ])('%j → %j', (input, out) => {
    expect(stripControls(input)).toBe(out);
  });

  it('keeps tab and newline when the layout needs them, and turns CR into a newline', () => {
    expect(stripControls('a\tb\r\nc\rd\x1b[2Ke', { lines: true })).toBe('a\tb\nc\nde');
  });

  it('leaves nothing a terminal would act on, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        expect(stripControls(s)).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
        expect(stripControls(s, { lines: true })).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
      }),
    );
  });
});

describe('stripControlsDeep', () => {
  it('cleans strings and keys of plain data, keeps other values and returns the same object when clean', () => {
    const clean = { a: 'x', b: [1, 'y'], c: { d: true } };
    expect(stripControlsDeep(clean)).toBe(clean);
    const date = new Date(0);
    const out = stripControlsDeep({ name: 'E\x1b[31mvil', rows: [{ 'k\x1b]0;t\x07': 'm\r\nn' }], n: 3, date });
    expect(out).toEqual({ name: 'Evil', rows: [{ k: 'm\nn' }], n: 3, date });
    expect(out.date).toBe(date);
  });
});

describe('guardTerminal', () => {
  it('keeps our colours and removes every other sequence and control', () => {
    expect(guardTerminal('\x1b[1mbold\x1b[22m \x1b[31mred\x1b[39m')).toBe('\x1b[1mbold\x1b[22m \x1b[31mred\x1b[39m');
    expect(guardTerminal(`x ${OSC8} \x1b[2J\x1b[H y\rz\x9b1m`)).toBe('x AclickB  y\nz');
  });
});

describe('escapeJsonControls', () => {
  it('writes C1 and bidi characters as escapes; the JSON still parses to the same value', () => {
    const v = { name: 'a\x9b31mb\u202ec\x1b' };
    const text = escapeJsonControls(JSON.stringify(v));
    expect(text).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202e]/);
    expect(JSON.parse(text)).toEqual(v);
  });
});
