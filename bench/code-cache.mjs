// Issue 15: Node's own compile cache (module.enableCompileCache, Node 22.1 and later) against the
// hand-made V8 code cache (bin/load-bundle.js), per Node version, cold (no cache) and warm (the cache an
// earlier run of the same command left; for the hand-made one also as `npm run build` warms it).
// Medians of alternating runs. Not a suite of bench/run.mjs: it chose the cache per Node version, and
// its table is in docs/decisions.md ("Start-up (issue 15)"). Usage: node bench/code-cache.mjs [rounds]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { WRAPPER_END, WRAPPER_START } from '../bin/load-bundle.js';
import { fmt, stats } from './lib.mjs';
import { MAJORS, nodeBinary } from './node-binaries.mjs';
import { startServer } from './stdio-client.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const rounds = Number(process.argv[2] ?? 15);

/** A copy of what npm installs, so that the caches of the worktree are left alone. */
function install() {
  const at = mkdtempSync(join(tmpdir(), 'cm-code-cache-'));
  for (const p of ['bin', 'dist', 'package.json']) cpSync(join(root, p), join(at, p), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(at, 'node_modules'));
  return at;
}

function clear(at, cache) {
  const dir = join(at, 'dist/bundle');
  if (cache === 'node') rmSync(join(dir, 'compile-cache'), { recursive: true, force: true });
  else for (const f of readdirSync(dir).filter((n) => n.endsWith('.v8cache'))) rmSync(join(dir, f));
}

const ENV = { ...process.env, NO_COLOR: '1', CELIGO_API_TOKEN: 'bench0000000000000000000000000000', NODE_OPTIONS: '' };
/** The shipped bin (hand-made cache), or the same with Node's compile cache (bench/compile-cache-bin.mjs). */
const binFor = (at, cache) => join(at, cache === 'node' ? 'bin/compile-cache.js' : 'bin/celigo-manage.js');

// CPU time (user + system) beside wall time: other work on the machine stretches wall time far more.
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const cpuFile = join(tmpdir(), `cm-code-cache-cpu-${process.pid}`);
const ticksMs = (pid) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10; // utime, stime: clock ticks, 100 a second
};

/**
 * One CLI command to its exit, or `mcp` from spawn to its initialize response (then closed, which lets
 * it write its cache): { wall, cpu } in ms.
 */
async function once(node, at, cache, command) {
  const bin = binFor(at, cache);
  if (command === 'mcp') {
    const s = startServer(node, [bin, 'mcp'], ENV);
    const init = await s.initialize();
    const cpu = ticksMs(s.child.pid);
    await s.close();
    return { wall: init.at - s.t0, cpu };
  }
  const argv = [node, bin, ...command.split(' ')];
  const t = performance.now();
  const r = TIME ? spawnSync(TIME, ['-f', '%U %S', '-o', cpuFile, ...argv], { env: ENV, encoding: 'utf8' }) : spawnSync(node, argv.slice(1), { env: ENV, encoding: 'utf8' });
  const wall = performance.now() - t;
  if (r.status !== 0) throw new Error(`celigo-manage ${command} exited ${r.status}: ${r.stderr.slice(0, 300)}`);
  const cpu = TIME ? readFileSync(cpuFile, 'utf8').trim().split('\n').pop().split(' ').reduce((a, b) => a + Number(b) * 1000, 0) : NaN;
  return { wall, cpu };
}

/** Medians per cache, runs alternating between them. */
async function measure(node, at, caches, command, state) {
  const times = Object.fromEntries(caches.map((c) => [c, []]));
  for (const c of caches) {
    clear(at, c);
    if (state === 'built' && c === 'v8') spawnSync(node, [join(at, 'scripts/warm-cache.mjs')], { env: ENV, stdio: 'ignore' });
    if (state !== 'cold') await once(node, at, c, command);
  }
  for (let i = 0; i < rounds; i++) {
    for (const c of caches) {
      if (state === 'cold') clear(at, c);
      times[c].push(await once(node, at, c, command));
    }
  }
  const median = (c, k) => stats(times[c].map((t) => t[k])).median;
  return Object.fromEntries(caches.map((c) => [c, { wall: median(c, 'wall'), cpu: median(c, 'cpu') }]));
}

const at = install();
cpSync(join(root, 'scripts/warm-cache.mjs'), join(at, 'scripts/warm-cache.mjs'));
cpSync(join(root, 'bench/compile-cache-bin.mjs'), join(at, 'bin/compile-cache.js'));
// Node's compile cache needs a module to require(): the bundle without the wrapper scripts/bundle.mjs puts on it.
const wrapped = readFileSync(join(at, 'dist/bundle/celigo-manage.cjs'), 'latin1');
writeFileSync(join(at, 'dist/bundle/celigo-manage.module.cjs'), wrapped.slice(WRAPPER_START.length, wrapped.lastIndexOf(WRAPPER_END)), 'latin1');
const lines = ['| Node | Command | Cache state | Hand-made V8 cache | Node compile cache | Compile / hand-made |', '|---|---|---|---|---|---|'];
try {
  for (const major of MAJORS) {
    const n = nodeBinary(major);
    if (!n.path) {
      lines.push(`| ${major} | ${n.absent} | | | | |`);
      continue;
    }
    const probe = spawnSync(n.path, ['-p', 'typeof require("node:module").enableCompileCache'], { encoding: 'utf8' }).stdout.trim();
    const caches = probe === 'function' ? ['v8', 'node'] : ['v8'];
    for (const command of ['--version', '--demo flows list', 'mcp']) {
      for (const state of command === '--version' ? ['warm'] : ['cold', 'warm', 'built']) {
        process.stderr.write(`code-cache: ${n.version} ${command} ${state}\n`);
        const m = await measure(n.path, at, state === 'built' ? ['v8'] : caches, command, state);
        const cell = (x) => (x === undefined ? '—' : `${fmt(x.wall, 0)} ms (CPU ${fmt(x.cpu, 0)})`);
        const ratio = m.node === undefined ? '' : `${fmt(m.node.wall / m.v8.wall)}x (CPU ${fmt(m.node.cpu / m.v8.cpu)}x)`;
        const label = state === 'built' ? 'warmed by the build (hand-made only)' : state;
        lines.push(`| ${n.version} | \`${command}\`${command === 'mcp' ? ' (spawn to initialize)' : ''} | ${label} | ${cell(m.v8)} | ${cell(m.node)} | ${ratio} |`);
      }
    }
  }
} finally {
  rmSync(at, { recursive: true, force: true });
  rmSync(cpuFile, { force: true });
}
process.stdout.write(`Medians of ${rounds} alternating runs: wall time (CPU time, user + system, in brackets).\n\n${lines.join('\n')}\n`);
