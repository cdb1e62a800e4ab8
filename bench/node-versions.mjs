// Issue 15: start-up on Node 20, 22 and 24 against the same targets as suites mcp and cli: spawn to
// initialize response and peak RSS of `celigo-manage mcp` against the bare one-tool SDK v2 server
// (bench/bare-server.mjs) run by the same Node, and the CLI cold starts. Node 22 and 24 come from where
// .ci/run put them (bench/node-binaries.mjs); one that is absent is reported as such.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bareNode, coldStart } from './cli.mjs';
import { fmt, stats } from './lib.mjs';
import { startup } from './mcp.mjs';
import { MAJORS, nodeBinary } from './node-binaries.mjs';

const bundle = fileURLToPath(new URL('../dist/bundle/celigo-manage.cjs', import.meta.url));

async function rowsFor(n) {
  // The build wrote the code cache of the Node that ran it (bin/load-bundle.js). Any other Node starts
  // without one, as after an npm install: its first run (the warm-up of `mcp`) writes it.
  const running = n.path === process.execPath;
  if (!running) rmSync(`${bundle}.${execFileSync(n.path, ['-p', 'process.versions.v8'], { encoding: 'utf8' }).trim()}.v8cache`, { force: true });
  const cacheNote = running ? 'code cache written by the build' : 'code cache written by the first warm-up run';
  const { ours, base } = await startup(15, n.path);
  const median = (list, k) => stats(list.map((o) => o[k])).median;
  const start = [median(ours, 'startMs'), median(base, 'startMs')];
  const rss = [median(ours, 'rss'), median(base, 'rss')];
  const version = coldStart(['--version'], 20, n.path);
  const flows = coldStart(['--demo', 'flows', 'list'], 20, n.path);
  const floor = bareNode(n.path);
  const v = `Node ${n.version}`;
  return [
    { figure: `${v}: spawn to initialize response, \`celigo-manage mcp\` vs bare one-tool SDK v2 server`, value: `${fmt(start[0] / start[1])}x (${fmt(start[0], 0)} vs ${fmt(start[1], 0)} ms)`, target: '<= 1.10x', ok: start[0] / start[1] <= 1.1, note: `medians of ${ours.length} alternating runs each, both servers on this Node; ${cacheNote}` },
    { figure: `${v}: peak RSS after tools/list, same comparison`, value: `${fmt(rss[0] / rss[1])}x (${fmt(rss[0], 1)} vs ${fmt(rss[1], 1)} MB)`, target: '<= 1.08x', ok: rss[0] / rss[1] <= 1.08, note: 'VmHWM of the server process' },
    { figure: `${v}: CLI cold start, \`celigo-manage --version\``, value: `${fmt(version.median, 0)} ms`, target: '<= 150 ms median', ok: version.median <= 150, note: `p95 ${fmt(version.p95, 0)} ms; bare \`node -e 0\` ${fmt(floor.median, 0)} ms` },
    { figure: `${v}: CLI cold start, \`celigo-manage --demo flows list\``, value: `${fmt(flows.median, 0)} ms`, target: '<= 300 ms median', ok: flows.median <= 300, note: `p95 ${fmt(flows.p95, 0)} ms; median of 20 after 2 warm-ups` },
  ];
}

export async function benchNodeVersions() {
  const rows = [];
  for (const major of MAJORS) {
    const n = nodeBinary(major);
    if (!n.path) rows.push({ figure: `Node ${major}: start-up`, value: 'absent', target: '', note: n.absent });
    else rows.push(...(await rowsFor(n)));
  }
  return rows;
}
