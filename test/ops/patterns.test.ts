import { describe, expect, it } from 'vitest';
import { PATTERNS } from '../../src/emulator/behaviour.js';
import { classifyCause, groupErrors, matchesPattern, normalisePattern, type CauseKind, type ScopedError } from '../../src/ops/patterns.js';

describe('normalisePattern', () => {
  it('replaces numbers, ids, quoted values, e-mails and URLs', () => {
    expect(normalisePattern('INVALID_KEY_OR_REF', 'INVALID_KEY_OR_REF: Invalid customer reference key 12345.')).toBe('INVALID_KEY_OR_REF: Invalid customer reference key <n>.');
    expect(normalisePattern('mapping_failed', 'Mapping failed: could not map field "email": value is required.')).toBe('mapping_failed: Mapping failed: could not map field "<v>": value is required.');
    expect(normalisePattern('x', 'Record 5f83a9b2c7d3e8f1a2b3c4d5 for bob@example.com at https://a.example/x?y=1 failed')).toBe('x: Record <id> for <email> at <url> failed');
    expect(normalisePattern(undefined, "can't parse 'abc' here")).toBe("error: can't parse '<v>' here");
  });
  it('makes the same failure on different records read the same', () => {
    const a = normalisePattern('422', 'HTTP 422: {"errors":{"email":["is invalid"]}} for order 1001');
    const b = normalisePattern('422', 'HTTP 422: {"errors":{"phone":["is blank"]}} for order 20442');
    expect(a).toBe(b);
  });
});

describe('classifyCause', () => {
  const expected: Record<keyof typeof PATTERNS, CauseKind> = {
    nsInvalidRef: 'validation',
    nsDuplicate: 'validation',
    sfRequiredLastName: 'mapping',
    mappingGeneric: 'mapping',
    http429: 'rate_limit',
    zendesk503: 'remote_server',
    timeout: 'remote_server',
    http422: 'validation',
    sfInvalidLogin: 'auth',
    nsInvalidLogin: 'auth',
    httpUnauthorized: 'auth',
    ftpLogin: 'auth',
    s3Denied: 'auth',
    offline: 'connection',
    missingResource: 'missing_resource',
  };
  for (const [key, cause] of Object.entries(expected)) {
    it(`${key} -> ${cause}`, () => {
      const p = PATTERNS[key as keyof typeof PATTERNS];
      expect(classifyCause(p.code, p.message, p.source, p.classification).cause).toBe(cause);
    });
  }
  it('does not read numbers inside record data as HTTP statuses', () => {
    expect(classifyCause('INVALID_KEY_OR_REF', 'Invalid item reference key 500').cause).toBe('validation');
    expect(classifyCause('500', 'Internal error').cause).toBe('remote_server');
  });
  it('says whether a retry can work', () => {
    expect(classifyCause('429', 'Too many requests').retry).toBe('now');
    expect(classifyCause('DUP_RCRD', 'This record already exists.').retry).toBe('no');
    expect(classifyCause('INVALID_LOGIN', 'Invalid username').retry).toBe('after_fix');
  });
});

describe('groupErrors', () => {
  const e = (over: Partial<ScopedError>): ScopedError => ({ errorId: '1', occurredAt: '2026-01-10T00:00:00.000Z', code: 'INVALID_KEY_OR_REF', message: 'Invalid customer reference key 1.', flowId: 'f1', stepId: 's1', _flowJobId: 'j1', ...over });
  it('groups by step and pattern with counts, first/last seen, newest samples and jobs', () => {
    const groups = groupErrors([
      e({ errorId: '1', message: 'Invalid customer reference key 11.', occurredAt: '2026-01-10T01:00:00.000Z', _flowJobId: 'j1' }),
      e({ errorId: '2', message: 'Invalid customer reference key 22.', occurredAt: '2026-01-10T03:00:00.000Z', _flowJobId: 'j2' }),
      e({ errorId: '3', message: 'Invalid customer reference key 33.', occurredAt: '2026-01-10T02:00:00.000Z', _flowJobId: 'j2' }),
      e({ errorId: '4', message: 'Invalid customer reference key 44.', occurredAt: '2026-01-09T02:00:00.000Z', _flowJobId: 'j3' }),
      e({ errorId: '5', stepId: 's2', code: '429', message: 'HTTP 429 Too Many Requests' }),
    ]);
    expect(groups).toHaveLength(2);
    const [g, h] = groups;
    expect(g.count).toBe(4);
    expect(g.stepId).toBe('s1');
    expect(g.firstSeen).toBe('2026-01-09T02:00:00.000Z');
    expect(g.lastSeen).toBe('2026-01-10T03:00:00.000Z');
    expect(g.samples.map((s) => s.errorId)).toEqual(['2', '3', '1']);
    expect(g.jobCount).toBe(3);
    expect(g.cause).toBe('validation');
    expect(h.cause).toBe('rate_limit');
  });
});

describe('matchesPattern', () => {
  const err = { code: 'DUP_RCRD', message: 'DUP_RCRD: This record already exists.' };
  it('matches substrings of the pattern, code or message, and /regex/', () => {
    expect(matchesPattern(undefined, err)).toBe(true);
    expect(matchesPattern('already exists', err)).toBe(true);
    expect(matchesPattern('dup_rcrd', err)).toBe(true);
    expect(matchesPattern('/record\\s+already/', err)).toBe(true);
    expect(matchesPattern('timeout', err)).toBe(false);
  });
});

describe('classification values of Celigo\'s web app (celigo-api.md W11)', () => {
  it('reads governance as the rate-limit class even when the message does not say so', () => {
    expect(classifyCause('LIMIT_REACHED', 'Request could not be processed now', 'application', 'governance').cause).toBe('rate_limit');
    expect(classifyCause('LIMIT_REACHED', 'Request could not be processed now', 'application', undefined).cause).not.toBe('rate_limit');
  });
});
