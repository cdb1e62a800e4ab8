// Issue 12 item 8: a scripted agent does the three seed workflows through MCP only (SDK client over
// stdio, default configuration) on the demo and `large` seeds, choosing each call from the request, the
// server's instructions, tools/list, the prompts and earlier results. It reports calls, tokens
// (characters / 4 of every result's text and structuredContent, and of prompts/get), wall time and every
// guess. `node bench/agent.mjs [--seed demo|large] [--trace]` prints the table; `npm run bench` adds it to
// docs/benchmarks.md.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSession } from './agent/session.mjs';
import { requests } from './agent/requests.mjs';
import { healthWorkflow } from './agent/health.mjs';
import { troubleshootWorkflow } from './agent/troubleshoot.mjs';
import { createWorkflow } from './agent/create.mjs';
import { renderTable, renderTrace, rowsFor, TARGETS } from './agent/report.mjs';

const bin = fileURLToPath(new URL('../bin/celigo-manage.js', import.meta.url));
const TOKEN = 'de300000000000000000000000000001';

const WORKFLOWS = [
  { key: 'health', title: 'Daily health check', run: healthWorkflow },
  { key: 'troubleshoot', title: 'Troubleshoot, fix, retry, verify', run: troubleshootWorkflow },
  { key: 'create', title: 'Create an integration end to end', run: createWorkflow },
];

/** `celigo-manage emulator --seed large` in its own process, on a free port. */
async function startEmulator(seed) {
  const child = spawn(process.execPath, [bin, 'emulator', '--seed', seed, '--rate-limit', 'off', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  process.once('exit', () => child.kill());
  const baseUrl = await new Promise((resolve, reject) => {
    let buf = '';
    const onData = (d) => {
      buf += d;
      const m = /listening on (http:\/\/\S+)/.exec(buf);
      if (m) resolve(m[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`emulator exited ${code}: ${buf}`)));
  });
  return { baseUrl, close: () => new Promise((resolve) => (child.once('exit', resolve), child.kill())) };
}

/** One workflow in a fresh server (and a fresh CELIGO_MANAGE_HOME). */
async function runWorkflow(seed, wf, emu) {
  const home = mkdtempSync(join(tmpdir(), 'cm-agent-'));
  const request = requests[seed][wf.key];
  const serverArgs = emu ? [] : ['--demo'];
  const env = { CELIGO_MANAGE_HOME: home, ...(emu ? { CELIGO_API_TOKEN: TOKEN, CELIGO_BASE_URL: emu.baseUrl } : {}) };
  const s = await openSession({ serverArgs, env, request: request.text });
  let outcome;
  try {
    outcome = (await wf.run(s, request)).outcome;
  } catch (err) {
    outcome = `agent stopped: ${err?.message ?? err}`;
    s.finding(outcome);
  } finally {
    await s.close();
    rmSync(home, { recursive: true, force: true });
  }
  return { seed, workflow: wf.key, title: wf.title, request: request.text, outcome, ...s.summary() };
}

export async function runSeed(seed) {
  const emu = seed === 'demo' ? undefined : await startEmulator(seed);
  const results = [];
  try {
    // Workflow 1 only reads; 2 fixes and retries; 3 adds an integration. On `large` they share one
    // emulator in this order; on the demo each server embeds its own fresh demo account.
    for (const wf of WORKFLOWS) results.push(await runWorkflow(seed, wf, emu));
  } finally {
    await emu?.close();
  }
  return results;
}

/** For bench/run.mjs: the "Agent workflows" table of both seeds. */
export async function benchAgent() {
  const results = [...(await runSeed('demo')), ...(await runSeed('large'))];
  return rowsFor(results);
}

async function main() {
  const argv = process.argv.slice(2);
  const i = argv.indexOf('--seed');
  const seeds = i >= 0 ? [argv[i + 1]] : Object.keys(TARGETS);
  for (const seed of seeds) if (!TARGETS[seed]) throw new Error(`--seed takes ${Object.keys(TARGETS).join(' or ')}`);
  const results = [];
  for (const seed of seeds) results.push(...(await runSeed(seed)));
  if (argv.includes('--trace')) process.stdout.write(renderTrace(results) + '\n');
  process.stdout.write(renderTable(rowsFor(results)) + '\n\n');
  const summary = results.map(({ steps, request: _request, ...r }) => ({ ...r, steps: steps.map((st) => ({ n: st.n, call: st.kind === 'prompt' ? `prompts/get ${st.name}` : st.name, args: st.args, chars: st.chars })) }));
  process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  process.exit(0);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    console.error(err);
    process.exit(0); // a benchmark reports; it never fails
  });
}
