// Issue 13 item 12: every number a person or a model gives is bounded, and a value out of bounds is refused
// with a message that says the bounds, before anything is read or posted (`--timeout -5 --wait` used to
// post the retries and return exit 8 at once; `exports run --timeout -5` exit 8).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKEN, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { catalogue } from '../../src/operations/catalogue.js';
import { run } from '../helpers/cli.js';
import { connectInMemory } from '../helpers/mcp.js';
import { CeligoClient } from '../../src/core/client.js';

let emu: RunningEmulator;
const env = () => ({ CELIGO_BASE_URL: emu.baseUrl, CELIGO_API_TOKEN: DEMO_TOKEN });
const mutating = () => emu.requestLog().filter((l) => l.mutating);

beforeAll(async () => {
  emu = await startEmulator({ port: 0, seed: 'demo', quiet: true });
});
afterAll(async () => {
  await emu?.close();
});

describe('numbers at the terminal', () => {
  it.each([
    [['jobs', 'retry-failed', '--flow', 'Zendesk Users to Salesforce Contacts', '--concurrency', '0', '--yes'], '--concurrency must be a whole number from 1 to 16 (got 0)'],
    [['jobs', 'retry-failed', '--flow', 'Zendesk Users to Salesforce Contacts', '--concurrency', '-3', '--yes'], '--concurrency must be a whole number from 1 to 16 (got -3)'],
    [['jobs', 'retry-failed', '--flow', 'Zendesk Users to Salesforce Contacts', '--concurrency', '17', '--yes'], '--concurrency must be a whole number from 1 to 16 (got 17)'],
    [['errors', 'retry', '--flow', 'Salesforce Case Comments to Zendesk', '--timeout', '-5', '--wait', '--yes'], '--timeout must be a whole number of seconds from 1 to 86400 (got -5)'],
    [['errors', 'retry', '--flow', 'Salesforce Case Comments to Zendesk', '--timeout', '0', '--wait', '--yes'], '--timeout must be a whole number of seconds from 1 to 86400 (got 0)'],
    [['jobs', 'retry-failed', '--flow', 'Salesforce Case Comments to Zendesk', '--timeout', 'soon', '--wait', '--yes'], 'Not an integer'],
    [['exports', 'run', 'Get Shopify customers', '--timeout', '-5'], '--timeout must be a whole number of seconds from 1 to 86400 (got -5)'],
    [['flows', 'run', 'Shopify Customers to NetSuite', '--wait', '--timeout', '0'], '--timeout must be a whole number of seconds from 1 to 3600 (got 0)'],
    [['flows', 'monitor', 'Shopify Customers to NetSuite', '--timeout', '2'], '--timeout must be a whole number of seconds from 5 to 3600 (got 2)'],
    [['troubleshoot', '--flow', 'Shopify Customers to NetSuite', '--lookback-days', '0'], '--lookback-days must be a whole number of days from 1 to 365 (got 0)'],
  ])('%j is refused before anything is sent: %s', async (argv, message) => {
    emu.clearRequestLog();
    const r = await run(argv, { env: env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
    expect(mutating()).toEqual([]);
  });
});

describe('numbers of the tools', () => {
  it('a bound out of range is an error result that says the bounds', async () => {
    const api = new CeligoClient({ baseUrl: emu.baseUrl, token: DEMO_TOKEN });
    const conn = await connectInMemory({ era: 'legacy', server: { api, tools: catalogue() } });
    try {
      emu.clearRequestLog();
      for (const [name, args, text] of [
        ['run_and_monitor', { flow: 'Shopify Customers to NetSuite', timeoutSec: 0 }, 'timeoutSec: must be a whole number of seconds from 5 to 3600 (got 0)'],
        ['list_jobs', { limit: 0 }, 'limit: must be a whole number from 1 to 500 (got 0)'],
        ['list_backups', { limit: 1000 }, 'limit: must be a whole number from 1 to 200 (got 1000)'],
      ] as const) {
        const r = await conn.client.callTool({ name, arguments: args });
        expect(r.isError, name).toBe(true);
        expect(JSON.stringify(r.content), name).toContain(text);
      }
      expect(mutating()).toEqual([]);
    } finally {
      await conn.close();
    }
  });
});
