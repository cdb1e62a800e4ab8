// The connections and exports operations on the demo account: outcomes and next steps as data, written
// out as a tool call for a model and as a command line for a person; secrets left out of get_connection.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commandLine, nextForModel } from '../../src/operations/next.js';
import { nextOf, outcomeOf } from '../../src/operations/outcome.js';
import type { RunDeadline } from '../../src/operations/exports.js';
import { operationMap } from '../../src/operations/index.js';
import type { OperationContext } from '../../src/operations/types.js';
import { catalogue } from '../../src/operations/catalogue.js';
import { run } from '../helpers/cli.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';

const tool = (name: string) => catalogue().find((t) => t.name === name)!;
const op = (name: string) => operationMap().get(name)!;

describe('connections and exports operations', () => {
  let env: Env;
  beforeEach(async () => {
    env = await demoEnv();
  });
  afterEach(() => env.close());

  it('test_connection: a failed test is the failed outcome (isError for a model, exit 1 at a terminal)', async () => {
    const r = await op('test_connection').run(env.ctx, { connection: 'Salesforce - Integration User' });
    expect(outcomeOf(op('test_connection'), r)).toBe('failed');
    const shown = await tool('test_connection').handler({ connection: 'Salesforce - Integration User' }, env.ctx);
    expect(shown.isError).toBe(true);
    expect(shown.text).toMatch(/^UNHEALTHY: /);
    // A credentials failure says where to fix it: in Celigo's web app, not through any tool.
    expect(shown.text).toContain('"fix":"Fix it in integrator.io: Resources → Connections → \\"Salesforce - Integration User\\" → Edit: update its credentials (an OAuth connection: Save & authorize); then test it again."');
    expect(shown.structured).not.toHaveProperty('outcome');
    const healthy = await tool('test_connection').handler({ connection: 'NetSuite Production' }, env.ctx);
    expect(healthy.isError).toBe(false);
  });

  it('create_connection: created but failing its test is partial, with the test as the next step', async () => {
    const create = op('create_connection');
    const r = await create.run(env.ctx, { name: 'Offline API', type: 'http', config: { offline: true } });
    expect(outcomeOf(create, r)).toBe('partial');
    const [step] = nextOf(create, r);
    const id = (r as { id: string }).id;
    const why = 'after fixing its credentials or settings (in integrator.io: Resources → Connections → "Offline API" → Edit)';
    expect(step).toEqual({ op: 'test_connection', args: { connection: id }, why });
    expect(commandLine(step!, operationMap(), { demo: true })).toBe(`celigo-manage --demo connections test ${id}`);
    expect(nextForModel([step!])).toEqual([`- test_connection {"connection":"${id}"}: ${why}`]);
    const ok = await create.run(env.ctx, { name: 'Online API', type: 'http' });
    expect([outcomeOf(create, ok), nextOf(create, ok)]).toEqual(['ok', []]);
  });

  it('get_connection: settings without secrets, and where they were', async () => {
    const r = await tool('get_connection').handler({ connection: 'Salesforce - Integration User' }, env.ctx);
    expect(r.text).not.toContain('******');
    expect(r.text).toContain('"secretsHidden":["salesforce.password","salesforce.token"]');
  });

  it('trigger_export: the run report with the job to check next; still running at the timeout is pending', async () => {
    const started = await tool('trigger_export').handler({ export: 'Get Shopify customers', wait: false }, env.ctx);
    expect(started.isError).toBe(false);
    expect(started.text).not.toContain('followUp');
    const jobId = (started.structured as { jobId: string }).jobId;
    expect(started.text.split('\n').slice(-2)).toEqual(['Next:', `- get_job {"job":"${jobId}"}: how the run is going`]);
    const trigger = op('trigger_export');
    const deadline: OperationContext & RunDeadline = { ...env.ctx, followForMs: 1 };
    // The terminal's `exports run` follows unless --no-wait; the tool waits only when asked (operations/wait.ts).
    const pending = await trigger.run(deadline, { export: 'Get Shopify customers', wait: true });
    expect((pending as { status: string }).status).toBe('timeout');
    expect(outcomeOf(trigger, pending)).toBe('pending');
  });
});

describe('connections and exports commands', () => {
  it('exports get shows an export; exports run --timeout exits 8 when still running', async () => {
    const get = await run(['--demo', 'exports', 'get', 'Get Shopify orders', '--json', 'id,name,adaptorType']);
    expect(get.code).toBe(0);
    expect(JSON.parse(get.stdout)).toMatchObject({ name: 'Get Shopify orders', adaptorType: 'HTTPExport' });
    const timedOut = await run(['--demo', 'exports', 'run', 'Get Shopify customers', '--timeout', '1', '--json', 'status']);
    expect([timedOut.code, JSON.parse(timedOut.stdout)]).toEqual([8, { status: 'timeout' }]);
  });

  it('connections create reads --config from stdin and --set pairs, and refuses a secret in --set', async () => {
    const config = JSON.stringify({ http: { baseURI: 'https://api.example.com', auth: { type: 'basic', basic: { username: 'u', password: 'p' } } } });
    const created = await run(['--demo', '--yes', 'connections', 'create', 'Piped API', '--type', 'http', '--config', '-', '--set', 'http.mediaType=json', '--json', 'name,healthy'], { input: config });
    expect([created.code, JSON.parse(created.stdout)]).toEqual([0, { name: 'Piped API', healthy: true }]);
    const secret = await run(['--demo', '--yes', 'connections', 'create', 'X', '--type', 'http', '--set', 'http.auth.basic.password=p']);
    expect(secret.code).toBe(1);
    expect(secret.stderr).toContain('Refusing a secret on the command line');
  });

  it('exports list and imports list --name filter the rows shown', async () => {
    const r = await run(['--demo', 'exports', 'list', '--name', 'shopify', '--json', 'name']);
    const names = (JSON.parse(r.stdout) as { name: string }[]).map((x) => x.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => /shopify/i.test(n))).toBe(true);
  });
});
