// One agent session: an MCP SDK client over stdio to `celigo-manage mcp`, and the ledger of what the
// agent read and called. Every argument value is checked against the text the agent has seen so far
// (the request, the server's instructions, tools/list, prompts, earlier results): a value found in none
// of them is recorded as a guess, whatever the workflow code claims.
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { nextSteps } from './next.mjs';

const bin = fileURLToPath(new URL('../../bin/celigo-manage.js', import.meta.url));
const CALL_TIMEOUT_MS = 120_000;

/** The server's environment: ours, without any Celigo setting of the shell running the benchmark. */
function serverEnv(extra) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('CELIGO_') && v !== undefined) env[k] = v;
  return { ...env, NO_COLOR: '1', ...extra };
}

export async function openSession({ serverArgs, env, request }) {
  const transport = new StdioClientTransport({ command: process.execPath, args: [bin, 'mcp', ...serverArgs], env: serverEnv(env), stderr: 'ignore' });
  const client = new Client({ name: 'agent-bench', version: '1' }, { capabilities: {} });
  const started = performance.now();
  await client.connect(transport);
  const { tools } = await client.listTools();
  const { prompts } = await client.listPrompts();
  const instructions = client.getInstructions() ?? '';
  return new Session({ client, tools, prompts, instructions, request, started });
}

/** Leaf values of arguments, with their paths: [['source.connection', 'x'], ...]. */
function leaves(value, path = '') {
  if (value === null || typeof value !== 'object') return [[path, value]];
  const out = [];
  for (const [k, v] of Object.entries(value)) out.push(...leaves(v, path ? `${path}.${Array.isArray(value) ? `[${k}]` : k}` : k));
  return out;
}

export class Session {
  constructor({ client, tools, prompts, instructions, request, started }) {
    this.client = client;
    this.tools = tools;
    this.prompts = prompts;
    this.instructions = instructions;
    this.started = started;
    this.contextChars = instructions.length + JSON.stringify(tools).length + JSON.stringify(prompts).length;
    this.corpus = [request, instructions, JSON.stringify(tools), JSON.stringify(prompts)];
    this.steps = [];
    this.guesses = [];
    this.handoffs = [];
    this.findings = [];
    this.chars = 0;
  }

  serves(name) {
    return this.tools.some((t) => t.name === name);
  }

  /** The step number of the next call, for guesses recorded before it is made. */
  get nextStep() {
    return this.steps.length + 1;
  }

  guess(what, why, step = this.nextStep) {
    this.guesses.push({ step, what, why });
  }

  /** A step the agent cannot do with the tools and hands to a person: not a guess. */
  handoff(what, step = this.steps.length) {
    this.handoffs.push({ step, what });
  }

  /** Something the agent noticed that the lead should know (not a guess, not a hand-off). */
  finding(what, step = this.steps.length) {
    this.findings.push({ step, what });
  }

  /** Has any earlier text said this value, as a whole word (not inside a longer name or number)? */
  seen(value) {
    const s = String(value);
    if (!s) return true;
    const word = /\w/;
    const bounded = (t, needle) => {
      for (let i = t.indexOf(needle); i >= 0; i = t.indexOf(needle, i + 1)) {
        const before = t[i - 1] ?? ' ';
        const after = t[i + needle.length] ?? ' ';
        if (!(word.test(needle[0]) && word.test(before)) && !(word.test(needle.at(-1)) && word.test(after))) return true;
      }
      return false;
    };
    const escaped = JSON.stringify(s).slice(1, -1);
    return this.corpus.some((t) => bounded(t, s) || (escaped !== s && bounded(t, escaped)));
  }

  /** Record a guess for every argument value (and key) that no earlier text gave. */
  ground(name, args) {
    const schema = this.tools.find((t) => t.name === name)?.inputSchema ?? {};
    for (const [path, value] of leaves(args)) {
      const key = path.split('.').filter((k) => !/^\[\d+\]$/.test(k)).pop() ?? '';
      if (key && !this.seen(`"${key}"`)) this.guess(`${name} argument name ${path}`, 'named nowhere in tools/list, the prompts or any result');
      if (typeof value === 'boolean') {
        // A documented flag: its meaning is in the schema.
        if (!JSON.stringify(schema).includes(`"${key}"`) && !this.seen(`"${key}":${value}`)) this.guess(`${name} ${path}=${value}`, 'a flag the tool does not document');
        continue;
      }
      const regex = typeof value === 'string' && /^\/(.+)\/$/.exec(value);
      const parts = regex ? regex[1].split('|') : [value];
      for (const p of parts) if (!this.seen(p)) this.guess(`${name} ${path}=${JSON.stringify(value)}`, `"${p}" appears in no earlier text`);
    }
  }

  record(kind, name, args, why, chars, ms, isError, textChars = chars) {
    this.chars += chars;
    this.steps.push({ n: this.steps.length + 1, kind, name, args, why, chars, textChars, ms: Math.round(ms), isError: Boolean(isError) });
  }

  async prompt(name, args, why) {
    if (!this.prompts.some((p) => p.name === name)) throw new Error(`prompt ${name} is not offered`);
    this.ground(name, args);
    const t = performance.now();
    const r = await this.client.getPrompt({ name, arguments: args });
    const text = r.messages.map((m) => (m.content?.type === 'text' ? m.content.text : JSON.stringify(m.content))).join('\n');
    this.corpus.push(text);
    this.record('prompt', name, args, why, text.length, performance.now() - t, false);
    return text;
  }

  async call(name, args, why) {
    if (!this.serves(name)) throw new Error(`tool ${name} is not served`);
    this.ground(name, args);
    const t = performance.now();
    const r = await this.client.callTool({ name, arguments: args }, { timeout: CALL_TIMEOUT_MS });
    const ms = performance.now() - t;
    const text = (r.content ?? []).map((c) => (c.type === 'text' ? c.text : JSON.stringify(c))).join('\n');
    const sc = r.structuredContent;
    const scJson = sc === undefined ? '' : JSON.stringify(sc);
    this.corpus.push(text, scJson);
    this.record('tool', name, args, why, text.length + scJson.length, ms, r.isError, text.length);
    return { text, sc: sc ?? {}, isError: Boolean(r.isError), next: nextSteps(text, sc), token: sc?.confirmation_required?.token };
  }

  /** A call that may ask for a confirmation token: preview, then the same arguments plus confirm. */
  async confirmed(name, args, why) {
    const first = await this.call(name, args, why);
    if (!first.token) return { preview: undefined, result: first };
    const result = await this.call(name, { ...args, confirm: first.token }, `${why}: confirm with the token the preview returned`);
    return { preview: first, result };
  }

  async close() {
    await this.client.close().catch(() => {});
  }

  summary() {
    const textChars = this.steps.reduce((a, s) => a + s.textChars, 0);
    return {
      calls: this.steps.length,
      chars: this.chars,
      tokens: Math.round(this.chars / 4),
      contextTokens: Math.round(this.contextChars / 4),
      ms: Math.round(performance.now() - this.started),
      guesses: this.guesses,
      handoffs: this.handoffs,
      findings: this.findings,
      steps: this.steps,
      textChars,
    };
  }
}
