// No input widens a destructive action (issue 12, item 1): a misspelled key, an empty or blank scope value,
// or no scope at all never becomes "the whole account". Each case failed before: the misspelled key was
// dropped and `{"flow": ""}` read as no filter, and both previewed resolving all 242 open errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { DEMO } from '../../src/emulator/seed/demo.js';
import { catalogue } from '../../src/operations/catalogue.js';
import { clearErrors } from '../../src/ops/clear.js';
import { retryFailedJobs } from '../../src/ops/retry.js';
import { run, tempHome } from '../helpers/cli.js';
import { connectInMemory, textOf } from '../helpers/mcp.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';

let env: Env;
beforeAll(async () => {
  env = await demoEnv();
});
afterAll(() => env.close());

describe('scope is explicit', () => {
  it.each([
    ['an empty flow', { flow: '' }],
    ['a blank integration', { integration: '   ' }],
    ['no scope at all', {}],
    ['only a range (still the whole account)', { range: 'last 7 days' }],
  ])('clear_errors and retry_failed_jobs refuse %s, before planning anything', async (_what, scope) => {
    env.plans.length = 0;
    env.emu.clearRequestLog();
    await expect(clearErrors(env.ctx, scope)).rejects.toBeInstanceOf(UsageError);
    await expect(retryFailedJobs(env.ctx, scope)).rejects.toBeInstanceOf(UsageError);
    const said = String(await clearErrors(env.ctx, scope).catch((e: Error) => e.message));
    if ('integration' in scope) expect(said).toBe('`integration` is empty: give an integration id or name, or leave it out.');
    if ('flow' in scope) expect(said).toBe('`flow` is empty: give a flow id or name, or leave it out.');
    expect(env.plans).toEqual([]);
    expect(env.emu.requestLog()).toEqual([]);
  });

  it('the whole account is one explicit word away', async () => {
    const r = await clearErrors({ ...env.ctx, confirm: async (p) => (env.plans.push(p), false) }, { scope: 'account' }).catch((e: Error) => e);
    expect(env.plans.at(-1)?.action).toMatch(/^Resolve 242 open errors/);
    expect(r).toBeInstanceOf(Error); // declined
  });

  it('an unknown argument key is an error that lists the valid ones, in every tool', async () => {
    const conn = await connectInMemory({ era: 'legacy', server: { tools: catalogue(), api: env.api } });
    try {
      const r = await conn.client.callTool({ name: 'clear_errors', arguments: { flowName: DEMO.mappingEditedFlow } });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/Unknown argument "flowName"\. Valid arguments: integration, flow, step, range, pattern, state, scope, confirm/);
      for (const t of catalogue()) {
        const x = await conn.client.callTool({ name: t.name, arguments: { notAnArgument: 1 } });
        expect(x.isError, t.name).toBe(true);
        expect(textOf(x), t.name).toMatch(/Unknown argument "notAnArgument"/);
      }
    } finally {
      await conn.close();
    }
  });

  it('at a terminal too: errors clear --flow "" --yes resolves nothing', async () => {
    const r = await run(['--demo', 'errors', 'clear', '--flow', '', '--yes'], { env: { CELIGO_MANAGE_HOME: tempHome() } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/`flow` is empty/);
    const all = await run(['--demo', 'errors', 'clear', '--yes'], { env: { CELIGO_MANAGE_HOME: tempHome() } });
    expect(all.code).toBe(1);
    expect(all.stderr).toMatch(/needs a scope/);
  });
});

describe('honest lists (issue 12, item 3)', () => {
  it('limit is bounded in every list tool, and total counts every row, with a cursor for the rest', async () => {
    const conn = await connectInMemory({ era: 'legacy', server: { tools: catalogue(), api: env.api, now: () => new Date(env.clock.now()) } });
    try {
      for (const t of catalogue().filter((x) => 'limit' in x.input && x.name.startsWith('list_'))) {
        for (const bad of [0, -5, 100_000]) {
          const r = await conn.client.callTool({ name: t.name, arguments: { limit: bad } });
          expect(r.isError, `${t.name} limit ${bad}`).toBe(true);
        }
      }
      const r = await conn.client.callTool({ name: 'list_jobs', arguments: { range: 'last 7 days', limit: 5 } });
      const s = r.structuredContent as { total: number; truncated: boolean; nextCursor?: string };
      expect(s.total).toBeGreaterThan(100);
      expect(s.truncated).toBe(true);
      expect(s.nextCursor).toBeTruthy();
      expect(textOf(r)).toMatch(new RegExp(`^Showing 5 of ${s.total} `));
    } finally {
      await conn.close();
    }
  });
});
