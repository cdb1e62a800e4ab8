// Issue 17 item 2: update_connection against the demo emulator. Fields on Celigo's PATCH whitelist go by
// PATCH (only those paths sent); anything else is a PUT, which must carry every masked secret, each from an
// environment variable named in the call. The secret's value never appears in the result, the backup, or
// an error; a literal secret, the mask, or a missing variable is refused before anything is sent.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { restoreBackup } from '../../src/ops/backups/restore.js';
import { updateConnection } from '../../src/ops/edit/update.js';
import { demoEnv, snapshot, type Env } from '../helpers/demo-env.js';

const CONN = 'Shopify - acme-store';
const SECRET = 'shpat-Zx91-edit-secret-value';
const BASE = 'https://acme-store.myshopify.com/admin/api/2024-04';

let env: Env;
const added: string[] = [];
beforeEach(async () => {
  env = await demoEnv();
  added.length = 0;
  env.ctx.env = { SHOPIFY_TOKEN: SECRET, EMPTY: '' };
  env.ctx.addSecret = (s) => added.push(s);
});
afterEach(() => env.close());

const writes = () => env.emu.requestLog().filter((l) => l.method !== 'GET').map((l) => `${l.method} ${l.path.replace(/[0-9a-f]{24}/g, 'ID')}`);
const connId = async () => (await env.api.connections.list()).find((c) => c.name === CONN)!._id;
const storedToken = async () => ((env.emu.store.map('connections').get(await connId()) as Record<string, any>).http.auth.token.token as string);
const backupText = () => readdirSync(join(env.home, 'backups')).map((f) => readFileSync(join(env.home, 'backups', f), 'utf8')).join('\n');

describe('update_connection', () => {
  it('sends a whitelisted field by PATCH alone, verifies it, and restore_backup leaves it as the backup holds', async () => {
    const id = await connId();
    env.emu.clearRequestLog();
    const r = await updateConnection(env.ctx, { connection: CONN, changes: [{ path: 'http.ping.relativeURI', value: '/shop.json?fields=id' }, { path: 'name', value: 'Shopify main' }] });
    expect(writes()).toEqual(['PATCH /v1/connections/ID']);
    expect(r).toMatchObject({ method: 'PATCH', verified: true, written: true });
    expect(((await env.api.connections.get(id)).http as any).ping.relativeURI).toBe('/shop.json?fields=id');
    await restoreBackup(env.ctx, { id: r.backupId! });
    expect((await env.api.connections.get(id)).name).toBe(CONN);
  });

  it('refuses a PUT that would carry a masked secret, naming it, and sends nothing', async () => {
    env.emu.clearRequestLog();
    await expect(updateConnection(env.ctx, { connection: CONN, changes: [{ path: 'http.baseURI', value: BASE }] })).rejects.toThrow(
      /must carry its secrets, which read back masked: http\.auth\.token\.token\. Give each through secrets/,
    );
    expect(writes()).toEqual([]);
  });

  it('with the secret from an environment variable: one PUT, the real value stored, never shown or backed up', async () => {
    const id = await connId();
    const before = await snapshot(env.api, 'connections', id);
    env.emu.clearRequestLog();
    const r = await updateConnection(env.ctx, { connection: CONN, changes: [{ path: 'http.baseURI', value: BASE }], secrets: [{ path: 'http.auth.token.token', env: 'SHOPIFY_TOKEN' }] });
    expect(writes()).toEqual(['PUT /v1/connections/ID']);
    expect(r).toMatchObject({ method: 'PUT', verified: true, changes: [{ path: 'http.baseURI', after: BASE }, { path: 'http.auth.token.token', secretFrom: 'SHOPIFY_TOKEN' }] });
    expect(await storedToken()).toBe(SECRET);
    expect(added).toEqual([SECRET]);
    expect(JSON.stringify(r)).not.toContain(SECRET);
    expect(backupText()).not.toContain(SECRET);
    const after = await snapshot(env.api, 'connections', id);
    expect({ ...after, http: { ...(after.http as object), baseURI: (before.http as any).baseURI } }).toEqual(before);
  });

  it('a dry run names the variable, never reads out the value, and its next step passes the variable name', async () => {
    const r = await updateConnection(env.ctx, { connection: CONN, changes: [{ path: 'http.baseURI', value: BASE }], secrets: [{ path: 'http.auth.token.token', env: 'SHOPIFY_TOKEN' }], dryRun: true });
    expect(writes()).toEqual([]);
    expect(r.summary).toContain('(secret) <- environment variable SHOPIFY_TOKEN');
    expect(JSON.stringify(r)).not.toContain(SECRET);
    expect(r.next[0]!.args).toMatchObject({ secrets: [{ path: 'http.auth.token.token', env: 'SHOPIFY_TOKEN' }] });
  });

  it('refuses a literal secret, the mask, a secret path given as a variable value, and a missing or empty variable', async () => {
    env.emu.clearRequestLog();
    const tokenPath = 'http.auth.token.token';
    await expect(updateConnection(env.ctx, { connection: CONN, changes: [{ path: tokenPath, value: SECRET }] })).rejects.toThrow(/is a secret: give it through secrets/);
    await expect(updateConnection(env.ctx, { connection: CONN, changes: [{ path: 'http.auth.token', value: { token: SECRET } }] })).rejects.toThrow(/holds secrets|secret fields/);
    await expect(updateConnection(env.ctx, { connection: CONN, changes: [{ path: 'http.baseURI', value: '******' }] })).rejects.toThrow(/masked secret/);
    const missing = updateConnection(env.ctx, { connection: CONN, secrets: [{ path: tokenPath, env: 'NOT_SET_ANYWHERE' }] });
    await expect(missing).rejects.toThrow(/Environment variable NOT_SET_ANYWHERE \(for http\.auth\.token\.token\) is not set/);
    await expect(updateConnection(env.ctx, { connection: CONN, secrets: [{ path: tokenPath, env: 'EMPTY' }] })).rejects.toBeInstanceOf(UsageError);
    await expect(updateConnection(env.ctx, { connection: CONN, secrets: [{ path: tokenPath, env: SECRET }] })).rejects.toThrow(/not an environment variable name/);
    await expect(updateConnection(env.ctx, { connection: CONN, secrets: [{ path: 'http.baseURI', env: 'SHOPIFY_TOKEN' }] })).rejects.toThrow(/not a secret field/);
    await expect(updateConnection(env.ctx, { connection: CONN, changes: [{ path: 'type', value: 'ftp' }] })).rejects.toThrow(/create a new connection/);
    expect(writes()).toEqual([]);
    expect(await storedToken()).not.toBe(SECRET);
  });

  it('a secret on the PATCH whitelist alone goes by PATCH, and reads back masked', async () => {
    env.emu.clearRequestLog();
    const r = await updateConnection(env.ctx, { connection: CONN, secrets: [{ path: 'http.auth.token.token', env: 'SHOPIFY_TOKEN' }] });
    expect(writes()).toEqual(['PATCH /v1/connections/ID']);
    expect(r).toMatchObject({ method: 'PATCH', verified: true });
    expect(await storedToken()).toBe(SECRET);
    expect(backupText()).not.toContain(SECRET);
  });
});
