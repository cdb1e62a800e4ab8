// Issue 5: CLI cold start, measured as wall time of a spawned process (median of 20, after 2 warm-ups).
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { stats, fmt } from './lib.mjs';

const bin = fileURLToPath(new URL('../bin/celigo-manage.js', import.meta.url));

export function coldStart(args, n = 20, node = process.execPath) {
  const env = { ...process.env, NO_COLOR: '1' };
  delete env.CELIGO_API_TOKEN;
  const times = [];
  for (let i = 0; i < n + 2; i++) {
    const t = performance.now();
    const r = spawnSync(node, [bin, ...args], { env, encoding: 'utf8' });
    const ms = performance.now() - t;
    if (r.status !== 0) throw new Error(`celigo-manage ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 300)}`);
    if (i >= 2) times.push(ms);
  }
  return stats(times);
}

/** Wall time of a bare `node -e 0`, the floor under every start. */
export function bareNode(node = process.execPath, n = 10) {
  return stats(Array.from({ length: n }, () => {
    const t = performance.now();
    spawnSync(node, ['-e', '0']);
    return performance.now() - t;
  }));
}

export async function benchCli() {
  const nodeOnly = bareNode();
  const version = coldStart(['--version']);
  const flows = coldStart(['--demo', 'flows', 'list']);
  return [
    { figure: 'CLI cold start: `celigo-manage --version`', value: `${fmt(version.median, 0)} ms`, target: '<= 150 ms median', ok: version.median <= 150, note: `p95 ${fmt(version.p95, 0)} ms; bare \`node -e 0\` ${fmt(nodeOnly.median, 0)} ms` },
    { figure: 'CLI cold start: `celigo-manage --demo flows list`', value: `${fmt(flows.median, 0)} ms`, target: '<= 300 ms median', ok: flows.median <= 300, note: `p95 ${fmt(flows.p95, 0)} ms; includes starting the in-process emulator with the demo seed` },
  ];
}
