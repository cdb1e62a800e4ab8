// The flows and mapping operations on the demo account: outcome and next steps as data, written as tool
// calls for a model and as command lines for a person.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { operationMap } from '../../src/operations/index.js';
import { commandLine } from '../../src/operations/next.js';
import { nextOf, outcomeOf } from '../../src/operations/outcome.js';
import { catalogue } from '../../src/operations/catalogue.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';

const tool = (name: string) => catalogue().find((t) => t.name === name)!;
const op = (name: string) => operationMap().get(name)!;
const FLOW = 'Shopify Customers to NetSuite';
const FAILING = 'Salesforce Accounts to NetSuite Customers';
const MAPPED = 'Shopify Orders to NetSuite Sales Orders';

describe('flows and mapping operations', () => {
  let env: Env;
  beforeEach(async () => {
    env = await demoEnv();
  });
  afterEach(() => env.close());

  it('update_flow with nothing to change: outcome nothing (an error for the model), the mapping as the next step', async () => {
    const r = await op('update_flow').run(env.ctx, { flow: FLOW });
    expect(outcomeOf(op('update_flow'), r)).toBe('nothing');
    const [step] = nextOf(op('update_flow'), r);
    expect(step).toMatchObject({ op: 'update_mapping', args: { flow: expect.stringMatching(/^665f/) } });
    expect(commandLine(step!, operationMap())).toBe(`celigo-manage mapping update ${String(step!.args!.flow)}`);
    const t = await tool('update_flow').handler({ flow: FLOW }, env.ctx);
    expect(t.isError).toBe(true);
    expect(t.text).toMatch(/^Nothing to change: .*\nNext:\n- update_mapping \{"flow":"665f\w+"\}: to change its field mapping instead$/s);
  });

  it('update_flow: enabling an enabled flow is ok and says so; the enable step is `flows enable`', async () => {
    const t = await tool('update_flow').handler({ flow: FLOW, enabled: true }, env.ctx);
    expect(t.isError).toBe(false);
    expect(t.text.split('\n')[0]).toBe(`Flow "${FLOW}" was already enabled.`);
    expect(commandLine({ op: 'update_flow', args: { flow: FLOW, enabled: false } }, operationMap(), { demo: true })).toBe(`celigo-manage --demo flows disable "${FLOW}"`);
    expect(commandLine({ op: 'update_flow', args: { flow: FLOW, name: 'New' } }, operationMap())).toBe(`celigo-manage flows update "${FLOW}" --name New`);
  });

  it('trigger_flow_run and run_and_monitor: a failed run is a report for the model (exit 1 at a terminal), with the job to look at next', async () => {
    const t = await tool('trigger_flow_run').handler({ flow: FAILING, wait: true }, env.ctx);
    expect(t.isError).toBe(false);
    expect(outcomeOf(op('trigger_flow_run'), await op('trigger_flow_run').run(env.ctx, { flow: FAILING, wait: true }))).toBe('failed');
    expect(t.text).toMatch(/^Flow Salesforce Accounts to NetSuite Customers: job \w+ failed\.\n\{/);
    expect(t.text).toMatch(/\nNext:\n- get_job \{"job":"\w+"\}: the job's counts and timing\n- troubleshoot \{"job":"\w+"\}: the likely cause and the fix\n- list_errors/);
    expect(t.structured).not.toHaveProperty('next');
    const started = await tool('run_and_monitor').handler({ flow: 'Daily Exchange Rates to NetSuite', wait: false }, env.ctx);
    expect(started.isError).toBe(false);
    expect(started.text).toContain('get_job');
    expect(started.text).toContain(': how the run is going');
  });

  it('run_and_monitor at the terminal is `flows monitor`, always following the run', () => {
    expect(commandLine({ op: 'run_and_monitor', args: { flow: FLOW } }, operationMap())).toBe(`celigo-manage flows monitor "${FLOW}"`);
    expect(commandLine({ op: 'run_and_monitor', args: { export: 'Get Shopify customers', timeoutSec: 60 } }, operationMap())).toBe('celigo-manage flows monitor --export "Get Shopify customers" --timeout 60');
  });

  it('update_mapping: a dry run offers the write as the next step, which the CLI takes as --changes JSON', async () => {
    const changes = [{ op: 'add' as const, generate: 'memo', extract: 'note' }];
    const t = await tool('update_mapping').handler({ flow: MAPPED, changes, dryRun: true }, env.ctx);
    expect(t.isError).toBe(false);
    expect(t.text).toMatch(/\nNext:\n- update_mapping \{"flow":"665f\w+","changes":\[\{"op":"add","generate":"memo","extract":"note"\}\]\}: write these changes$/);
    const r = await op('update_mapping').run(env.ctx, { flow: MAPPED, changes, dryRun: true });
    const [step] = nextOf(op('update_mapping'), r);
    expect(commandLine(step!, operationMap())).toBe(`celigo-manage mapping update ${String(step!.args!.flow)} --changes "{\\"op\\":\\"add\\",\\"generate\\":\\"memo\\",\\"extract\\":\\"note\\"}"`);
    const written = await op('update_mapping').run(env.ctx, { flow: MAPPED, changes });
    expect(nextOf(op('update_mapping'), written)).toEqual([{ op: 'restore_backup', args: { id: expect.stringMatching(/^bk-/) }, why: 'undo this change' }]);
    expect(outcomeOf(op('update_mapping'), written)).toBe('ok');
  });

  it('get_mapping: the field mappings, and with a sample what they map to', async () => {
    const plain = await tool('get_mapping').handler({ flow: FAILING }, env.ctx);
    expect(plain.text.split('\n').slice(0, 2)).toEqual([
      expect.stringMatching(/^Import "Upsert NetSuite customers from Salesforce" \(\w+\) of flow "Salesforce Accounts to NetSuite Customers", Mapper 1\.0: 4 field mappings\.$/),
      'generate\textract\thardCodedValue\tdataType',
    ]);
    const sampled = await tool('get_mapping').handler({ flow: FAILING, sample: { Name: 'Acme', Phone: '1' } }, env.ctx);
    expect(sampled.text).toContain('companyname\tName\t\tAcme\t');
    expect(sampled.text).toContain('Source fields missing from the sample: Id, BillingCity');
    expect(sampled.structured).toMatchObject({ preview: { output: { companyname: 'Acme', phone: '1' } }, truncated: false });
  });

  it('check_dependencies: which flows use a connection', async () => {
    const d = await tool('check_dependencies').handler({ type: 'connection', id: 'Stripe' }, env.ctx);
    expect(d.text.split('\n')[0]).toBe('connection "Stripe" is used by 2 flows (2 enabled) in 1 integration through 2 steps.');
    expect(commandLine({ op: 'check_dependencies', args: { type: 'flow', id: FLOW } }, operationMap())).toBe(`celigo-manage flows using flow "${FLOW}"`);
  });
});
