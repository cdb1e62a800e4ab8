// Workflow 1, the daily health check, and the diagnosis step shared with workflow 2.
import { pick, hasPlaceholder } from './next.mjs';

/** Does the prompt's text tell the agent to call this tool? If not, the agent has no reason to. */
export function promptNames(s, prompt, tool) {
  if (!prompt.includes(tool)) s.finding(`the prompt does not name ${tool}; the agent calls it from the request alone`);
}

export const firstLine = (text) => text.split('\n')[0];

/**
 * troubleshoot one target and read what the result proposes: a fix the tools can make (a next step
 * with concrete arguments), a look first (get_mapping), a connection a person must fix, a retry.
 */
export async function diagnose(s, args, why) {
  const r = await s.call('troubleshoot', args, why);
  const sc = r.sc;
  const patterns = sc.patterns ?? [];
  const fixTools = ['update_mapping', 'restore_backup'];
  return {
    r,
    target: sc.target ?? {},
    cause: sc.likelyCause?.label ?? '',
    fixText: sc.likelyCause?.fix ?? '',
    suspect: sc.suspectChange,
    openErrors: sc.counts?.openErrors,
    fixStep: r.next.find((n) => fixTools.includes(n.tool) && !hasPlaceholder(n)),
    lookStep: pick(r.next, 'get_mapping'),
    connStep: pick(r.next, 'test_connection'),
    retryStep: pick(r.next, 'retry_failed_jobs'),
    connectionsDown: sc.connectionsDown?.rows ?? [],
    transient: patterns.filter((p) => p.retry === 'now'),
    patterns,
  };
}

/** One line a person would read: cause, fix, change made just before. */
export function causeLine(d) {
  const name = d.target.name ?? d.target.id ?? '?';
  const change = d.suspect ? `; changed ${d.suspect.minutesBeforeFirstError} min before by ${d.suspect.by}: ${d.suspect.mapping ?? d.suspect.fields?.join(', ')}` : '';
  return `${name}: ${d.openErrors ?? '?'} open errors, likely ${d.cause || 'unknown'}${change}`;
}

/**
 * The failing and degraded integrations the health check names, worst first: its troubleshoot next
 * steps first (the server's own order), then the rest of its rows. Each keeps the row's "why".
 */
export function candidatesOf(health) {
  const rows = (health.sc.integrations ?? []).filter((r) => r.verdict === 'failing' || r.verdict === 'degraded');
  const whyOf = (name) => rows.find((r) => r.name === name || r.integrationId === name)?.why ?? '';
  const out = [];
  for (const n of health.next) {
    if (n.tool === 'troubleshoot' && n.args.integration) out.push({ args: n.args, why: whyOf(n.args.integration), from: `the health check's next step (${n.why})` });
  }
  for (const r of rows) {
    if (!out.some((c) => c.args.integration === r.name || c.args.integration === r.integrationId)) {
      out.push({ args: { integration: r.integrationId || r.name }, why: r.why, from: `the health check's row (${r.verdict})` });
    }
  }
  return out;
}

/** Workflow 1: health check, then troubleshoot the first two integrations it names. */
export async function healthWorkflow(s, request) {
  const { range } = request.facts;
  const prompt = await s.prompt('daily_health_check', { range }, 'the request is the daily health check: its prompt gives the steps');
  promptNames(s, prompt, 'daily_health_check');
  const health = await s.call('daily_health_check', { range }, 'prompt step 1');
  if (health.isError) return { outcome: `health check failed: ${firstLine(health.text)}` };
  promptNames(s, prompt, 'troubleshoot');
  const named = candidatesOf(health).filter((c) => c.from.startsWith("the health check's next"));
  if (!named.length && candidatesOf(health).length) s.finding('the health check names failing or degraded integrations in rows but gives no troubleshoot next step');
  const causes = [];
  for (const c of named.slice(0, 2)) {
    const d = await diagnose(s, c.args, `prompt step 3, ${c.from}`);
    causes.push(causeLine(d));
  }
  return { outcome: [firstLine(health.text), ...causes].join(' | ') };
}
