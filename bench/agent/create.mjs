// Workflow 3: create an integration end to end from what the person said, then run it once.
import { pick } from './next.mjs';
import { firstLine, promptNames } from './health.mjs';

/** list_connections by the system the person named; the row whose name matches, or the only row. */
async function findConnection(s, system) {
  const r = await s.call('list_connections', { name: system }, `prompt step 1: find the connection for "${system}"`);
  const rows = r.sc.rows ?? [];
  const exact = rows.filter((row) => String(row.name).toLowerCase() === system.toLowerCase());
  if (exact.length === 1) return exact[0];
  if (rows.length === 1) return rows[0];
  if (!rows.length) {
    s.handoff(`no connection matches "${system}": a person gives its settings (setup_integration can create it)`);
    return undefined;
  }
  s.guess(`connection for "${system}"`, `${rows.length} connections match and none is named exactly so; took the first`);
  return rows[0];
}

/** test_connection on a connection to reuse; a failed test needs a person (credentials). */
async function tested(s, row) {
  const r = await s.call('test_connection', { connection: row.id }, `prompt step 2: test "${row.name}" before reusing it`);
  const ok = !r.isError && r.sc.healthy !== false;
  if (!ok) s.handoff(`connection "${row.name}" failed its test (${r.sc.error ?? firstLine(r.text)}): ${r.sc.fix ?? 'a person fixes its credentials'}`);
  return ok;
}

/** setup_integration, and once more with the returned resume ids if a step failed (prompt step 6). */
async function setup(s, spec) {
  let { result } = await s.confirmed('setup_integration', spec, 'prompt step 5: the spec from the request and the connection ids');
  const again = pick(result.next, 'setup_integration');
  if (result.isError && again) ({ result } = await s.confirmed('setup_integration', again.args, `setup's next step: ${again.why}`));
  return result;
}

/** Follow the run: run_and_monitor as setup's next step says; poll a pending run with get_job. */
async function runOnce(s, result) {
  const enable = pick(result.next, 'update_flow', (n) => n.args.enabled === true);
  if (enable && result.sc.enabled !== true) await s.confirmed('update_flow', enable.args, `setup's next step: ${enable.why} (the person asked to enable it)`);
  const step = pick(result.next, 'run_and_monitor');
  if (!step) {
    s.finding('setup gives no run_and_monitor next step');
    return 'not run';
  }
  let run = await s.call('run_and_monitor', step.args, `setup's next step: ${step.why} (the person asked to run it once)`);
  for (let i = 0; i < 2; i++) {
    const poll = pick(run.next, 'get_job');
    if (!poll || !/pending|running/i.test(firstLine(run.text))) break;
    run = await s.call('get_job', poll.args, `the run's next step: ${poll.why}`);
  }
  return firstLine(run.text);
}

export async function createWorkflow(s, request) {
  const f = request.facts;
  const prompt = await s.prompt('create_integration', { source: f.source, destination: f.destination, recordType: f.recordType, name: f.name }, 'the request is a new integration: its prompt gives the steps');
  promptNames(s, prompt, 'list_connections');
  const src = await findConnection(s, f.source);
  const dst = src && (await findConnection(s, f.destination));
  if (!src || !dst) return { outcome: 'stopped: a connection is missing' };
  promptNames(s, prompt, 'test_connection');
  if (!(await tested(s, src)) || !(await tested(s, dst))) return { outcome: 'stopped: a connection failed its test' };
  // The spec's shape comes from setup_integration's description: {connection} plus relativeURI for HTTP.
  const spec = {
    name: f.name,
    recordType: f.recordType,
    source: { connection: src.id, relativeURI: f.relativeURI },
    destination: { connection: dst.id },
    mappings: f.mappings,
    enable: f.enable,
  };
  const result = await setup(s, spec);
  if (result.isError) return { outcome: `setup failed: ${firstLine(result.text)}` };
  const missing = result.sc.preview?.missingSources ?? [];
  if (missing.length) {
    s.handoff(`the preview's sample lacks mapped source fields ${missing.join(', ')}: the person confirms the mappings`);
    return { outcome: `created, mappings to confirm: ${firstLine(result.text)}` };
  }
  const run = await runOnce(s, result);
  return { outcome: `${firstLine(result.text)} | run: ${run}` };
}
