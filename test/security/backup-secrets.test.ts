// Secrets never reach backups: a connection created with secrets (through the MCP tool and the CLI),
// then every change that backs up connections and integrations, and restores. The backup files are
// searched for each secret, in the clear and encoded. A proxy that un-masks the API's "******" replies
// plays an API that returns secrets in the clear, so the backups' own stripping is tested too.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CeligoClient } from '../../src/core/client.js';
import { DEMO_TOKEN, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { backup } from '../../src/ops/backups/take.js';
import { restoreBackup } from '../../src/ops/backups/restore.js';
import type { OpContext } from '../../src/ops/context.js';
import { catalogue } from '../../src/operations/catalogue.js';
import { connectInMemory } from '../helpers/mcp.js';
import { run } from '../helpers/cli.js';
import { tempDir, tokenIn } from '../fuzz/helpers.js';
import { callConfirming } from '../helpers/security.js';

const S = {
  password: 'pw-Zq83-backup-secret-1',
  token: 'tok-Hh29-backup-secret-2',
  apiKey: 'key-Pp41-backup-secret-3',
  clientSecret: 'cs-Ww77-backup-secret-4',
  refreshToken: 'rt-Kk55-backup-secret-5',
  encrypted: 'enc-Jj12-backup-secret-6',
  cliPassword: 'pw-Cli9-backup-secret-7',
};
const ALL = Object.values(S);

function connectionConfig() {
  return {
    http: {
      baseURI: 'https://api.example.com',
      mediaType: 'json',
      auth: {
        type: 'token',
        basic: { username: 'svc', password: S.password },
        token: { token: S.token, location: 'header', headerName: 'Authorization', scheme: 'Bearer', refreshToken: S.refreshToken },
        oauth: { clientId: 'client-1', clientSecret: S.clientSecret },
      },
      encrypted: { apiKey: S.encrypted },
      apiKey: S.apiKey,
    },
  };
}

/** Every file under `dir`, with its text. */
function files(dir: string): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push({ path: p, text: readFileSync(p).toString('latin1') + readFileSync(p, 'utf8') });
    }
  };
  walk(dir);
  return out;
}

function expectNoSecrets(dir: string): number {
  const found = files(dir);
  for (const f of found) for (const s of ALL) expect(tokenIn(f.text, s), `${s} in ${f.path}`).toBeUndefined();
  return found.length;
}

/** Forwards to the emulator and replaces every "******" in its answers with a real-looking secret. */
async function unmaskingProxy(target: string): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const up = new URL(target);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const fwd = request({ host: up.hostname, port: up.port, path: req.url, method: req.method, headers: { ...req.headers, host: up.host } }, (r) => {
        const body: Buffer[] = [];
        r.on('data', (c: Buffer) => body.push(c));
        r.on('end', () => {
          const text = Buffer.concat(body).toString('utf8').split('"******"').join(JSON.stringify(S.password));
          const headers = { ...r.headers };
          delete headers['content-length'];
          res.writeHead(r.statusCode ?? 502, headers);
          res.end(text);
        });
      });
      fwd.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close: () => new Promise<void>((resolve) => (server.close(() => resolve()), server.closeAllConnections())),
  };
}

describe('secrets never reach backups', () => {
  let emu: RunningEmulator;
  let home: string;
  let api: CeligoClient;

  beforeAll(async () => {
    emu = await startEmulator({ port: 0, seed: 'demo', quiet: true, rateLimit: false });
    home = tempDir('cm-sec-backup-');
    api = new CeligoClient({ baseUrl: emu.baseUrl, token: DEMO_TOKEN });
  });
  afterAll(() => emu?.close());

  it('through the MCP tools: create, change, back up, restore', async () => {
    const conn = await connectInMemory({ era: 'modern', server: { api, tools: catalogue(), home } });
    try {
      const created = await callConfirming(conn.client, 'create_connection', { name: 'Secret HTTP', type: 'http', config: connectionConfig(), test: false });
      expect(created.isError, created.text).toBe(false);
      for (const s of ALL) expect(tokenIn(created.text, s), `${s} in the tool result`).toBeUndefined();
      // A setup that creates its own connection with secrets, and changes that back up flows and state.
      const setup = await callConfirming(conn.client, 'setup_integration', {
        name: 'Secret setup',
        recordType: 'customer',
        source: { type: 'http', name: 'Secret source', config: connectionConfig(), relativeURI: '/customers' },
        destination: { connection: 'Secret HTTP', relativeURI: '/customers' },
      });
      expect(setup.isError, setup.text).toBe(false);
      for (const s of ALL) expect(tokenIn(setup.text, s)).toBeUndefined();
      await callConfirming(conn.client, 'add_tag_to_integration', { integration: 'Shopify - NetSuite Orders', tag: 'secret-test' });
      await callConfirming(conn.client, 'update_flow', { flow: 'Daily Exchange Rates to NetSuite', schedule: '? 0 4 ? * *' });
      const listed = await callConfirming(conn.client, 'list_backups', {});
      const id = /bk-[A-Za-z0-9_-]+/.exec(listed.text)?.[0];
      expect(id).toBeTruthy();
      const diff = await callConfirming(conn.client, 'diff_backup', { id: id! });
      for (const s of ALL) expect(tokenIn(diff.text, s)).toBeUndefined();
    } finally {
      await conn.close();
    }
    expect(expectNoSecrets(home)).toBeGreaterThan(2);
  });

  it('backs up connections and integrations without secrets, even from an API that returns them in the clear', async () => {
    const proxy = await unmaskingProxy(emu.url);
    try {
      const leaky = new CeligoClient({ baseUrl: proxy.baseUrl, token: DEMO_TOKEN });
      const conns = await leaky.connections.list();
      // S3's secretAccessKey is the known gap below.
      const secretOnes = conns.filter((c) => JSON.stringify(c).includes(S.password) && c.type !== 's3');
      // The proxy really does hand out secrets: otherwise this test would prove nothing.
      expect(secretOnes.length).toBeGreaterThan(3);
      const integrations = await leaky.integrations.list();
      const ctx: OpContext = { api: leaky, home, yes: true, confirm: async () => true };
      const rec = await backup(
        ctx,
        [...secretOnes.map((c) => ({ type: 'connection' as const, id: c._id })), ...integrations.map((i) => ({ type: 'integration' as const, id: i._id }))],
        'security test: every connection with a secret, every integration',
      );
      expect(rec.items.length).toBeGreaterThan(secretOnes.length);
      expect(rec.items.filter((i) => i.type === 'connection').every((i) => (i.stripped ?? []).length > 0)).toBe(true);
      // A restore reads the backup back and writes; the files stay clean.
      await restoreBackup(ctx, { id: rec.id, force: true }).catch(() => undefined);
    } finally {
      await proxy.close();
    }
    expectNoSecrets(home);
  });

  it('an S3 secretAccessKey returned in the clear never reaches the backup', async () => {
    const proxy = await unmaskingProxy(emu.url);
    const own = tempDir('cm-sec-backup-s3-');
    try {
      const leaky = new CeligoClient({ baseUrl: proxy.baseUrl, token: DEMO_TOKEN });
      const s3 = (await leaky.connections.list()).filter((c) => c.type === 's3');
      expect(s3.length).toBeGreaterThan(0);
      await backup({ api: leaky, home: own }, s3.map((c) => ({ type: 'connection' as const, id: c._id })), 'S3 gap');
    } finally {
      await proxy.close();
    }
    expectNoSecrets(own);
  });

  it('through the CLI: a secret in --set is refused without echo; from --config it never reaches a backup', async () => {
    const env = { CELIGO_MANAGE_HOME: home, CELIGO_BASE_URL: emu.baseUrl, CELIGO_API_TOKEN: DEMO_TOKEN };
    const refused = await run(['--yes', 'connections', 'create', 'CLI secret', '--type', 'http', '--set', `http.auth.basic.password=${S.cliPassword}`, '--no-test'], { env, input: '' });
    expect(refused.code).toBe(1);
    expect(tokenIn(refused.stdout + refused.stderr, S.cliPassword)).toBeUndefined();
    const config = JSON.stringify({ http: { baseURI: 'https://x.example', auth: { type: 'basic', basic: { username: 'u', password: S.cliPassword } } } });
    const r = await run(['--yes', 'connections', 'create', 'CLI secret', '--type', 'http', '--config', '-', '--no-test'], { env, input: config });
    expect(r.code, r.stderr).toBe(0);
    const list = await run(['backups', 'list', '--json'], { env, input: '' });
    for (const s of ALL) expect(tokenIn(r.stdout + r.stderr + list.stdout + list.stderr, s)).toBeUndefined();
    expectNoSecrets(home);
  });
});
