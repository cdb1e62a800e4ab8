import { describe, expect, it } from 'vitest';
import { CeligoClient } from '../../src/core/client.js';
import { Cancelled, ConfirmationRequired, type OpContext } from '../../src/ops/context.js';
import { makePlan, mustConfirm } from '../../src/ops/confirm.js';

const api = new CeligoClient({ baseUrl: 'http://127.0.0.1:9/v1', token: 't' });
const plan = makePlan('Do a thing', ['one'], { x: 1 });

describe('mustConfirm', () => {
  it('lets ordinary changes through without asking, except on production', async () => {
    let asked = 0;
    const confirm = async () => (asked++, true);
    await mustConfirm({ api, confirm }, plan, 'change');
    expect(asked).toBe(0);
    await mustConfirm({ api, confirm, production: true }, plan, 'change');
    expect(asked).toBe(1);
    await mustConfirm({ api, confirm, production: true }, plan, { mutating: true });
    expect(asked).toBe(2);
  });
  it('always asks before destructive or mass work, unless --yes', async () => {
    let asked = 0;
    const confirm = async () => (asked++, true);
    await mustConfirm({ api, confirm }, plan, 'destructive');
    await mustConfirm({ api, confirm }, plan, 'mass');
    expect(asked).toBe(2);
    await mustConfirm({ api, confirm, yes: true, production: true }, plan, 'destructive');
    expect(asked).toBe(2);
  });
  it('cancels when declined, or when there is no one to ask', async () => {
    await expect(mustConfirm({ api, confirm: async () => false }, plan)).rejects.toBeInstanceOf(Cancelled);
    await expect(mustConfirm({ api } as OpContext, plan)).rejects.toThrow(/--yes/);
    await expect(mustConfirm({ api, production: true }, plan, 'change')).rejects.toThrow(/production/);
  });
  it('passes a front end\'s preview request through', async () => {
    const confirm = async (p: typeof plan): Promise<boolean> => {
      throw new ConfirmationRequired(p, 'tok');
    };
    await expect(mustConfirm({ api, confirm }, plan)).rejects.toBeInstanceOf(ConfirmationRequired);
  });
  it('digests what is touched, so a token cannot confirm a different plan', () => {
    expect(makePlan('A', [], { ids: [1, 2] }).digest).toBe(makePlan('A', ['x'], { ids: [1, 2] }).digest);
    expect(makePlan('A', [], { ids: [1, 2] }).digest).not.toBe(makePlan('A', [], { ids: [1, 3] }).digest);
  });
});
