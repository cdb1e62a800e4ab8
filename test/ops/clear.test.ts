import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/seed/demo.js';
import { clearErrors } from '../../src/ops/clear.js';
import { Cancelled } from '../../src/ops/context.js';
import { resolveStep, scanErrors } from '../../src/ops/scan.js';
import { resolveFlow } from '../../src/ops/resolve.js';
import { flowSteps } from '../../src/core/flows.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';

describe('clear errors', () => {
  let env: Env;
  beforeEach(async () => {
    env = await demoEnv();
  });
  afterEach(() => env.close());

  it('resolves exactly the errors of one pattern, after a preview', async () => {
    const before = await scanErrors(env.ctx, { integration: DEMO.failingIntegration });
    const target = before.errors.filter((e) => e.code === 'INVALID_KEY_OR_REF');
    const r = await clearErrors(env.ctx, { integration: DEMO.failingIntegration, pattern: 'invalid customer reference' });
    expect(env.plans).toHaveLength(1);
    expect(env.plans[0].action).toBe(`Resolve ${target.length} open errors (integration ${DEMO.failingIntegration}, matching "invalid customer reference")`);
    expect(r).toMatchObject({ state: 'open', matched: target.length, cleared: target.length, failed: 0 });
    expect(r.patterns).toEqual([{ pattern: 'INVALID_KEY_OR_REF: Invalid customer reference key <n>.', count: target.length, cause: 'data validation' }]);
    const after = await scanErrors(env.ctx, { integration: DEMO.failingIntegration });
    expect(after.errors.length).toBe(before.errors.length - target.length);
    expect(after.errors.some((e) => e.code === 'INVALID_KEY_OR_REF')).toBe(false);
  });

  it('names the integration it found, not the words it was given, in what it asks to confirm', async () => {
    // Part of the name, in another case: the integration it picks is the one the confirmation names.
    const part = DEMO.failingIntegration.slice(0, 16).toUpperCase();
    const r = await clearErrors(env.ctx, { integration: part });
    expect(env.plans[0].action).toMatch(new RegExp(`^Resolve \\d+ open errors \\(integration ${DEMO.failingIntegration.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)$`));
    expect(r.scope).toBe(`integration ${DEMO.failingIntegration}`);
  });

  it('names the step it found by part of its name', async () => {
    const flow = await resolveFlow(env.api, DEMO.mappingEditedFlow);
    const steps = await Promise.all(flowSteps(flow).map((st) => resolveStep(env.ctx, flow, st.id)));
    // The first step's name cut to the shortest start (4 letters at least) that no other step's name holds.
    const step = steps[0]!;
    let n = 4;
    const partOf = (k: number) => step.name.slice(0, k).trim();
    while (partOf(n).length < 4 || steps.some((o) => o !== step && o.name.toLowerCase().includes(partOf(n).toLowerCase()))) n++;
    const part = partOf(n);
    const r = await clearErrors(env.ctx, { flow: DEMO.mappingEditedFlow, step: part.toUpperCase() });
    expect(r.scope).toBe(`flow ${flow.name}, step ${step.name}`);
  });

  it('refuses a step named by too few letters to mean one', async () => {
    const before = await scanErrors(env.ctx, { flow: DEMO.mappingEditedFlow });
    await expect(clearErrors(env.ctx, { flow: DEMO.mappingEditedFlow, step: 'e' })).rejects.toThrow(/has no step "e"/);
    expect(env.plans).toHaveLength(0);
    expect((await scanErrors(env.ctx, { flow: DEMO.mappingEditedFlow })).errors).toHaveLength(before.errors.length);
  });

  it('limits to a time range', async () => {
    const flow = DEMO.mappingEditedFlow;
    const all = await scanErrors(env.ctx, { flow });
    const since = new Date(env.clock.now() - 86_400_000).toISOString();
    const recent = all.errors.filter((e) => e.occurredAt >= since);
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.length).toBeLessThan(all.errors.length);
    const r = await clearErrors(env.ctx, { flow, range: 'last 24 hours' });
    expect(r.cleared).toBe(recent.length);
    expect((await scanErrors(env.ctx, { flow })).errors).toHaveLength(all.errors.length - recent.length);
  });

  it('changes nothing when declined', async () => {
    env.emu.clearRequestLog();
    await expect(clearErrors({ ...env.ctx, confirm: async () => false }, { flow: DEMO.mappingEditedFlow })).rejects.toBeInstanceOf(Cancelled);
    expect(env.emu.requestLog().filter((l) => l.mutating)).toEqual([]);
  });

  it('purges resolved errors, or explains that this API cannot', async () => {
    const resolved = await scanErrors(env.ctx, { flow: 'Salesforce Opportunities to NetSuite Sales Orders', state: 'resolved' });
    expect(resolved.errors.length).toBeGreaterThan(0);
    const r = await clearErrors(env.ctx, { flow: 'Salesforce Opportunities to NetSuite Sales Orders', state: 'resolved' });
    expect(r.matched).toBe(resolved.errors.length);
    if (r.unsupported) {
      expect(r.cleared).toBe(0);
      expect(r.summary).toMatch(/does not offer purging/);
    } else expect(r.cleared).toBe(resolved.errors.length);
  });

  it('says so when nothing matches', async () => {
    const r = await clearErrors(env.ctx, { integration: DEMO.integrations.shopify });
    expect(r.matched).toBe(0);
    expect(env.plans).toHaveLength(0);
  });
});
