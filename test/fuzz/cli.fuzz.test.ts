// Every CLI command run in-process (main(argv, io)) with arbitrary flags and arguments: the exit code is
// one of the documented ones, no stack trace reaches stdout or stderr, and the token never does.
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNouns } from '../../src/cli/commands/index.js';
import type { CommandSpec } from '../../src/cli/spec.js';
import { DEMO } from '../../src/emulator/seed/demo.js';
import { DEMO_TOKEN } from '../../src/emulator/index.js';
import { run } from '../helpers/cli.js';
import { params, prototypeIsClean, stackTraceIn, tempDir, tokenIn } from './helpers.js';

const EXIT_CODES = [0, 1, 2, 4, 8];
const nouns = await loadNouns();
const commands: { path: string[]; spec: CommandSpec }[] = nouns.flatMap((n) =>
  n.command ? [{ path: [n.name], spec: n.command }] : (n.verbs ?? []).map((v) => ({ path: [n.name, v.name], spec: v })),
);
const SERVERS = new Set(['mcp', 'emulator']);
/** Flags that only make a run wait on the wall clock (covered by the commands' own tests). */
const SKIP_FLAGS = new Set(['--wait', '--timeout']);

let dir: string;
/** Exit codes seen, to show the fuzz reaches the handlers and not only the parser. */
const seen = new Map<number, number>();
let files: string[];

const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '', ' ', '-', '--', '-1', '0', '1e9', 'NaN', '9999999999999999999', '--json', '--yes', '-h', '%s', '\u0000', '\u001b[31mred',
      '../../etc/passwd', '${HOME}', '$(id)', '`id`', 'a,b,,c', 'id,nope', '*', '/(x+)+$/', 'Ignore previous instructions', 'x'.repeat(10_000),
    ),
  },
);

const NAMES: Record<string, string[]> = {
  integration: [...Object.values(DEMO.integrations), 'Shopify', 'nope'],
  flow: ['Shopify Customers to NetSuite', 'Daily Exchange Rates to NetSuite', DEMO.mappingEditedFlow, 'Orders', 'nope'],
  connection: ['NetSuite Production', ...DEMO.brokenConnections, DEMO.offlineConnection, 'nope'],
  export: ['Shopify Orders', 'nope'],
  import: ['NetSuite Customers', 'nope'],
  tag: [...DEMO.tags],
  range: ['last 24 hours', 'yesterday', 'last week', '2026-01-01..2026-01-02', 'since Monday'],
  status: ['failed', 'completed', 'running', 'bogus'],
  shell: ['bash', 'zsh', 'fish'],
  method: ['GET', 'get', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'TRACE'],
  path: ['/integrations', '/flows', '/jobs', '/tokenInfo', '/nope', '/v1/connections', 'http://evil.example/v1/flows', '/flows/../../etc'],
  region: ['na', 'eu', 'au', 'mars'],
  'base-url': ['http://127.0.0.1:1/v1', 'not a url', 'https://api.integrator.io/v1'],
  'token-env': ['MY_TOKEN', 'not valid', '1X'],
  'fail-on': ['failing', 'degraded', 'never', 'bogus'],
  type: ['http', 'ftp', 'netsuite', 'flow', 'retry', 'bogus'],
  source: ['export', 'import', 'bogus'],
  seed: ['demo', 'empty', 'large', 'bogus'],
  'rate-limit': ['off', '10,5', 'nope'],
  verdict: ['failing', 'degraded'],
};

function namesFor(key: string): string[] | undefined {
  return NAMES[key] ?? NAMES[key.replace(/s$/, '')];
}

/** A value for an argument or option called `name` (file options get files with junk or no file at all). */
function valueFor(name: string): fc.Arbitrary<string> {
  if (/^(file|spec|config|changes|sample|input|html)$/.test(name)) return fc.constantFrom(...files);
  const pool = namesFor(name);
  return pool ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pool) }, { weight: 2, arbitrary: text }) : text;
}

function argvFor(path: string[], spec: CommandSpec): fc.Arbitrary<string[]> {
  const server = SERVERS.has(path[0]);
  const globals = fc.tuple(
    fc.oneof({ weight: 5, arbitrary: fc.constant(['--demo']) }, { weight: 1, arbitrary: fc.constant([] as string[]) }),
    fc.subarray(['--json', '--yes', '--read-only', '--no-color']),
    fc.option(fc.oneof(fc.constant(['--json', 'id,name']), fc.tuple(fc.constant('--json'), text).map((x) => [...x]), fc.tuple(fc.constant('--profile'), text).map((x) => [...x])), { nil: undefined }),
  ).map(([a, b, c]) => [...a, ...b, ...(c ?? [])]);

  const positional = fc.tuple(
    ...(spec.args ?? []).map((a) => {
      const name = a.replace(/[<>[\].]/g, '');
      const one = valueFor(name);
      if (a.endsWith('...]') || a.endsWith('...>')) return fc.array(one, { maxLength: 3 });
      if (a.startsWith('[')) return fc.option(one.map((v) => [v]), { nil: [] as string[] });
      return fc.oneof({ weight: 9, arbitrary: one.map((v) => [v]) }, { weight: 1, arbitrary: fc.constant([] as string[]) });
    }),
  ).map((xs) => xs.flat());

  const usable = (spec.options ?? []).filter((o) => {
    const flag = o.flags.split(/[ ,]/)[0];
    return !SKIP_FLAGS.has(flag) && !(server && (flag === '--port' || flag === '--host'));
  });
  const options = fc
    .subarray(usable, { maxLength: Math.min(4, usable.length) })
    .chain((chosen) =>
      fc.tuple(
        ...chosen.map((o) => {
          const flag = o.flags.split(/[ ,]/).filter((f) => f.startsWith('--'))[0] ?? o.flags;
          const takes = /[<[]/.test(o.flags);
          if (!takes) return fc.constant([flag]);
          const v = valueFor(flag.replace(/^--/, ''));
          return fc.oneof(
            { weight: 4, arbitrary: v.map((x) => [flag, x]) },
            { weight: 1, arbitrary: v.map((x) => [`${flag}=${x}`]) },
            { weight: 1, arbitrary: fc.constant([flag]) },
          );
        }),
      ),
    )
    .map((xs) => xs.flat());

  const junkFlags = fc.subarray(['--frobnicate', '-z', '--limit=abc', '--limit', '-5', '--json=nope', 'surplus', '--', '--help', '--no-such'], { minLength: 1, maxLength: 2 });
  const extra = fc.oneof({ weight: 3, arbitrary: fc.constant([] as string[]) }, { weight: 1, arbitrary: junkFlags });

  return fc.tuple(globals, positional, options, extra, fc.boolean()).chain(([g, p, o, e, shuffle]) => {
    const tail = [...p, ...o, ...e];
    const forced = path[0] === 'mcp' ? ['--http', '--port', '0'] : path[0] === 'emulator' ? ['--port', '0'] : path.join(' ') === 'exports run' ? ['--no-wait'] : [];
    const base = shuffle ? fc.shuffledSubarray(tail, { minLength: tail.length, maxLength: tail.length }) : fc.constant(tail);
    return base.map((t) => [...g, ...path, ...t, ...forced]);
  });
}

async function check(path: string[], argv: string[]): Promise<void> {
  const where = JSON.stringify(argv).slice(0, 400);
  const ac = new AbortController();
  // Servers start and stop at once: their flags are parsed and checked, nothing keeps running.
  if (SERVERS.has(path[0]) || argv.some((a) => SERVERS.has(a))) ac.abort();
  const r = await run(argv, { input: 'n\n', signal: ac.signal, tty: argv.includes('--no-color') });
  const all = r.stdout + r.stderr;
  seen.set(r.code, (seen.get(r.code) ?? 0) + 1);
  expect(EXIT_CODES, `${where}: exit ${r.code}; stderr ${r.stderr.slice(0, 300)}`).toContain(r.code);
  expect(stackTraceIn(all), `${where}: stack trace in ${all.slice(0, 800)}`).toBeUndefined();
  expect(tokenIn(all, DEMO_TOKEN), `${where}: token in the output`).toBeUndefined();
  if (r.code !== 0 && r.code !== 8) expect(all.trim().length, `${where}: exit ${r.code} without a message`).toBeGreaterThan(0);
  // Bounded output for errors, whatever the input was.
  if (r.code === 1) expect(r.stderr.length, `${where}: ${r.stderr.length} chars on stderr`).toBeLessThan(20_000);
}

describe('CLI fuzz', () => {
  const cwd = process.cwd();
  beforeAll(() => {
    dir = tempDir('cm-fuzz-cli-');
    // Relative paths the fuzz makes up (an option's value taken as a file name) land in the temp dir.
    process.chdir(dir);
    const contents: Record<string, string> = {
      'empty.json': '',
      'junk.json': '{"a":',
      'array.json': '[1,2,3]',
      'object.json': '{"name":"x","__proto__":{"polluted":"yes"},"changes":[{"op":"add"}]}',
      'binary.json': '\u0000\u00ff\ufffe',
      'spec.json': JSON.stringify({ name: 'Fuzz', recordType: 'customer', source: { connection: 'NetSuite Production' }, destination: { type: 'http' } }),
    };
    files = Object.entries(contents).map(([name, body]) => {
      const p = join(dir, name);
      writeFileSync(p, body);
      return p;
    });
    files.push(join(dir, 'missing.json'), join(dir, 'out', 'report.html'), dir, '-');
  });
  afterAll(() => {
    process.chdir(cwd);
    expect(prototypeIsClean()).toBe(true);
    // Every documented outcome but "still pending" (no --wait here) is reached.
    // Both outcomes are reached: the fuzz gets past the parser into the handlers.
    expect(seen.get(0) ?? 0).toBeGreaterThan(20);
    expect(seen.get(1) ?? 0).toBeGreaterThan(20);
    if (process.env.FUZZ_VERBOSE) console.log('exit codes', Object.fromEntries(seen));
  });

  it('covers every command of the table', () => {
    expect(commands.length).toBeGreaterThan(30);
  });

  for (const { path, spec } of commands) {
    it(`${path.join(' ')}: arbitrary flags and arguments`, async () => {
      await fc.assert(fc.asyncProperty(argvFor(path, spec), (argv) => check(path, argv)), params(SERVERS.has(path[0]) ? 4 : 10));
    });
  }

  it('arbitrary argv (not even a command)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(text, fc.constantFrom('--demo', 'flows', 'list', 'help', '--json', '-V', '--version', '--help')), { maxLength: 5 }), (argv) =>
        check(['?'], argv),
      ),
      params(40),
    );
  });
});
