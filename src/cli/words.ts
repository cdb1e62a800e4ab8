// Ops and core write their advice with MCP tool names ("use list_flows"); at a terminal the same advice
// names the command to type.
const TOOL_TO_COMMAND: Record<string, string> = {
  list_integrations: 'integrations list',
  get_integration: 'integrations get',
  create_integration: 'integrations create',
  clone_integration: 'integrations clone',
  add_tag_to_integration: 'integrations tag',
  setup_integration: 'integrations setup',
  list_flows: 'flows list',
  get_flow: 'flows get',
  update_flow: 'flows update',
  trigger_flow_run: 'flows run',
  run_and_monitor: 'flows run --wait',
  list_connections: 'connections list',
  get_connection: 'connections get',
  test_connection: 'connections test',
  create_connection: 'connections create',
  list_jobs: 'jobs list',
  get_job: 'jobs get',
  retry_job: 'jobs retry',
  list_errors: 'errors list',
  retry_errors: 'errors retry',
  retry_failed_jobs: 'jobs retry-failed',
  clear_errors: 'errors clear',
  list_exports: 'exports list',
  trigger_export: 'exports run',
  list_imports: 'imports list',
  get_import: 'imports get',
  get_export: 'exports list',
  update_mapping: 'mapping update',
  preview_mapping: 'mapping show --sample',
  list_tags: 'tags list',
  daily_health_check: 'health',
  troubleshoot: 'troubleshoot',
  list_backups: 'backups list',
  diff_backup: 'backups diff',
  restore_backup: 'backups restore',
  check_dependencies: 'flows get',
};

/** The argument each noun's verbs take as their first positional argument. */
const POSITIONAL: Record<string, string> = { jobs: 'job', flows: 'flow', connections: 'connection', integrations: 'integration', backups: 'id', imports: 'import', exports: 'export' };

const NAME_RE = new RegExp(`\\b(${Object.keys(TOOL_TO_COMMAND).sort((a, b) => b.length - a.length).join('|')})\\b`, 'g');

/** The balanced {...} starting at `i` (strings respected), or undefined. */
function objectAt(text: string, i: number): string | undefined {
  if (text[i] !== '{') return undefined;
  let depth = 0;
  let inString = false;
  for (let j = i; j < text.length; j++) {
    const ch = text[j];
    if (inString) {
      if (ch === '\\') j++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      depth--;
      if (depth === 0) return text.slice(i, j + 1);
    }
  }
  return undefined;
}

function argsOf(json: string): Record<string, unknown> {
  try {
    const v = JSON.parse(json) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    /* "{...,...}" placeholders: keep the key/value pairs that are readable */
  }
  const out: Record<string, unknown> = {};
  for (const m of json.matchAll(/"(\w+)"\s*:\s*("((?:[^"\\]|\\.)*)"|true|false|-?\d+(?:\.\d+)?)/g)) {
    out[m[1]] = m[3] !== undefined ? m[3] : m[2] === 'true' ? true : m[2] === 'false' ? false : Number(m[2]);
  }
  return out;
}

const kebab = (k: string) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function quote(s: string): string {
  return /^[\w./:@=,-]+$/.test(s) ? s : JSON.stringify(s);
}

/** Mapping changes as `--add a=b`, `--change a=b`, `--remove a`. */
function mappingFlags(changes: unknown): string[] {
  if (!Array.isArray(changes)) return [];
  return changes.flatMap((c: { op?: string; generate?: string; extract?: string; hardCodedValue?: string }) => {
    if (!c || typeof c.generate !== 'string') return [];
    if (c.op === 'remove') return [`--remove ${quote(c.generate)}`];
    const src = c.hardCodedValue !== undefined ? `"${c.hardCodedValue}"` : (c.extract ?? '');
    return [`--${c.op === 'change' ? 'change' : 'add'} ${quote(`${c.generate}=${src}`)}`];
  });
}

function commandFor(name: string, args: Record<string, unknown> | undefined): string {
  let cmd = TOOL_TO_COMMAND[name];
  if (!args) return name === 'troubleshoot' ? name : `celigo-manage ${cmd}`;
  const a = { ...args };
  if (name === 'update_flow' && typeof a.enabled === 'boolean' && Object.keys(a).length === 2) {
    cmd = a.enabled ? 'flows enable' : 'flows disable';
    delete a.enabled;
  }
  const noun = cmd.split(' ')[0];
  const parts: string[] = [];
  if (name === 'update_mapping') {
    if (typeof a.flow === 'string') parts.push(quote(a.flow));
    delete a.flow;
    parts.push(...mappingFlags(a.changes));
    delete a.changes;
  }
  for (const [k, v] of Object.entries(a)) {
    if (v === false || v === null || v === undefined || typeof v === 'object') continue;
    if (POSITIONAL[noun] === k && name !== 'troubleshoot') parts.unshift(quote(String(v)));
    else if (v === true) parts.push(`--${kebab(k)}`);
    else parts.push(`--${kebab(k)} ${quote(String(v))}`);
  }
  return `celigo-manage ${cmd} ${parts.join(' ')}`.trim();
}

/** Replaces tool names (and a following JSON argument object) with `celigo-manage <noun> <verb> …`. */
export function cliWords(text: string): string {
  const t = text.replace(/\b(pass|with|without) (force|sample|dryRun|yes)\b/g, (_m, w: string, f: string) => `${w} --${kebab(f)}`);
  let out = '';
  let last = 0;
  for (const m of t.matchAll(NAME_RE)) {
    const start = m.index!;
    if (start < last) continue;
    const name = m[1];
    let end = start + name.length;
    let args: Record<string, unknown> | undefined;
    if (t[end] === ' ' && t[end + 1] === '{') {
      const obj = objectAt(t, end + 1);
      if (obj) {
        args = argsOf(obj);
        end = end + 1 + obj.length;
      }
    }
    out += t.slice(last, start) + commandFor(name, args);
    last = end;
  }
  return out + t.slice(last);
}
