import { describe, expect, it } from 'vitest';
import { stripSecrets } from '../../src/ops/backups/content.js';
import { diffValues } from '../../src/ops/backups/diff.js';
import { scheduleIntervalMs } from '../../src/ops/health.js';

describe('stripSecrets', () => {
  it('drops secret keys and masked values, and says where', () => {
    const { data, stripped } = stripSecrets({
      name: 'c',
      http: { auth: { type: 'token', token: { token: '******', location: 'header' } }, encrypted: '******', headers: ['******', 'a'] },
      netsuite: { tokenSecret: 'x', account: 'A' },
    });
    expect(data).toEqual({ name: 'c', http: { auth: { type: 'token' }, headers: ['a'] }, netsuite: { account: 'A' } });
    expect(stripped.sort()).toEqual(['http.auth.token', 'http.encrypted', 'http.headers.0', 'netsuite.tokenSecret']);
    expect(JSON.stringify(data)).not.toContain('******');
  });
});

describe('diffValues', () => {
  it('lists changed leaf paths', () => {
    expect(diffValues({ a: 1, b: { c: [1, 2], d: 'x' } }, { a: 1, b: { c: [1, 3], e: 'y' } })).toEqual([
      { path: 'b.c.1', before: 2, after: 3 },
      { path: 'b.d', before: 'x' },
      { path: 'b.e', after: 'y' },
    ]);
    expect(diffValues({ a: [1] }, { a: [1, 2] })).toEqual([{ path: 'a', before: [1], after: [1, 2] }]);
    expect(diffValues({ a: 1 }, { a: 1 })).toEqual([]);
  });
});

describe('scheduleIntervalMs', () => {
  it('estimates the gap between runs of a 6-field cron', () => {
    expect(scheduleIntervalMs('? 15 0,2,4,6,8,10,12,14,16,18,20,22 ? * *')).toBe(2 * 3600_000);
    expect(scheduleIntervalMs('? 0 2 ? * *')).toBe(86_400_000);
    expect(scheduleIntervalMs('? 0 2 ? * MON')).toBe(7 * 86_400_000);
    expect(scheduleIntervalMs('? */15 * ? * *')).toBe(15 * 60_000);
  });
});
