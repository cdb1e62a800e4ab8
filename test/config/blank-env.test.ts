// A blank CELIGO_REGION or CELIGO_BASE_URL counts as unset: an MCP Bundle host (Claude Desktop) fills
// the server's environment from its settings form and passes an empty string for a field left empty.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveProfile } from '../../src/config/profiles.js';

function baseUrl(vars: Record<string, string>): string {
  const env = { CELIGO_MANAGE_HOME: mkdtempSync(join(tmpdir(), 'blank-env-')), CELIGO_API_TOKEN: 't0ken', ...vars };
  return resolveProfile({ env }).baseUrl;
}

describe('blank region and base URL variables', () => {
  it('a blank or spaces-only region is the default region', () => {
    expect(baseUrl({ CELIGO_REGION: '' })).toBe('https://api.integrator.io/v1');
    expect(baseUrl({ CELIGO_REGION: '  ' })).toBe('https://api.integrator.io/v1');
  });
  it('a region is read without case or surrounding spaces', () => {
    expect(baseUrl({ CELIGO_REGION: ' EU ' })).toBe('https://api.eu.integrator.io/v1');
  });
  it('a blank base URL leaves the region to decide', () => {
    expect(baseUrl({ CELIGO_REGION: 'eu', CELIGO_BASE_URL: '' })).toBe('https://api.eu.integrator.io/v1');
  });
  it('an unknown region is still an error', () => {
    expect(() => baseUrl({ CELIGO_REGION: 'mars' })).toThrow(/Unknown region "mars"/);
  });
});
