import type { NounSpec } from '../spec.js';
import { LIMIT, opt } from '../spec.js';
import { arg, done, limitOf, optStr, pairsToObject, readJsonFile } from './common.js';
import { UsageError } from '../../core/errors.js';

export const connections: NounSpec = {
  name: 'connections',
  verbs: [
    {
      name: 'list',
      summary: 'List connections and whether they are online',
      options: [opt('--type <type>', 'Only this type (http, netsuite, salesforce, ftp, …)'), opt('--name <text>', 'Only names containing this text'), LIMIT],
      examples: ['connections list', 'connections list --type http', 'connections list --json id,name,status'],
      async run(rc) {
        const { listConnections, CONNECTION_FIELDS } = await import('../../ops/read/connections.js');
        rc.out.expectFields(CONNECTION_FIELDS);
        const rows = await listConnections(await rc.ctx(), { type: optStr(rc, 'type'), name: optStr(rc, 'name') });
        rc.out.list(rows, { noun: 'connections', fields: CONNECTION_FIELDS, columns: ['id', 'name', 'type', 'status'], limit: limitOf(rc) });
      },
    },
    {
      name: 'get',
      summary: 'Show a connection (secrets are never shown)',
      args: ['<connection>'],
      argHelp: { connection: 'Connection id or name' },
      examples: ['connections get "NetSuite Production"', 'connections get "Shopify - acme-store" --json'],
      async run(rc) {
        const [{ resolveConnection }, { stripSecrets }] = await Promise.all([import('../../ops/resolve.js'), import('../../ops/backups/content.js')]);
        const ctx = await rc.ctx();
        const conn = await resolveConnection(ctx.api, arg(rc, 0));
        const { data, stripped } = stripSecrets(conn);
        const { _id, name, type, offline, ...rest } = data as Record<string, unknown>;
        rc.out.object({ id: _id, name, type, status: offline ? 'offline' : 'online', ...rest, ...(stripped.length ? { secretsHidden: stripped } : {}) });
      },
    },
    {
      name: 'test',
      summary: 'Test a connection (exit 1 when it fails)',
      args: ['<connection>'],
      argHelp: { connection: 'Connection id or name' },
      examples: ['connections test "NetSuite Production"', 'connections test "Shopify - acme-store" --json healthy,latencyMs'],
      async run(rc) {
        const { testConnection } = await import('../../ops/read/connections.js');
        const r = await testConnection(await rc.ctx(), arg(rc, 0));
        done(rc, (c) => (r.healthy ? `${c.green('✓')} ${r.name} is healthy (${r.latencyMs} ms).` : `${c.red('✗')} ${r.name} failed the test: ${r.error ?? 'unknown error'}`), r);
        return r.healthy ? 0 : 1;
      },
    },
    {
      name: 'create',
      summary: 'Create a connection, then test it',
      args: ['<name>'],
      argHelp: { name: 'Name of the new connection' },
      options: [
        opt('--type <type>', 'Connection type: http, netsuite, salesforce, ftp, s3, rdbms, …'),
        opt('--set <key=value>', 'A setting; dotted keys nest (http.baseURI=https://api.example.com); repeatable', { repeat: true }),
        opt('--config <file>', 'Settings as a JSON file ("-" reads stdin); put secrets here, never on the command line'),
        opt('--no-test', 'Do not test after creating'),
      ],
      mutating: true,
      examples: [
        'connections create "Orders API" --type http --set http.baseURI=https://api.example.com --set http.mediaType=json',
        'connections create "FTP drop" --type ftp --config ftp.json',
      ],
      async run(rc) {
        const type = optStr(rc, 'type');
        if (!type) throw new UsageError('Give the connection type with --type (http, netsuite, salesforce, ftp, s3, rdbms, …).');
        const file = optStr(rc, 'config');
        const fromFile = file ? await readJsonFile(rc, file, 'connection config') : {};
        if (!fromFile || typeof fromFile !== 'object' || Array.isArray(fromFile)) throw new UsageError('The --config file must hold a JSON object.');
        const pairs = (rc.opts.set as string[] | undefined) ?? [];
        const secret = pairs.find((p) => /(token|password|secret|api_?key|private_?key|passphrase)/i.test(p.split('=')[0]));
        if (secret) throw new UsageError(`Refusing a secret on the command line (${secret.split('=')[0]}): put it in the --config file (or pipe JSON with --config -).`);
        const config = { ...(fromFile as Record<string, unknown>), ...pairsToObject(pairs, '--set') };
        const { createConnection } = await import('../../ops/changes.js');
        const r = await createConnection(await rc.ctx(), { name: arg(rc, 0), type, config, test: rc.opts.test !== false });
        done(rc, (c) => (r.healthy === false ? `${c.yellow('!')} Created connection "${r.name}" (${r.id}), but the test FAILED: ${r.error}` : `${c.green('✓')} Created connection "${r.name}" (${r.id}).`), r);
        return r.healthy === false ? 1 : 0;
      },
    },
  ],
};
