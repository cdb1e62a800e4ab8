// Error lines for the model, and secret scrubbing.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CeligoApiError, ConflictError } from '../../src/core/errors.js';
import { Cancelled } from '../../src/ops/context.js';
import { describeForModel, redact, toCallToolResult } from '../../src/mcp/register.js';

describe('describeForModel', () => {
  it('uses the API error summary (message + remedy)', () => {
    const e = new CeligoApiError({ status: 429, code: 'rate_limited', message: 'Too many requests', method: 'GET', path: '/v1/jobs', retryAfter: 7 });
    expect(describeForModel(e)).toBe('Too many requests (HTTP 429 rate_limited on GET /v1/jobs). Rate limited by integrator.io; retry after 7 s.');
  });

  it('passes conflicts and cancellations through', () => {
    expect(describeForModel(new ConflictError('flow', 'f1', 'a', 'b'))).toMatch(/^flow f1 was changed by someone else/);
    expect(describeForModel(new Cancelled())).toBe('Cancelled; nothing further was changed.');
    expect(describeForModel(Object.assign(new Error('aborted'), { name: 'AbortError' }))).toBe('Cancelled; nothing further was changed.');
  });

  it('summarises a schema mismatch in one line', () => {
    const r = z.object({ _id: z.string(), name: z.string() }).safeParse({ _id: 1 });
    const line = describeForModel(r.error);
    expect(line).toMatch(/^Internal error: unexpected data shape at _id: .+ \(and 1 more\)$/);
    expect(line).not.toContain('\n');
  });

  it('reports anything else as an internal error, first line only', () => {
    expect(describeForModel(new Error('bad\n  at x'))).toBe('Internal error: bad');
    expect(describeForModel('weird')).toBe('Internal error: weird');
  });
});

describe('redact', () => {
  it('removes bearer tokens and known secrets', () => {
    expect(redact('Authorization: Bearer abcdefghijk123 failed')).toBe('Authorization: Bearer *** failed');
    expect(redact('token sk_1234567 leaked', ['sk_1234567'])).toBe('token *** leaked');
    expect(toCallToolResult({ text: 'x sk_1234567', structured: { a: 1 } }, ['sk_1234567'])).toEqual({
      content: [{ type: 'text', text: 'x ***' }],
      structuredContent: { a: 1 },
    });
  });
});
