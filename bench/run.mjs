// npm run bench: runs every benchmark and writes docs/benchmarks.md (figure, value, target, verdict).
// Benchmarks report; they never fail CI on a time. `node bench/run.mjs client mcp` runs a subset.
import { writeFileSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const suites = {
  client: async () => (await import('./client-overhead.mjs')).benchClient(),
  mcp: async () => (await import('./mcp.mjs')).benchMcp(),
  cli: async () => (await import('./cli.mjs')).benchCli(),
  node: async () => (await import('./node-versions.mjs')).benchNodeVersions(),
  workflows: async () => (await import('./workflows.mjs')).benchWorkflows(),
  agent: async () => (await import('./agent.mjs')).benchAgent(),
  load: async () => (await import('./load.mjs')).benchLoad(),
  latency: async () => (await import('./latency.mjs')).benchLatency(),
  reads: async () => (await import('./shared-reads.mjs')).benchReads(),
  team: async () => (await import('./team.mjs')).benchTeam(),
};

const only = process.argv.slice(2);
const chosen = only.length ? only : Object.keys(suites);
const sections = [];
const started = Date.now();
for (const name of chosen) {
  if (!suites[name]) {
    console.error(`Unknown suite ${name}; choose from ${Object.keys(suites).join(', ')}`);
    process.exit(1);
  }
  process.stderr.write(`bench: ${name} …\n`);
  const t = Date.now();
  try {
    const rows = await suites[name]();
    sections.push({ name, rows, seconds: (Date.now() - t) / 1000 });
  } catch (err) {
    sections.push({ name, rows: [{ figure: `${name} suite`, value: 'ERROR', target: '', ok: false, note: String(err?.message ?? err) }], seconds: (Date.now() - t) / 1000 });
  }
}

const cpu = cpus();
const machine = `${cpu.length} × ${cpu[0]?.model?.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
const lines = [
  '# Benchmarks',
  '',
  `Written by \`npm run bench\` on ${new Date().toISOString()} — ${machine}. Whole run: ${Math.round((Date.now() - started) / 1000)} s.`,
  '',
  'Figures are measured, not asserted: a miss is reported here and never fails CI. Each suite lives in `bench/`.',
  '',
];
for (const s of sections) {
  lines.push(`## ${s.name} (${s.seconds.toFixed(1)} s)`, '');
  if (Array.isArray(s.rows)) {
    lines.push('| Figure | Value | Target | Met | Notes |', '|---|---|---|---|---|');
    for (const r of s.rows) lines.push(`| ${r.figure} | ${r.value} | ${r.target} | ${r.ok === undefined ? '' : r.ok ? 'yes' : '**no**'} | ${r.note ?? ''} |`);
  } else {
    // A suite with its own columns: { title, intro, columns: [{ key, title }], rows }.
    const t = s.rows;
    const cell = (v) => String(v ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
    lines.push(`**${t.title}**`, '', t.intro, '', `| ${t.columns.map((c) => c.title).join(' | ')} |`, `|${t.columns.map(() => '---').join('|')}|`);
    for (const r of t.rows) lines.push(`| ${t.columns.map((c) => cell(r[c.key])).join(' | ')} |`);
  }
  lines.push('');
}
const out = lines.join('\n');
if (only.length) {
  // A partial run updates only its own sections of an existing file.
  let prev = '';
  try {
    prev = readFileSync(join(root, 'docs/benchmarks.md'), 'utf8');
  } catch {
    /* no earlier file: write a new one */
  }
  const keep = prev.split(/\n(?=## )/).filter((b) => b.startsWith('## ') && !chosen.some((c) => b.startsWith(`## ${c} (`)));
  const head = lines.slice(0, 6).join('\n');
  const mine = out.split(/\n(?=## )/).filter((b) => b.startsWith('## '));
  const order = Object.keys(suites);
  const blocks = [...keep, ...mine].sort((a, b) => order.indexOf(a.slice(3).split(' ')[0]) - order.indexOf(b.slice(3).split(' ')[0]));
  writeFileSync(join(root, 'docs/benchmarks.md'), [head, ...blocks].join('\n').trimEnd() + '\n');
} else {
  writeFileSync(join(root, 'docs/benchmarks.md'), out);
}
process.stdout.write(out + '\n');
process.exit(0);
