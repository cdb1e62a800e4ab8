// Issue 18: the rate gate's settings. Unset, no gate at all (a single user's server behaves as before); a Redis
// URL alone gives integrator.io's 300/s shared by every replica; anything that does not parse names its variable.
import { describe, expect, it } from 'vitest';
import { DEFAULT_REPLICAS, DEFAULT_SHARED_RATE_PER_SECOND, rateGateConfigFromEnv } from '../../src/config/rate-env.js';
import { openRateGates, rateHealth } from '../../src/app/rate-gates.js';

describe('rate gate settings', () => {
  it('no variables: no gate', async () => {
    expect(rateGateConfigFromEnv({})).toBeUndefined();
    expect(rateGateConfigFromEnv({ CELIGO_MANAGE_RATE_BURST: '5', CELIGO_MANAGE_REPLICAS: '3' })).toBeUndefined();
    const gates = await openRateGates({});
    expect(gates.for('https://api.integrator.io/v1', 'token')).toBeUndefined();
    expect(rateHealth(gates.status())).toEqual({ rate: { mode: 'off' } });
  });

  it('a rate alone: a gate in this process, one second of burst', async () => {
    expect(rateGateConfigFromEnv({ CELIGO_MANAGE_RATE_PER_SECOND: '12.5' })).toEqual({ perSecond: 12.5, burst: 13, replicas: DEFAULT_REPLICAS });
    expect(rateGateConfigFromEnv({ CELIGO_MANAGE_RATE_PER_SECOND: '0.5' })).toMatchObject({ burst: 1 });
    const gates = await openRateGates({ CELIGO_MANAGE_RATE_PER_SECOND: '100', CELIGO_MANAGE_RATE_BURST: '20' });
    const g = gates.for('https://api.integrator.io/v1', 'token')!;
    expect(gates.for('https://api.integrator.io/v1/', 'token')).toBe(g);
    expect(gates.for('https://api.integrator.io/v1', 'other token')).not.toBe(g);
    expect(gates.status()).toEqual({ mode: 'local', perSecond: 100, burst: 20 });
  });

  it('a Redis URL alone: the account\'s 300/s for every replica together', () => {
    expect(rateGateConfigFromEnv({ CELIGO_MANAGE_REDIS_URL: 'redis://redis:6379/0' })).toEqual({
      perSecond: DEFAULT_SHARED_RATE_PER_SECOND,
      burst: DEFAULT_SHARED_RATE_PER_SECOND,
      replicas: 2,
      redisUrl: 'redis://redis:6379/0',
    });
    expect(rateGateConfigFromEnv({ CELIGO_MANAGE_REDIS_URL: 'rediss://:pw@host:6380', CELIGO_MANAGE_RATE_PER_SECOND: '50', CELIGO_MANAGE_REPLICAS: '4' })).toMatchObject({ perSecond: 50, replicas: 4 });
  });

  it('0 or off: no gate, even with a Redis URL', () => {
    for (const v of ['0', 'off', 'OFF', '0.0']) expect(rateGateConfigFromEnv({ CELIGO_MANAGE_RATE_PER_SECOND: v, CELIGO_MANAGE_REDIS_URL: 'redis://r:6379' })).toBeUndefined();
  });

  it('refuses what does not parse, naming the variable and never echoing a Redis URL', () => {
    expect(() => rateGateConfigFromEnv({ CELIGO_MANAGE_RATE_PER_SECOND: '300/s' })).toThrow(/CELIGO_MANAGE_RATE_PER_SECOND must be requests per second/);
    expect(() => rateGateConfigFromEnv({ CELIGO_MANAGE_RATE_PER_SECOND: '10', CELIGO_MANAGE_RATE_BURST: '2.5' })).toThrow(/CELIGO_MANAGE_RATE_BURST must be a whole number/);
    expect(() => rateGateConfigFromEnv({ CELIGO_MANAGE_REPLICAS: '0' })).toThrow(/CELIGO_MANAGE_REPLICAS must be a whole number of replicas from 1/);
    let message = '';
    try {
      rateGateConfigFromEnv({ CELIGO_MANAGE_REDIS_URL: 'http://:hunter2-secret@redis:6379' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/CELIGO_MANAGE_REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(message).not.toContain('hunter2');
  });

  it('health: degraded (still serving) on the fallback, with the reason', () => {
    const rate = { mode: 'fallback' as const, perSecond: 300, burst: 300, share: 0.5, localPerSecond: 150, since: '2026-01-01T00:00:00.000Z', lastError: 'connect ECONNREFUSED' };
    expect(rateHealth(rate)).toEqual({ status: 'degraded', reason: expect.stringMatching(/Redis does not answer \(connect ECONNREFUSED\); this replica keeps to 150 of the account's 300 requests\/s/), rate });
    expect(rateHealth({ mode: 'redis', perSecond: 300, burst: 300 })).toEqual({ rate: { mode: 'redis', perSecond: 300, burst: 300 } });
  });
});
