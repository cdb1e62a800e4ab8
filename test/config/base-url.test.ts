// The base URL: plain http only to this machine (an emulator), since the API token goes with every
// request; another host needs https, or the explicit CELIGO_MANAGE_INSECURE_HTTP=1 (a test emulator on
// another host). A bad URL or region is a usage error that says what to give, never an "Internal error".
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveProfile } from '../../src/config/profiles.js';
import { UsageError } from '../../src/core/errors.js';
import { run } from '../helpers/cli.js';

const home = () => mkdtempSync(join(tmpdir(), 'base-url-'));
const baseUrl = (vars: Record<string, string>) => resolveProfile({ env: { CELIGO_MANAGE_HOME: home(), CELIGO_API_TOKEN: 't0ken', ...vars } }).baseUrl;

describe('base URL', () => {
  it('plain http is accepted for loopback hosts', () => {
    for (const u of ['http://127.0.0.1:4791/v1', 'http://localhost:1/v1', 'http://[::1]:8/v1', 'http://emu.localhost/v1']) expect(baseUrl({ CELIGO_BASE_URL: u })).toBe(u);
  });

  it('plain http to another host is refused, naming the switch; with it, accepted', () => {
    for (const u of ['http://api.example.com/v1', 'http://10.0.0.5:4791/v1', 'http://emulator:4791/v1']) {
      expect(() => baseUrl({ CELIGO_BASE_URL: u })).toThrow(UsageError);
      expect(() => baseUrl({ CELIGO_BASE_URL: u })).toThrow(/plain http to another machine: the API token would cross the network unencrypted\. Use https:\/\/, or.*CELIGO_MANAGE_INSECURE_HTTP=1/);
      expect(baseUrl({ CELIGO_BASE_URL: u, CELIGO_MANAGE_INSECURE_HTTP: '1' })).toBe(u);
    }
    expect(baseUrl({ CELIGO_BASE_URL: 'https://api.example.com/v1/' })).toBe('https://api.example.com/v1');
  });

  it('a bad URL or region is a usage error', () => {
    expect(() => baseUrl({ CELIGO_BASE_URL: 'notaurl' })).toThrow(UsageError);
    expect(() => baseUrl({ CELIGO_REGION: 'mars' })).toThrow(UsageError);
  });

  it('at a terminal: profiles add and a command say what to do, with no "Internal error"', async () => {
    const add = await run(['profiles', 'add', 'p', '--base-url', 'http://api.example.com/v1'], { env: { CELIGO_MANAGE_HOME: home() } });
    expect(add.code).toBe(1);
    expect(add.stderr).toMatch(/plain http to another machine/);
    const list = await run(['flows', 'list'], { env: { CELIGO_MANAGE_HOME: home(), CELIGO_BASE_URL: 'notaurl', CELIGO_API_TOKEN: 't0ken' } });
    expect(list.code).toBe(1);
    expect(list.stderr).toMatch(/^Error: Invalid base URL "notaurl": give a full URL/);
    expect(list.stderr).not.toMatch(/Internal error/);
  });
});
