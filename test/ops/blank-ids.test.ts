// A blank id never reaches a request path: `GET /v1/jobs/` + '' is the list of jobs (integrator.io
// answered a retry of job '' with a 400 about list filters), and a blank target never becomes "none given".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { enc } from '../../src/core/resource.js';
import { getJob } from '../../src/ops/read/jobs.js';
import { retryJob } from '../../src/ops/retry.js';
import { troubleshoot } from '../../src/ops/troubleshoot.js';
import { run, tempHome } from '../helpers/cli.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';

let env: Env;
beforeAll(async () => {
  env = await demoEnv();
});
afterAll(() => env.close());

describe('blank ids', () => {
  it('are refused by the client before any request, whatever the resource', () => {
    for (const id of ['', ' ', '\t\n']) expect(() => enc(id)).toThrow(UsageError);
    expect(enc('a/b c')).toBe('a%2Fb%20c');
  });

  it('jobs: get, retry and troubleshoot say `job` is empty and send nothing', async () => {
    env.emu.clearRequestLog();
    for (const job of ['', '   ']) {
      await expect(getJob(env.ctx, job)).rejects.toThrow(/^`job` is empty: give a job id; list_jobs \(jobs list\) shows them\.$/);
      await expect(retryJob(env.ctx, { job })).rejects.toThrow(/^`job` is empty/);
      await expect(troubleshoot(env.ctx, { job })).rejects.toThrow(/^`job` is empty: give a job id, or leave it out\.$/);
    }
    await expect(troubleshoot(env.ctx, { flow: ' ' })).rejects.toThrow(/^`flow` is empty: give a flow id or name, or leave it out\.$/);
    await expect(troubleshoot(env.ctx, { integration: '' })).rejects.toThrow(/^`integration` is empty: give an integration id or name/);
    expect(env.emu.requestLog()).toEqual([]);
  });

  it('at a terminal: jobs retry "" and mapping show "" say what is empty', async () => {
    const retry = await run(['--demo', 'jobs', 'retry', '', '--yes'], { env: { CELIGO_MANAGE_HOME: tempHome() } });
    expect(retry.code).toBe(1);
    expect(retry.stderr).toMatch(/`job` is empty/);
    const show = await run(['--demo', 'mapping', 'show', ''], { env: { CELIGO_MANAGE_HOME: tempHome() } });
    expect(show.code).toBe(1);
    expect(show.stderr).toMatch(/^Error: <flow> must not be empty\./);
  });
});
