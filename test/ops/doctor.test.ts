// doctor: every uncertain row of celigo-api.md probed with reads only; each switched emulator row is
// reported as "differs"; the forms it learns are kept in the profile and used by the next command.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CeligoClient } from '../../src/core/client.js';
import { FORM_IDS, FORM_ROWS } from '../../src/core/forms.js';
import { DEMO_TOKEN, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { runDoctor } from '../../src/ops/doctor.js';
import { run, tempHome } from '../helpers/cli.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';

async function setForms(emu: RunningEmulator, body: Record<string, string>): Promise<void> {
  const r = await fetch(`${emu.url}/__emulator/forms`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  expect(r.status).toBe(200);
}

describe('doctor on the emulator', () => {
  let env: Env;
  beforeAll(async () => {
    env = await demoEnv();
  });
  afterAll(() => env.close());

  const readOnlyCtx = () => ({ ...env.ctx, api: new CeligoClient({ baseUrl: env.emu.baseUrl, token: DEMO_TOKEN, readOnly: true, backoffMs: 1, sleep: async () => {} }) });

  it('reports every row, all holding, with reads only', async () => {
    env.emu.clearRequestLog();
    const r = await runDoctor(readOnlyCtx());
    expect(r.rows.map((x) => x.id)).toEqual(FORM_ROWS.map((x) => x.id));
    expect(r.rows.filter((x) => x.result !== 'holds').map((x) => `${x.id}: ${x.detail}`)).toEqual([]);
    const log = env.emu.requestLog();
    expect(log.length).toBeGreaterThan(FORM_IDS.length);
    expect(log.filter((e) => e.mutating)).toEqual([]);
    expect(r.forms).toEqual({ arrayFilters: 'brackets', listPaging: 'link' });
  });

  it('names the proxy its reads went through, without the proxy\'s credentials', async () => {
    // The account under a name that is not this machine (which is never proxied); the requests reach the emulator.
    const base = env.emu.baseUrl.replace('127.0.0.1', 'api.example.test');
    const fetchHere = (url: string, init?: RequestInit) => fetch(url.replace('api.example.test', '127.0.0.1'), init);
    const api = new CeligoClient({ baseUrl: base, token: DEMO_TOKEN, readOnly: true, backoffMs: 1, sleep: async () => {}, fetch: fetchHere as never });
    vi.stubEnv('HTTPS_PROXY', 'http://me:pa55word@proxy.example.test:8080');
    vi.stubEnv('HTTP_PROXY', 'http://me:pa55word@proxy.example.test:8080');
    vi.stubEnv('NO_PROXY', '');
    try {
      const r = await runDoctor({ ...env.ctx, api });
      expect(r.proxy).toBe('http://proxy.example.test:8080');
      expect(JSON.stringify(r)).not.toMatch(/pa55word/);
    } finally {
      vi.unstubAllEnvs();
    }
    expect((await runDoctor(readOnlyCtx())).proxy).toBeUndefined();
  });

  it('reports "differs" for every row the emulator answers in its other form, and learns the forms the client can follow', async () => {
    await setForms(env.emu, { all: 'other' });
    try {
      env.emu.clearRequestLog();
      const r = await runDoctor(readOnlyCtx());
      expect(r.rows.filter((x) => x.result !== 'differs').map((x) => `${x.id}: ${x.result}: ${x.detail}`)).toEqual([]);
      expect(r.forms).toEqual({ arrayFilters: 'repeat', listPaging: 'skip' });
      expect(env.emu.requestLog().filter((e) => e.mutating)).toEqual([]);
    } finally {
      await setForms(env.emu, { all: 'expected' });
    }
  });

  it('run statistics (W16): per-flow rows hold; not answered (404) differs and says where counts come from', async () => {
    const held = (await runDoctor(readOnlyCtx())).rows.find((x) => x.id === 'run-stats')!;
    expect(held).toMatchObject({ result: 'holds' });
    expect(held.detail).toMatch(/^one row per flow \(numRuns, numSuccess, numError, numOpenError, lastExecutedAt\)$/);
    env.emu.setFaults({ next: [{ status: 404, when: 'before', match: 'POST /v1/flows/runs/stats' }] });
    try {
      const gone = (await runDoctor(readOnlyCtx())).rows.find((x) => x.id === 'run-stats')!;
      expect(gone).toMatchObject({ result: 'differs', detail: 'POST /flows/runs/stats is not answered: run counts come from the job list' });
    } finally {
      env.emu.setFaults({});
    }
  });

  it('switching one row is reported on that row only', async () => {
    await setForms(env.emu, { 'resolved-key': 'other' });
    try {
      const r = await runDoctor(readOnlyCtx());
      expect(r.rows.filter((x) => x.result === 'differs').map((x) => x.id)).toEqual(['resolved-key']);
    } finally {
      await setForms(env.emu, { all: 'expected' });
    }
  });

  it('the report holds shapes only: no names, messages, ids or tokens from the account', async () => {
    const r = await runDoctor(readOnlyCtx());
    const text = JSON.stringify(r);
    expect(text).not.toMatch(/[0-9a-f]{24}/);
    expect(text).not.toContain(DEMO_TOKEN);
    expect(text).not.toMatch(/Priya|Salesforce|Shopify|Zendesk|NetSuite/);
  });
});

describe('doctor from the command line', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, seed: 'demo', quiet: true, rateLimit: false });
  });
  afterAll(() => emu.close());

  it('keeps the learned forms in the profile, and the next command sends repeated keys and pages with skip', async () => {
    const home = tempHome();
    const env = { CELIGO_MANAGE_HOME: home, CELIGO_API_TOKEN: DEMO_TOKEN, CELIGO_BASE_URL: emu.baseUrl };
    await setForms(emu, { all: 'other' });
    try {
      emu.clearRequestLog();
      const d = await run(['doctor', '--json', 'summary,counts,forms,reportFile'], { env });
      expect(d.code, d.stderr).toBe(0);
      const out = JSON.parse(d.stdout);
      expect(out.counts).toEqual({ holds: 0, differs: FORM_IDS.length, 'could not tell': 0 });
      expect(emu.requestLog().filter((e) => e.mutating)).toEqual([]);
      const saved = JSON.parse(readFileSync(join(home, 'profiles.json'), 'utf8'));
      expect(saved.profiles.default).toMatchObject({ forms: { arrayFilters: 'repeat', listPaging: 'skip' }, formsBaseUrl: emu.baseUrl });
      const report = JSON.parse(readFileSync(out.reportFile, 'utf8'));
      expect(report.rows).toHaveLength(FORM_IDS.length);

      emu.clearRequestLog();
      const h = await run(['health', '--no-connections', '--json', 'verdicts'], { env });
      expect(h.code, h.stderr).toBe(0);
      expect(JSON.parse(h.stdout).verdicts).toMatchObject({ failing: 1, degraded: 1 });
      const paths = emu.requestLog().map((e) => decodeURIComponent(e.path));
      expect(paths.some((p) => p.startsWith('/v1/jobs?') && p.includes('type_in=flow&type_in=retry&type_in=bulk_retry'))).toBe(true);
      expect(paths.some((p) => p.includes('type_in['))).toBe(false);
      expect(paths.some((p) => /^\/v1\/integrations\?.*limit=1000&skip=0/.test(p))).toBe(true);
    } finally {
      await setForms(emu, { all: 'expected' });
    }
  });

  it('on --demo it writes the report but remembers nothing (the demo account is new on every command)', async () => {
    const home = tempHome();
    const d = await run(['--demo', 'doctor', '--json', 'counts,reportFile'], { env: { CELIGO_MANAGE_HOME: home } });
    expect(d.code, d.stderr).toBe(0);
    expect(JSON.parse(d.stdout).counts.holds).toBe(FORM_IDS.length);
    expect(() => readFileSync(join(home, 'profiles.json'))).toThrow();
  });
});
