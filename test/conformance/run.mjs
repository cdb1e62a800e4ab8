#!/usr/bin/env node
// MCP conformance: runs the official suites against `celigo-manage mcp --http --port 0 --demo`, twice:
//   fixtures   - CELIGO_MANAGE_CONFORMANCE=1 (the scenario fixtures registered): every scored scenario must pass;
//   production - the shipped configuration (no fixtures): compared with the pinned baseline.json.
// Suites (Node 22 comes from npx; nothing is installed into the project):
//   0.1.16      @modelcontextprotocol/conformance@0.1.16 (default suite)
//   2025-11-25  @modelcontextprotocol/conformance@0.2.0-alpha.12 --requirements 2025-11-25
//   2026-07-28  @modelcontextprotocol/conformance@0.2.0-alpha.12 --requirements 2026-07-28
// Exit 1 on a regression (a scenario the baseline says passes now fails). Flags:
//   --update        rewrite baseline.json from this run
//   --only <cfg>    fixtures | production
//   --suite <name>  one suite
//   --no-build      use dist/ as it is (default: build it first with tsc -p tsconfig.build.json)
// Per-check results of the last run are kept in test/.artifacts/conformance/.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const baselinePath = join(here, 'baseline.json');
// Per-check details of the last run, for looking into a failure: <config>-<suite>/<scenario>/checks.json.
const artifacts = join(root, 'test', '.artifacts', 'conformance');
const NODE22 = 'node@22.23.3';
const SUITES = {
  '0.1.16': ['@modelcontextprotocol/conformance@0.1.16', []],
  '2025-11-25': ['@modelcontextprotocol/conformance@0.2.0-alpha.12', ['--requirements', '2025-11-25']],
  '2026-07-28': ['@modelcontextprotocol/conformance@0.2.0-alpha.12', ['--requirements', '2026-07-28']],
};
const CONFIGS = { fixtures: { CELIGO_MANAGE_CONFORMANCE: '1' }, production: { CELIGO_MANAGE_CONFORMANCE: '' } };

const argv = process.argv.slice(2);
const flag = (f) => argv.includes(f);
const value = (f) => (argv.includes(f) ? argv[argv.indexOf(f) + 1] : undefined);
const onlyCfg = value('--only');
const onlySuite = value('--suite');
const configs = Object.keys(CONFIGS).filter((c) => !onlyCfg || c === onlyCfg);
const suites = Object.keys(SUITES).filter((s) => !onlySuite || s === onlySuite);

function build() {
  process.stderr.write('conformance: building dist/ ...\n');
  const r = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (!existsSync(join(root, 'dist/cli/main.js'))) {
    console.error('conformance: dist/cli/main.js is missing after the build; fix the build first.');
    process.exit(2);
  }
  if (r.status) process.stderr.write('conformance: tsc reported errors (dist/ was still written); continuing.\n');
}

/** Starts the server, resolves with its URL (parsed from the stderr start-up line) and a stop function. */
function startServer(extraEnv) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/celigo-manage.js', 'mcp', '--http', '--port', '0', '--demo'], {
      cwd: root,
      env: { ...process.env, ...extraEnv },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`server did not start in 30 s:\n${err}`));
    }, 30_000);
    child.stderr.on('data', (d) => {
      err += d;
      const m = /on (http:\/\/\S+\/mcp)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1],
          stop: () => new Promise((r) => (child.exitCode !== null ? r() : (child.once('exit', () => r()), child.kill('SIGTERM')))),
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${err}`));
    });
  });
}

/** Runs one suite; returns { scenario: { passed, failed, scored } }. */
function runSuite(name, url, outDir) {
  const [pkg, extra] = SUITES[name];
  rmSync(outDir, { recursive: true, force: true });
  const args = ['-y', '-p', NODE22, '-p', pkg, '--', 'conformance', 'server', '--url', url, '-o', outDir, ...extra];
  return new Promise((resolve) => {
    const child = spawn('npx', args, { cwd: here, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', () => {
      const results = {};
      const summary = out.slice(out.lastIndexOf('=== SUMMARY ==='));
      for (const m of summary.matchAll(/^[✓✗] (\S+): (\d+) passed, (\d+) failed/gm)) {
        results[m[1]] = { passed: Number(m[2]), failed: Number(m[3]), scored: true };
      }
      const notScored = summary.slice(summary.indexOf('Not scored'));
      if (summary.includes('Not scored')) {
        for (const m of notScored.matchAll(/^\s+[✓✗] (\S+) \(/gm)) if (results[m[1]]) results[m[1]].scored = false;
      }
      if (!Object.keys(results).length) {
        process.stderr.write(`conformance: no summary from suite ${name}; output tail:\n${out.slice(-3000)}\n`);
      }
      resolve(results);
    });
  });
}

const verdict = (r) => (r.failed === 0 ? 'pass' : 'fail');

async function main() {
  if (!flag('--no-build')) build();
  const baseline = existsSync(baselinePath) ? JSON.parse(readFileSync(baselinePath, 'utf8')) : {};
  const now = {};
  const rows = [];
  const regressions = [];
  const improvements = [];

  for (const cfg of configs) {
    const server = await startServer(CONFIGS[cfg]);
    process.stderr.write(`conformance: ${cfg} server at ${server.url}\n`);
    try {
      for (const suite of suites) {
        process.stderr.write(`conformance: ${cfg} / ${suite} ...\n`);
        const res = await runSuite(suite, server.url, join(artifacts, `${cfg}-${suite}`));
        const pinned = baseline[cfg]?.[suite]?.scenarios ?? {};
        const scenarios = {};
        let p = 0, f = 0, checksP = 0, checksF = 0, unscoredFail = 0;
        for (const [name, r] of Object.entries(res)) {
          scenarios[name] = r.scored ? verdict(r) : `${verdict(r)} (not scored)`;
          checksP += r.passed;
          checksF += r.failed;
          if (!r.scored) {
            if (r.failed) unscoredFail++;
          } else if (r.failed) f++;
          else p++;
          const was = pinned[name]?.split(' ')[0];
          if (was === 'pass' && verdict(r) === 'fail') regressions.push(`${cfg} / ${suite} / ${name}`);
          if (was === 'fail' && verdict(r) === 'pass') improvements.push(`${cfg} / ${suite} / ${name}`);
        }
        for (const name of Object.keys(pinned)) {
          if (!(name in res) && pinned[name].startsWith('pass')) regressions.push(`${cfg} / ${suite} / ${name} (did not run)`);
        }
        // With the fixtures on, every scored scenario must pass whatever the baseline says.
        if (cfg === 'fixtures') for (const [name, r] of Object.entries(res)) if (r.scored && r.failed && !regressions.some((x) => x.endsWith(`/ ${name}`))) regressions.push(`${cfg} / ${suite} / ${name} (scored, must pass with fixtures)`);
        now[cfg] ??= {};
        now[cfg][suite] = { scored: { passed: p, failed: f }, checks: { passed: checksP, failed: checksF }, unscoredFailing: unscoredFail, scenarios };
        rows.push([cfg, suite, p, f, unscoredFail, `${checksP}/${checksP + checksF}`]);
      }
    } finally {
      await server.stop();
    }
  }

  const head = ['config', 'suite', 'scored pass', 'scored fail', 'unscored fail', 'checks passed'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => '| ' + r.map((c, i) => String(c).padEnd(widths[i])).join(' | ') + ' |';
  console.log(line(head));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const r of rows) console.log(line(r));
  if (improvements.length) console.log(`\nNow passing (not in the baseline): ${improvements.join(', ')}. Run with --update to pin.`);

  if (flag('--update')) {
    const next = { ...baseline, generated: new Date().toISOString().slice(0, 10) };
    next.note =
      'Pinned conformance results. "fixtures" = CELIGO_MANAGE_CONFORMANCE=1; "production" = the shipped server ' +
      '(no fixture tools, so the fixture-named scenarios fail by design). Regenerate: node test/conformance/run.mjs --update';
    for (const [cfg, bySuite] of Object.entries(now)) next[cfg] = { ...(next[cfg] ?? {}), ...bySuite };
    writeFileSync(baselinePath, JSON.stringify(next, null, 2) + '\n');
    console.log(`\nbaseline written: ${baselinePath}`);
  }
  if (regressions.length && !flag('--update')) {
    console.log(`\nREGRESSIONS (${regressions.length}):\n  ${regressions.join('\n  ')}`);
    process.exit(1);
  }
  console.log(regressions.length ? '' : '\nNo regressions.');
}

main().catch((err) => {
  console.error(`conformance: ${err.stack ?? err}`);
  process.exit(2);
});
