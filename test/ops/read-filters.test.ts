// A blank filter of a list read is an error that says what to give, never "every row": `name: ""` matched
// every integration, `integration: " "` listed the whole account's flows, exports, imports and jobs, and
// `status: ""` every job. Each is refused before any request; a filter that is given still filters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { catalogue } from '../../src/operations/catalogue.js';
import { listConnections } from '../../src/ops/read/connections.js';
import { listExports, listImports, nameContains } from '../../src/ops/read/exports.js';
import { listFlows } from '../../src/ops/read/flows.js';
import { listIntegrations } from '../../src/ops/read/integrations.js';
import { listJobs } from '../../src/ops/read/jobs.js';
import { run, tempHome } from '../helpers/cli.js';
import { connectInMemory, textOf } from '../helpers/mcp.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';

let env: Env;
beforeAll(async () => {
  env = await demoEnv();
});
afterAll(() => env.close());

const refused = async (read: () => Promise<unknown>, message: RegExp) => {
  env.emu.clearRequestLog();
  const err = await read().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsageError);
  expect((err as Error).message).toMatch(message);
  expect(env.emu.requestLog()).toEqual([]);
};

describe('blank list filters', () => {
  it.each(['', '   '])('refuses the blank value %j of every filter, before any request', async (blank) => {
    await refused(() => listIntegrations(env.ctx, { name: blank }), /^name is empty: give part of an integration name, e\.g\. "netsuite", or leave name out for every integration\.$/);
    await refused(() => listIntegrations(env.ctx, { tag: blank }), /^tag is empty: .*leave tag out for every integration/);
    await refused(() => listFlows(env.ctx, { integration: blank }), /^integration is empty: give an integration id or name.*leave integration out for the whole account/);
    await refused(() => listFlows(env.ctx, { name: blank }), /^name is empty/);
    await refused(() => listConnections(env.ctx, { name: blank }), /^name is empty/);
    await refused(() => listConnections(env.ctx, { type: blank }), /^type is empty: give a connection type/);
    await refused(() => listExports(env.ctx, { integration: blank }), /^integration is empty/);
    await refused(() => listImports(env.ctx, { integration: blank }), /^integration is empty/);
    await refused(() => listJobs(env.ctx, { integration: blank }), /^integration is empty/);
    await refused(() => listJobs(env.ctx, { flow: blank }), /^flow is empty/);
    await refused(() => listJobs(env.ctx, { status: blank }), /^status is empty: give a job status \(.*completed.*\)/);
    await refused(() => listJobs(env.ctx, { type: blank }), /^type is empty: .*leave type out for flow jobs/);
    expect(() => nameContains([{ name: 'x' }], blank)).toThrow(UsageError);
  });

  it('a filter given still filters, and none is every row', async () => {
    const all = await listIntegrations(env.ctx, { errors: false });
    const some = await listIntegrations(env.ctx, { name: 'NETSUITE', errors: false });
    expect(some.length).toBeGreaterThan(0);
    expect(some.length).toBeLessThan(all.length);
    expect(some.every((r) => r.name.toLowerCase().includes('netsuite'))).toBe(true);
    expect(nameContains([{ name: 'Get Orders' }, { name: 'Put Items' }], 'orders')).toEqual([{ name: 'Get Orders' }]);
  });

  it('says so through both front ends', async () => {
    const c = await connectInMemory({ era: 'legacy', server: { tools: catalogue(), api: env.api } });
    const r = await c.client.callTool({ name: 'list_integrations', arguments: { name: '' } });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/name is empty: give part of an integration name/);
    await c.close();
    const cli = await run(['--demo', 'integrations', 'list', '--name', ''], { env: { CELIGO_MANAGE_HOME: tempHome() } });
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toMatch(/name is empty: give part of an integration name/);
    expect(cli.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });
});
