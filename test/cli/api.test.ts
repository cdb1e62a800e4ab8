// `celigo-manage api`: raw calls, GET lists read to the end (Link headers, nextPageURL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, DEMO_TOKEN, type RunningEmulator } from '../../src/emulator/index.js';
import { run } from '../helpers/cli.js';

let emu: RunningEmulator;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, seed: 'demo', quiet: true, pageSize: 3, errorsPageSize: 4 });
  env = { CELIGO_BASE_URL: emu.baseUrl, CELIGO_API_TOKEN: DEMO_TOKEN };
});
afterAll(async () => {
  await emu?.close();
});

describe('api', () => {
  it('keeps the path under the API base: dot segments (plain or encoded) and backslashes are refused before any request', async () => {
    emu.clearRequestLog();
    for (const path of ['/../../etc/passwd', '/flows/%2e%2e/x', '/flows/%2E./x', '/./flows', '/..\\etc', '/flows%5c..']) {
      const r = await run(['api', 'GET', path], { env });
      expect(r.code, path).toBe(1);
      expect(r.stderr, path).toMatch(/would leave the API base/);
    }
    expect(emu.requestLog()).toEqual([]);
    // Dots inside a segment are fine.
    expect((await run(['api', 'GET', '/flows?name=a..b', '--no-paging'], { env })).code).toBe(0);
  });

  it('reads a Link-paged list to the end, or only the first page with --no-paging', async () => {
    const all = await run(['api', 'GET', '/flows', '--json', '_id'], { env });
    expect(all.code).toBe(0);
    const rows = JSON.parse(all.stdout) as { _id: string }[];
    expect(rows.length).toBeGreaterThan(3);
    expect(new Set(rows.map((r) => r._id)).size).toBe(rows.length);
    const first = await run(['api', 'GET', '/flows', '--no-paging'], { env });
    expect((JSON.parse(first.stdout) as unknown[]).length).toBe(3);
  });

  it('follows nextPageURL for flow-step errors', async () => {
    const flows = JSON.parse((await run(['flows', 'list', '--json', 'id,name,openErrors'], { env })).stdout) as { id: string; name: string; openErrors: number }[];
    const flow = flows.find((f) => f.name === 'Zendesk Users to Salesforce Contacts')!;
    const steps = JSON.parse((await run(['api', 'GET', `/flows/${flow.id}/errors`], { env })).stdout) as { flowErrors: { _expOrImpId: string; numError: number }[] };
    const step = steps.flowErrors.find((s) => s.numError > 4)!;
    const r = await run(['api', 'GET', `/flows/${flow.id}/${step._expOrImpId}/errors`], { env });
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout) as { errors: unknown[]; nextPageURL?: string };
    expect(body.errors.length).toBe(step.numError);
    expect(body.nextPageURL).toBeUndefined();
  });

  it('sends a body, and prints HTTP status with --include', async () => {
    const r = await run(['api', 'POST', '/tags', '--data', '{"tag":"from-api"}', '--include'], { env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).tag).toBe('from-api');
    expect(r.stderr).toMatch(/HTTP 20\d/);
    const bad = await run(['api', 'POST', '/tags', '--data', '{nope'], { env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--data must be JSON');
  });
});
