// Workflow 2: troubleshoot the failing integration to a cause, fix what the tools can fix, retry and verify.
import { pick } from './next.mjs';
import { candidatesOf, diagnose, causeLine, firstLine, promptNames } from './health.mjs';

/** What the diagnosis leaves to a person, if anything (the agent never invents a credential or a field). */
function personNeeded(d) {
  if (d.fixStep) return undefined;
  if (d.connStep || d.connectionsDown.length) {
    const names = d.connectionsDown.map((c) => `"${c.name}"`).join(', ') || 'its connection';
    return `fix the credentials of ${names} in integrator.io (${d.cause}); the tools cannot set a password`;
  }
  if (d.lookStep) return undefined; // look first: get_mapping may say what to change
  return `the cause (${d.cause || 'unknown'}) has no fix the tools can make`;
}

/** Apply the fix a diagnosis proposes: a dry run first, then the write the dry run's next step gives. */
async function applyFix(s, d) {
  const step = d.fixStep;
  if (step.tool === 'restore_backup') {
    const { result } = await s.confirmed('restore_backup', step.args, `troubleshoot's next step: ${step.why}`);
    return !result.isError;
  }
  const dry = await s.call('update_mapping', step.args, `troubleshoot's next step: ${step.why}`);
  const problems = [...(dry.sc.problems ?? []), ...(dry.sc.preview?.missingSources ?? [])];
  if (dry.isError || problems.length) {
    s.handoff(`the mapping dry run shows problems (${problems.join(', ') || firstLine(dry.text)}): a person decides`);
    return false;
  }
  const write = pick(dry.next, 'update_mapping', (n) => !n.args.dryRun);
  if (!write) {
    s.finding('the dry run gives no next step to write the change; the agent drops dryRun from the same arguments');
  }
  const args = write?.args ?? Object.fromEntries(Object.entries(step.args).filter(([k]) => k !== 'dryRun'));
  const { result } = await s.confirmed('update_mapping', args, `the dry run's next step: ${write?.why ?? 'write it'}`);
  return !result.isError && result.sc.written !== false;
}

/** get_mapping, as the diagnosis says, then decide whether the agent knows what to change. */
async function lookAtMapping(s, d) {
  const look = await s.call('get_mapping', d.lookStep.args, `troubleshoot's next step: ${d.lookStep.why}`);
  const change = look.next.find((n) => n.tool === 'update_mapping' && Array.isArray(n.args.changes));
  if (change) return { ...d, fixStep: change };
  const missing = look.sc.preview?.missingSources ?? [];
  const fields = [...new Set(d.patterns.filter((p) => /mapping/.test(p.cause)).map((p) => p.sample?.message ?? p.pattern))];
  s.handoff(
    `the mapping fix needs a source field no result names: get_mapping lists the mapped fields${missing.length ? ` (missing ${missing.join(', ')})` : ' but no sample record and no proposed change'}; the errors say ${fields.slice(0, 2).join(' / ')}`,
  );
  return d;
}

/** Pick the integration to work on: the worst; when a person must fix it, the next with another cause. */
async function chooseTarget(s, health) {
  const candidates = candidatesOf(health);
  if (!candidates.length) return undefined;
  let d = await diagnose(s, candidates[0].args, `prompt step 1, the worst integration: ${candidates[0].from}`);
  const person = personNeeded(d);
  if (!person) return d;
  s.handoff(`${d.target.name}: ${person}`);
  // Integrations whose health row says "connection down" wait for the same kind of fix by a person.
  const next = candidates.slice(1).find((c) => !(d.connStep && /connection down/.test(c.why)));
  if (!next) return d;
  d = await diagnose(s, next.args, `prompt step 1, the next integration with another cause: ${next.from}`);
  const again = personNeeded(d);
  if (again) s.handoff(`${d.target.name}: ${again}`);
  return d;
}

/** retry_failed_jobs as troubleshoot proposed it; only the transient patterns when the cause stays unfixed. */
function retryArgs(d, fixed) {
  if (!d.retryStep) return undefined;
  if (fixed) return d.retryStep.args;
  const codes = [...new Set(d.transient.map((p) => p.code).filter(Boolean))];
  if (!codes.length) return undefined;
  return { ...d.retryStep.args, pattern: codes.length === 1 ? codes[0] : `/${codes.join('|')}/` };
}

export async function troubleshootWorkflow(s, request) {
  const { range } = request.facts;
  const prompt = await s.prompt('troubleshoot_failed_jobs', { range }, 'the request is to troubleshoot failed jobs: its prompt gives the steps');
  promptNames(s, prompt, 'daily_health_check');
  const health = await s.call('daily_health_check', { range }, 'prompt step 1: find the failing integration');
  let d = await chooseTarget(s, health);
  if (!d) return { outcome: 'nothing failing' };
  if (!d.fixStep && d.lookStep) d = await lookAtMapping(s, d);
  const fixed = d.fixStep ? await applyFix(s, d) : false;
  const args = retryArgs(d, fixed);
  if (!args) return { outcome: `${causeLine(d)}; not fixed, nothing the tools can retry yet` };
  promptNames(s, prompt, 'retry_failed_jobs');
  const why = fixed ? `troubleshoot's next step after the fix: ${d.retryStep.why}` : `troubleshoot's next step, only the transient patterns (retry "now"): ${d.retryStep.why}`;
  const { result } = await s.confirmed('retry_failed_jobs', args, why);
  const verified = await verify(s, d, result, args);
  return { outcome: `${causeLine(d)}; fixed: ${fixed ? 'yes' : 'no'}; retry: ${firstLine(result.text)}; verify: ${verified}` };
}

/** Verify: poll a pending retry as its next step says, else troubleshoot the same scope again. */
async function verify(s, d, result, args) {
  const poll = pick(result.next, 'get_job');
  if (poll) {
    const job = await s.call('get_job', poll.args, `the retry's next step: ${poll.why}`);
    return firstLine(job.text);
  }
  const again = { integration: d.target.id ?? d.target.name, ...(args.pattern ? { pattern: args.pattern } : {}) };
  const after = await diagnose(s, again, 'verify: troubleshoot the same scope again after the retry');
  return `${after.openErrors ?? '?'} open errors left (were ${d.openErrors ?? '?'})`;
}
