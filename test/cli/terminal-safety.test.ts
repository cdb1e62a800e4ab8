// Names and messages from the API never drive the terminal (issue 13 item 5): a flow named with a colour
// escape, an OSC-8 hyperlink, a title change and a CR, and an error message with the same, reach tables,
// TSV, human text, errors and model text without a single escape sequence or control character; a table
// cut at 80 columns still prints every row after the evil one.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CeligoClient } from '../../src/core/client.js';
import { DEMO_TOKEN, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { operationMap } from '../../src/operations/index.js';
import { toolOf } from '../../src/operations/tool.js';
import { run } from '../helpers/cli.js';

const EVIL = 'Evil\x1b[31mRED\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07\x1b]0;pwned\x07\rOVER\x9b2J\u202eWRITE';
const SHOWN = 'EvilREDclick OVERWRITE';
const INTEGRATION = 'Shopify - NetSuite Orders';
const ERROR_FLOW = 'Salesforce Case Comments to Zendesk';

/** Anything a terminal would act on, except the plain colours (SGR) we print ourselves. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /\x1b(?!\[[0-9;]*m)|[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

let emu: RunningEmulator;
let env: NodeJS.ProcessEnv;
let evilId: string;
let evilServer: Server;
let evilEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, seed: 'demo', quiet: true, rateLimit: false });
  env = { CELIGO_BASE_URL: emu.baseUrl, CELIGO_API_TOKEN: DEMO_TOKEN };
  const integration = [...emu.store.map('integrations').values()].find((i) => i.name === INTEGRATION)!;
  const res = await fetch(`${emu.baseUrl}/flows`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${DEMO_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: EVIL, _integrationId: integration._id }),
  });
  evilId = ((await res.json()) as { _id: string })._id;
  // Every open error of one flow gets the evil message.
  const flow = [...emu.store.map('flows').values()].find((f) => f.name === ERROR_FLOW)!;
  for (const step of emu.store.errors.stepsOf(flow._id as string)?.values() ?? []) {
    for (const e of step.open) e.pattern = { ...e.pattern, message: `${EVIL} after` };
  }
  // An API whose error messages carry the same sequences.
  evilServer = createServer((_req, r) => {
    r.writeHead(400, { 'content-type': 'application/json' });
    r.end(JSON.stringify({ errors: [{ code: 'bad\x1b[31m', message: EVIL, field: 'na\x1b]0;t\x07me' }] }));
  });
  await new Promise<void>((ok) => evilServer.listen(0, '127.0.0.1', ok));
  evilEnv = { CELIGO_BASE_URL: `http://127.0.0.1:${(evilServer.address() as AddressInfo).port}/v1`, CELIGO_API_TOKEN: DEMO_TOKEN };
});

afterAll(async () => {
  await emu?.close();
  await new Promise((ok) => evilServer?.close(ok));
});

function expectSafe(text: string, what: string): void {
  const m = UNSAFE.exec(text);
  expect(m, `${what}: ${JSON.stringify(text.slice(Math.max(0, (m?.index ?? 0) - 30), (m?.index ?? 0) + 30))}`).toBeNull();
}

describe('API strings on the terminal', () => {
  it.each([
    ['a table at 80 columns', { tty: true, columns: 80 }],
    ['a wide table', { tty: true, columns: 250 }],
    ['TSV', { tty: false, columns: 80 }],
  ])('flows list: %s', async (what, o) => {
    const r = await run(['flows', 'list', '--integration', INTEGRATION], { env, ...o });
    expect(r.code).toBe(0);
    expectSafe(r.stdout, what);
    // Nothing after the evil row is swallowed: every flow of the integration is there.
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBe(o.tty ? 2 + 6 : 1 + 6);
    if (!o.tty || o.columns === 250) expect(r.stdout).toContain(SHOWN);
  });

  it('flows get, human and --json (which keeps the exact name, escaped)', async () => {
    const human = await run(['flows', 'get', evilId], { env, tty: true });
    expect(human.code).toBe(0);
    expectSafe(human.stdout, 'flows get');
    expect(human.stdout).toContain(SHOWN);
    const json = await run(['flows', 'get', evilId, '--json', 'name'], { env, tty: true });
    expectSafe(json.stdout, 'flows get --json');
    expect(JSON.parse(json.stdout).name).toBe(EVIL);
  });

  it('error messages in errors list, troubleshoot and a change confirmation', async () => {
    for (const argv of [['errors', 'list', '--flow', ERROR_FLOW], ['troubleshoot', ERROR_FLOW], ['flows', 'disable', evilId, '--yes']]) {
      for (const tty of [true, false]) {
        const r = await run(argv, { env, tty, columns: 100 });
        expectSafe(r.stdout + r.stderr, `${argv.join(' ')} (${tty ? 'tty' : 'pipe'})`);
      }
    }
  });

  it("the API's own error message, as a line and as JSON", async () => {
    const line = await run(['flows', 'list'], { env: evilEnv, tty: true });
    expect(line.code).toBe(1);
    expectSafe(line.stderr, 'error line');
    expect(line.stderr).toContain('OVERWRITE');
    const json = await run(['flows', 'list', '--json'], { env: evilEnv });
    expectSafe(json.stderr, 'error JSON');
    expect(JSON.parse(json.stderr).error.message).toContain('OVERWRITE');
  });
});

describe('API strings to a model', () => {
  it('list_flows and get_flow text and structured content carry no escape or C1 character', async () => {
    const api = new CeligoClient({ baseUrl: emu.baseUrl, token: DEMO_TOKEN });
    const ops = operationMap();
    for (const [name, args] of [['list_flows', { integration: INTEGRATION }], ['get_flow', { flow: evilId }], ['list_errors', { flow: ERROR_FLOW }]] as const) {
      const r = await toolOf(ops.get(name)!).handler(args as never, { api });
      expectSafe(r.text, name);
      expectSafe(JSON.stringify(r.structured ?? {}).replace(/\\u001b/g, '\x1b'), `${name} structured`);
      if (name !== 'list_errors') expect(r.text).toContain('EvilREDclick');
    }
  });
});
