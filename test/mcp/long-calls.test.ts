// Long calls over MCP (issue 12 item 7): run_and_monitor, a waiting retry and setup_integration send
// progress notifications when the request has a progress token (and none without one), and a call whose
// wait would pass the model deadline answers `pending` with the job to check instead, the job still
// running. The emulator's clock is manual: the server's polling sleeps advance it, so nothing here waits
// in real time, and the deadline is shortened through the server factory's test hook.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InMemoryTransport } from '@modelcontextprotocol/client';
import { DEMO } from '../../src/emulator/seed/demo.js';
import { startStdio } from '../../src/mcp/stdio.js';
import { catalogue } from '../../src/operations/catalogue.js';
import { selectTools } from '../../src/operations/select.js';
import { MODEL_FOLLOW_MS } from '../../src/operations/wait.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';
import { ERAS, factory, makeClient, textOf, type Era } from '../helpers/mcp.js';

const FLOW = 'Shopify Customers to NetSuite';

interface Note {
  progress: number;
  total?: number;
  message?: string;
}

let env: Env;
let closers: (() => Promise<void>)[] = [];
beforeEach(async () => {
  env = await demoEnv();
});
afterEach(async () => {
  for (const c of closers) await c();
  closers = [];
  await env.close();
});

/** A client in memory against every tool, on the demo account's manual clock; records what the server sends. */
async function connect(o: { era?: Era; followForMs?: number; elicit?: boolean } = {}) {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const methods: string[] = [];
  const send = serverSide.send.bind(serverSide);
  serverSide.send = (msg, opts) => {
    if ('method' in msg) methods.push(msg.method);
    return send(msg, opts);
  };
  const server = factory({
    api: env.api,
    tools: selectTools(catalogue(), { toolsets: ['all'] }),
    home: env.home,
    now: () => new Date(env.clock.now()),
    sleep: async (ms) => env.clock.advance(ms),
    followForMs: o.followForMs,
  });
  const handle = await startStdio(server, { transport: serverSide });
  const { client } = makeClient({ era: o.era ?? 'legacy', ...(o.elicit ? { elicit: { action: 'accept', content: { confirm: true } } } : {}) });
  await client.connect(clientSide);
  closers.push(async () => {
    await client.close().catch(() => {});
    await handle.close().catch(() => {});
  });
  const call = async (name: string, args: Record<string, unknown>, notes?: Note[]) => {
    const r = await client.callTool({ name, arguments: args }, notes ? { onprogress: (p) => void notes.push(p) } : undefined);
    return { r, text: textOf(r), structured: r.structuredContent as Record<string, unknown> };
  };
  return { call, methods };
}

function expectIncreasing(notes: Note[], min = 2): void {
  expect(notes.length).toBeGreaterThanOrEqual(min);
  for (let i = 1; i < notes.length; i++) expect(notes[i].progress).toBeGreaterThan(notes[i - 1].progress);
  for (const n of notes) expect(n.message).toBeTruthy();
}

describe('progress notifications of long calls', () => {
  for (const era of ERAS) {
    it(`run_and_monitor (${era}): increasing progress per poll, and the run followed to its end`, async () => {
      const { call } = await connect({ era });
      const notes: Note[] = [];
      const { r, structured } = await call('run_and_monitor', { flow: FLOW }, notes);
      expect(r.isError).toBeFalsy();
      expect(structured.status).toBe('completed');
      expectIncreasing(notes, 3);
      expect(notes[0].message).toBe(`started job ${String(structured.jobId)}`);
      expect(notes.some((n) => /^running: \d+ exported/.test(n.message ?? ''))).toBe(true);
      // Seconds followed of the wait's budget: the model deadline.
      expect(notes.at(-1)!.total).toBe(MODEL_FOLLOW_MS / 1000);
    });
  }

  it('retry_failed_jobs waits by default: progress for the batches posted, then for the retry jobs', async () => {
    const { call } = await connect({ elicit: true });
    const notes: Note[] = [];
    const { r, structured } = await call('retry_failed_jobs', { integration: DEMO.degradedIntegration }, notes);
    expect(r.isError).toBe(true); // partial: the mapping errors failed again (retry-outcome.ts)
    expect(structured.errorsResolvedAfter).toBeGreaterThan(0);
    expect(structured.stillRunning).toBeUndefined();
    expectIncreasing(notes, 3);
    const retried = structured.retried as number;
    expect(notes.some((n) => n.message === `retried ${retried} of ${retried}`)).toBe(true);
    const waiting = notes.filter((n) => /retry jobs? ended/.test(n.message ?? ''));
    expect(waiting.length).toBeGreaterThan(0);
    // The wait counts on from the errors posted, so progress only grows over the whole call.
    expect(waiting[0].progress).toBeGreaterThan(retried);
  });

  it('setup_integration: one notification per step, with the number of steps', async () => {
    const { call } = await connect();
    const notes: Note[] = [];
    const { r, structured } = await call('setup_integration', { name: 'Contacts to HubSpot', recordType: 'Contact', source: { connection: 'Salesforce Production' }, destination: { connection: 'HubSpot', relativeURI: '/crm/v3/objects/contacts' } }, notes);
    expect(r.isError).toBeFalsy();
    expect(structured.status).toBe('done');
    expectIncreasing(notes, 5);
    expect(notes[0]).toMatchObject({ progress: 0, message: 'source connection' });
    expect(notes.at(-1)).toMatchObject({ progress: notes.at(-1)!.total, message: 'done' });
  });

  it('daily_health_check: progress as its reads and connection tests advance', async () => {
    const { call } = await connect();
    const notes: Note[] = [];
    const { r } = await call('daily_health_check', {}, notes);
    expect(r.isError).toBeFalsy();
    expectIncreasing(notes, 4);
    expect(notes.map((n) => n.message)).toEqual(expect.arrayContaining(['judging each flow', 'done']));
    expect(notes.some((n) => /^tested \d+ of \d+ connections?$/.test(n.message ?? ''))).toBe(true);
  });

  it('sends no progress notification when the request has no progress token', async () => {
    const { call, methods } = await connect({ elicit: true });
    await call('run_and_monitor', { flow: FLOW });
    await call('retry_failed_jobs', { integration: DEMO.degradedIntegration });
    await call('daily_health_check', {});
    expect(methods).toContain('elicitation/create'); // what the server sent is recorded
    expect(methods).not.toContain('notifications/progress');
  });
});

describe('a wait that would pass the model deadline answers pending', () => {
  it('run_and_monitor: pending with the job to check, not an error; the run goes on and completes', async () => {
    const { call } = await connect({ followForMs: 1500 });
    const notes: Note[] = [];
    // timeoutSec asks for more than the deadline: it can shorten the wait, never lengthen it.
    const { r, text, structured } = await call('run_and_monitor', { flow: FLOW, timeoutSec: 600 }, notes);
    expect(r.isError).toBeFalsy();
    const jobId = String(structured.jobId);
    expect(structured).toMatchObject({ status: 'timeout', followedSec: 2, waited: true });
    expect(text).toContain(`job ${jobId} still running when we stopped following it after 2 s; the run continues in integrator.io (do not start it again)`);
    expect(text).toContain(`\nNext:\n- get_job {"job":"${jobId}"}: still running: check it until it ends (do not start the flow again)`);
    expect(notes.at(-1)!.total).toBe(2);
    expect(env.clock.now() - Date.parse(String((await env.api.jobs.get(jobId)).createdAt))).toBeLessThanOrEqual(1500);

    env.clock.advance(60_000);
    const polled = await call('get_job', { job: jobId });
    expect(polled.r.isError).toBeFalsy();
    expect(polled.text).toMatch(new RegExp(`^Job ${jobId}: completed`));
    // Exactly one run was started.
    expect(env.emu.requestLog().filter((l) => l.method === 'POST' && /\/run$/.test(l.path))).toHaveLength(1);
  });

  it('trigger_flow_run with wait: pending at the deadline too', async () => {
    const { call } = await connect({ followForMs: 1000 });
    const { r, structured } = await call('trigger_flow_run', { flow: FLOW, wait: true });
    expect(r.isError).toBeFalsy();
    expect(structured.status).toBe('timeout');
  });

  it('retry_failed_jobs: pending with the retry jobs to check; they complete when polled', async () => {
    const { call } = await connect({ followForMs: 800, elicit: true });
    const { r, text, structured } = await call('retry_failed_jobs', { flow: 'Zendesk Tickets to Salesforce Cases' });
    expect(r.isError).toBeFalsy();
    const jobs = structured.jobs as { jobId: string }[];
    expect(jobs.length).toBeGreaterThan(0);
    expect(structured.stillRunning).toBe(jobs.length);
    expect(text).toMatch(/retry jobs? still running when we stopped following (it|them) after 1 s \(they continue in integrator\.io\)/);
    expect(text).toContain(`\nNext:\n- get_job {"job":"${jobs[0].jobId}"}: still running: check it until it ends (do not retry again)`);

    env.clock.advance(60_000);
    const polled = await call('get_job', { job: jobs[0].jobId });
    expect(polled.text).toMatch(new RegExp(`^Job ${jobs[0].jobId}: completed`));
  });

  it('setup_integration: stops between steps at the deadline; the same call with resume finishes it', async () => {
    const spec = { name: 'Contacts to HubSpot', recordType: 'Contact', source: { connection: 'Salesforce Production' }, destination: { connection: 'HubSpot', relativeURI: '/crm/v3/objects/contacts' } };
    const first = await (await connect({ followForMs: 0 })).call('setup_integration', spec);
    expect(first.r.isError).toBeFalsy();
    expect(first.structured).toMatchObject({ status: 'pending', outcome: 'pending', steps: [] });
    expect(first.text).toContain('stopped before the source connection step to answer in time');
    const resume = first.structured.resume as Record<string, string>;
    expect(resume.backupId).toBeTruthy();
    expect(first.text).toContain(`\nNext:\n- setup_integration {"resume":${JSON.stringify(resume)}}`);

    const done = await (await connect()).call('setup_integration', { ...spec, resume });
    expect(done.structured).toMatchObject({ status: 'done', backupId: resume.backupId });
  });
});
