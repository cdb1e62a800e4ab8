// The agent benchmark's table (for the terminal and docs/benchmarks.md) and its step-by-step trace.

export const TARGETS = {
  demo: { calls: 10, tokens: 12_000 },
  large: { calls: 15, tokens: 25_000 },
};

export const COLUMNS = [
  { key: 'workflow', title: 'Workflow' },
  { key: 'seed', title: 'Seed' },
  { key: 'calls', title: 'Calls' },
  { key: 'tokens', title: 'Tokens' },
  { key: 'guesses', title: 'Guesses' },
  { key: 'target', title: 'Target' },
  { key: 'met', title: 'Met' },
  { key: 'notes', title: 'Notes' },
];

const k = (n) => `${(n / 1000).toFixed(1)}k`;
const cell = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');

function misses(r) {
  const t = TARGETS[r.seed];
  const out = [];
  if (r.calls > t.calls) out.push(`${r.calls} calls > ${t.calls}`);
  if (r.tokens > t.tokens) out.push(`${k(r.tokens)} tokens > ${k(t.tokens)}`);
  if (r.guesses.length) out.push(`${r.guesses.length} guess${r.guesses.length > 1 ? 'es' : ''}`);
  return out;
}

function notes(r) {
  const parts = [
    `${(r.ms / 1000).toFixed(1)} s`,
    `text alone ${k(r.textChars / 4)} tokens`,
    `calls: ${r.steps.map((s) => (s.kind === 'prompt' ? `prompt ${s.name}` : s.name)).join(' → ')}`,
  ];
  for (const g of r.guesses) parts.push(`GUESS at step ${g.step}: ${g.what}: ${g.why}`);
  for (const h of r.handoffs) parts.push(`needs a person (step ${h.step}): ${h.what}`);
  for (const f of r.findings) parts.push(`note (step ${f.step}): ${f.what}`);
  parts.push(`outcome: ${r.outcome.length > 240 ? r.outcome.slice(0, 237) + '...' : r.outcome}`);
  return parts.join('; ');
}

/** Rows for bench/run.mjs (custom columns) and the terminal. */
export function rowsFor(results) {
  const rows = results.map((r) => {
    const t = TARGETS[r.seed];
    const missed = misses(r);
    return {
      workflow: r.title,
      seed: r.seed,
      calls: String(r.calls),
      tokens: k(r.tokens),
      guesses: String(r.guesses.length),
      target: `<= ${t.calls} calls, <= ${k(t.tokens)} tokens, 0 guesses`,
      met: missed.length ? `**no** (${missed.join(', ')})` : 'yes',
      ok: missed.length === 0,
      notes: notes(r),
    };
  });
  const context = results.length ? `tools/list, prompts/list and the instructions, read once per session and not counted above: ${k(results[0].contextTokens)} tokens` : '';
  return {
    title: 'Agent workflows',
    intro:
      'A scripted agent (`bench/agent.mjs`) does each workflow through MCP only, in a fresh `celigo-manage mcp` (default tools), ' +
      'choosing every call from the request, the prompts and earlier results. Calls count tools/call and prompts/get; tokens are the ' +
      `characters of every result's text and structuredContent (and of prompts/get) / 4. ${context}.`,
    columns: COLUMNS,
    rows,
  };
}

export function renderTable({ title, intro, columns, rows }) {
  const lines = [`${title}`, '', intro, '', `| ${columns.map((c) => c.title).join(' | ')} |`, `|${columns.map(() => '---').join('|')}|`];
  for (const r of rows) lines.push(`| ${columns.map((c) => cell(r[c.key] ?? '')).join(' | ')} |`);
  const missed = rows.filter((r) => !r.ok);
  lines.push('', missed.length ? `TARGET MISSED: ${missed.map((r) => `${r.workflow} (${r.seed}): ${r.met.replace(/\*\*no\*\* /, '')}`).join('; ')}` : 'Every target met.');
  return lines.join('\n');
}

export function renderTrace(results) {
  const lines = [];
  for (const r of results) {
    lines.push(`\n=== ${r.title} — ${r.seed}: ${r.calls} calls, ${r.tokens} tokens, ${(r.ms / 1000).toFixed(1)} s`, `request: ${r.request}`);
    for (const s of r.steps) {
      const args = JSON.stringify(s.args);
      lines.push(`${String(s.n).padStart(2)}. ${s.kind === 'prompt' ? 'prompts/get ' : ''}${s.name} ${args.length > 160 ? args.slice(0, 157) + '...' : args}  [${s.chars} chars, ${s.ms} ms${s.isError ? ', isError' : ''}]`, `    why: ${s.why}`);
    }
    for (const g of r.guesses) lines.push(`  GUESS step ${g.step}: ${g.what}: ${g.why}`);
    for (const h of r.handoffs) lines.push(`  PERSON step ${h.step}: ${h.what}`);
    for (const f of r.findings) lines.push(`  NOTE step ${f.step}: ${f.what}`);
    lines.push(`  outcome: ${r.outcome}`);
  }
  return lines.join('\n');
}
