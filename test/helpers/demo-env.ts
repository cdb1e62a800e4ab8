// A demo account on an in-process emulator with a manual clock, and an OpContext for the ops under test.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CeligoClient } from '../../src/core/client.js';
import { DEMO_TOKEN, ManualClock, startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.js';
import type { ConfirmPlan } from '../../src/ops/context.js';
import type { WaitContext } from '../../src/ops/util.js';

export interface Env {
  emu: RunningEmulator;
  clock: ManualClock;
  api: CeligoClient;
  home: string;
  ctx: WaitContext;
  plans: ConfirmPlan[];
  close(): Promise<void>;
}

export async function demoEnv(opts: Partial<EmulatorOptions> = {}, ctxExtra: Partial<WaitContext> = {}): Promise<Env> {
  const clock = new ManualClock();
  const emu = await startEmulator({ port: 0, seed: 'demo', clock, quiet: true, rateLimit: false, ...opts });
  const api = new CeligoClient({ baseUrl: emu.baseUrl, token: DEMO_TOKEN, backoffMs: 1, sleep: async () => {} });
  const home = await mkdtemp(join(tmpdir(), 'celigo-ops-'));
  const plans: ConfirmPlan[] = [];
  const ctx: WaitContext = {
    api,
    home,
    now: () => new Date(clock.now()),
    sleep: async (ms) => clock.advance(ms),
    confirm: async (p) => {
      plans.push(p);
      return true;
    },
    ...ctxExtra,
  };
  return {
    emu,
    clock,
    api,
    home,
    ctx,
    plans,
    close: async () => {
      await emu.close();
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** GET a resource the way a test compares states: without the fields a write always bumps. */
export async function snapshot(api: CeligoClient, kind: 'integrations' | 'flows' | 'exports' | 'imports' | 'connections', id: string): Promise<Record<string, unknown>> {
  const res = await api.raw('GET', `/${kind}/${id}`);
  const body = { ...(res.body as Record<string, unknown>) };
  delete body.lastModified;
  delete body.lastModifiedBy;
  return body;
}
