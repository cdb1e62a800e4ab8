import { describe, expect, it } from 'vitest';
import type { Connection } from '../../src/core/schemas.js';
import { listMappings } from '../../src/ops/mapping/formats.js';
import {
  checkEndpoints,
  checkSpec,
  confirmationLines,
  exportBody,
  flowBody,
  importBody,
  mayEnable,
  parseSetupSpec,
  planSetup,
  previewOutcome,
  sameNamedConnection,
  setupLabel,
  specWithoutSecrets,
  type SetupResume,
  type SetupSpec,
} from '../../src/ops/setup-plan.js';

const base: SetupSpec = {
  name: ' SF to HubSpot ',
  recordType: 'Contact',
  source: { connection: 'Salesforce Production' },
  destination: { connection: 'HubSpot', recordType: 'contacts' },
};
const newSftp = { type: 'ftp', name: 'Partner SFTP', config: { ftp: { hostURI: 'h', password: 'secret' } } };

describe('setup plan: what is created, reused or resumed, in order', () => {
  it.each<{ name: string; spec: SetupSpec; resume?: SetupResume; plan: string[] }>([
    {
      name: 'a fresh run with two existing connections',
      spec: base,
      plan: ['source connection: reuse Salesforce Production', 'destination connection: reuse HubSpot', 'integration: create SF to HubSpot', 'export: create', 'import: create', 'flow: create', 'preview: do'],
    },
    {
      name: 'a new connection, an existing integration, enabled on request',
      spec: { ...base, integration: 'Marketing', destination: newSftp, enable: true },
      plan: ['source connection: reuse Salesforce Production', 'destination connection: create Partner SFTP', 'integration: reuse Marketing', 'export: create', 'import: create', 'flow: create', 'preview: do', 'enable: do'],
    },
    {
      name: 'resumed after the export failed: the connections and integration are not made again',
      spec: { ...base, destination: newSftp },
      resume: { backupId: 'bk-1', sourceConnectionId: 'c1', destinationConnectionId: 'c2', integrationId: 'i1' },
      plan: ['source connection: resume c1', 'destination connection: resume c2', 'integration: resume i1', 'export: create', 'import: create', 'flow: create', 'preview: do'],
    },
    {
      name: 'resumed after the flow was made: only the preview and enabling are left',
      spec: { ...base, integration: 'Marketing', enable: true },
      resume: { sourceConnectionId: 'c1', destinationConnectionId: 'c2', integrationId: 'i1', exportId: 'e1', importId: 'm1', flowId: 'f1' },
      plan: ['source connection: resume c1', 'destination connection: resume c2', 'integration: resume i1', 'export: resume e1', 'import: resume m1', 'flow: resume f1', 'preview: do', 'enable: do'],
    },
  ])('$name', ({ spec, resume, plan }) => {
    expect(planSetup(spec, resume ?? {}).map((p) => `${p.step}: ${p.action}${p.id ?? p.ref ?? p.name ? ` ${p.id ?? p.ref ?? p.name}` : ''}`)).toEqual(plan);
  });

  it.each<{ name: string; spec: SetupSpec; error?: string }>([
    { name: 'a complete spec', spec: base },
    { name: 'a spec with a new connection', spec: { ...base, source: newSftp } },
    { name: 'no name', spec: { ...base, name: '  ' }, error: 'Give the new integration a name, or integration: an existing one (id or name) to add the flow to.' },
    { name: 'no name but an existing integration', spec: { ...base, name: '', integration: 'Marketing' } },
    { name: 'no record type', spec: { ...base, recordType: '' }, error: 'Give the record type to move (e.g. customer, Account, orders).' },
    { name: 'a source without connection or type', spec: { ...base, source: { name: 'x' } }, error: "The source needs source.connection (an existing connection's id or name), or source.type and source.name for a new one." },
    { name: 'a destination without name', spec: { ...base, destination: { type: 'ftp' } }, error: "The destination needs destination.connection (an existing connection's id or name), or destination.type and destination.name for a new one." },
  ])('checks $name', ({ spec, error }) => {
    if (error) expect(() => checkSpec(spec)).toThrow(error);
    else expect(() => checkSpec(spec)).not.toThrow();
  });

  it.each<{ name: string; spec: SetupSpec; lines: string[] }>([
    {
      name: 'existing connections, a new integration',
      spec: { ...base, mappings: [{ generate: 'email', extract: 'Email' }] },
      lines: ['reuse source connection Salesforce Production', 'reuse destination connection HubSpot', 'create integration " SF to HubSpot "', 'create an export of Contact, an import of contacts with 1 field mappings, and a disabled flow'],
    },
    {
      name: 'a new connection, an existing integration, enabling',
      spec: { ...base, destination: newSftp, integration: 'Marketing', enable: true },
      lines: ['reuse source connection Salesforce Production', 'create destination ftp connection "Partner SFTP" (or reuse one with that name)', 'use integration Marketing', 'create an export of Contact, an import of Contact with 0 field mappings, and a disabled flow', 'enable the flow if both connection tests pass'],
    },
  ])('asks to confirm $name', ({ spec, lines }) => {
    expect(confirmationLines(spec)).toEqual(lines);
  });

  it('keeps connection settings out of the confirmation digest', () => {
    const s = specWithoutSecrets({ ...base, destination: newSftp });
    expect(s.destination).toEqual({ type: 'ftp', name: 'Partner SFTP', config: undefined });
    expect(s.source.config).toBeUndefined();
  });
});

describe('setup plan: a new connection whose name is taken', () => {
  const existing = [{ _id: 'c9', name: 'partner sftp', type: 'ftp' }] as Connection[];
  it.each([
    { name: 'a free name is created', e: { type: 'ftp', name: 'Other SFTP' }, reuse: undefined, error: undefined },
    { name: 'the same name and type is reused, whatever the case', e: { type: 'ftp', name: 'Partner SFTP' }, reuse: 'c9', error: undefined },
    { name: 'the same name with another type is refused', e: { type: 'http', name: 'Partner SFTP' }, reuse: undefined, error: 'A connection named "partner sftp" exists with type ftp, not http; choose another name or reuse it by id.' },
  ])('$name', ({ e, reuse, error }) => {
    if (error) expect(() => sameNamedConnection(e, existing)).toThrow(error);
    else expect(sameNamedConnection(e, existing)?._id).toBe(reuse);
  });
});

describe('setup plan: the bodies of the export, import and flow', () => {
  const conn = (type: string) => ({ _id: 'c1', name: 'Conn', type });
  it.each([
    { type: 'salesforce', rt: 'Account', exportAdaptor: 'SalesforceExport', importAdaptor: 'SalesforceImport' },
    { type: 'netsuite', rt: 'customer', exportAdaptor: 'NetSuiteExport', importAdaptor: 'NetSuiteDistributedImport' },
    { type: 'rest', rt: 'orders', exportAdaptor: 'HTTPExport', importAdaptor: 'HTTPImport' },
    { type: 'ftp', rt: 'orders', exportAdaptor: 'FTPExport', importAdaptor: 'FTPImport' },
    { type: 'wrapper', rt: 'orders', exportAdaptor: 'WrapperExport', importAdaptor: 'WrapperImport' },
  ])('a $type connection gets a $exportAdaptor and an $importAdaptor', ({ type, rt, exportAdaptor, importAdaptor }) => {
    const spec = { ...base, recordType: rt, destination: { connection: 'x' } };
    expect(exportBody(spec, conn(type))).toMatchObject({ name: `Get ${rt} from Conn`, _connectionId: 'c1', adaptorType: exportAdaptor });
    expect(importBody(spec, conn(type))).toMatchObject({ name: `Put ${rt} into Conn`, _connectionId: 'c1', adaptorType: importAdaptor });
  });

  it('refuses a connection type without a default, and takes the adaptor its remedy says to pass', () => {
    expect(() => exportBody(base, conn('gopher'))).toThrow('No default export for gopher connections; pass source.settings with its adaptorType and settings block, e.g. {"adaptorType":"GopherExport","gopher":{…}}.');
    const given = { ...base, source: { connection: 'x', settings: { adaptorType: 'WrapperExport', wrapper: { function: 'read' } } } };
    expect(exportBody(given, conn('gopher'))).toEqual({ name: 'Get Contact from Conn', _connectionId: 'c1', adaptorType: 'WrapperExport', wrapper: { function: 'read' } });
  });

  it.each([
    { name: 'HTTP: the relative URI with the query string', type: 'http', source: { relativeURI: '/api/v2/users.json', query: '?role=end-user' }, body: { http: { method: 'GET', relativeURI: '/api/v2/users.json?role=end-user' } } },
    { name: 'HTTP: a query added to a URI that has one', type: 'rest', source: { relativeURI: '/users?active=1', query: 'page=1' }, body: { http: { method: 'GET', relativeURI: '/users?active=1&page=1' } } },
    { name: 'Salesforce: the SOQL query', type: 'salesforce', source: { query: 'SELECT Id, Email FROM Contact' }, body: { salesforce: { type: 'soql', soql: { query: 'SELECT Id, Email FROM Contact' } } } },
    { name: 'a database: the SQL query', type: 'rdbms', source: { query: 'SELECT * FROM users WHERE active' }, body: { rdbms: { query: 'SELECT * FROM users WHERE active' } } },
  ])('the source endpoint given: $name', ({ type, source, body }) => {
    expect(exportBody({ ...base, source: { connection: 'x', ...source } }, conn(type))).toMatchObject(body);
  });

  it('the HTTP import posts to the relative URI given', () => {
    expect(importBody({ ...base, destination: { connection: 'x', relativeURI: '/crm/v3/objects/contacts' } }, conn('http'))).toMatchObject({ http: { method: ['POST'], relativeURI: ['/crm/v3/objects/contacts'] } });
  });

  it('merges settings deeply over the defaults and adds the mappings to the import', () => {
    const spec: SetupSpec = {
      ...base,
      source: { connection: 'x', settings: { http: { relativeURI: '/v2/contacts' }, pageSize: 50 } },
      mappings: [{ generate: 'email', extract: 'Email' }, { generate: 'lifecycle', hardCodedValue: 'lead' }],
    };
    expect(exportBody(spec, conn('http'))).toEqual({ name: 'Get Contact from Conn', _connectionId: 'c1', adaptorType: 'HTTPExport', http: { method: 'GET', relativeURI: '/v2/contacts' }, pageSize: 50 });
    expect(listMappings(importBody(spec, conn('http'))).map((m) => m.generate)).toEqual(['email', 'lifecycle']);
  });

  it.each([
    { name: 'the default name, no schedule', spec: base, schedule: undefined, flow: { name: 'Contact: Salesforce to HubSpot' } },
    { name: 'a given name and a schedule', spec: { ...base, flowName: 'Contacts hourly' }, schedule: '? 0 * ? * *', flow: { name: 'Contacts hourly', schedule: '? 0 * ? * *' } },
    { name: 'in an existing integration, named by name', spec: { ...base, integration: 'Marketing' }, schedule: undefined, flow: { name: 'SF to HubSpot' } },
  ])('the flow: $name, always disabled', ({ spec, schedule, flow }) => {
    expect(flowBody(spec, { source: 'Salesforce', destination: 'HubSpot' }, { integrationId: 'i1', exportId: 'e1', importId: 'm1' }, schedule)).toEqual({
      _integrationId: 'i1',
      disabled: true,
      pageGenerators: [{ _exportId: 'e1' }],
      pageProcessors: [{ type: 'import', _importId: 'm1' }],
      ...flow,
    });
  });
});

describe('setup plan: what the mapping preview says', () => {
  const imp = importBody({ ...base, mappings: [{ generate: 'email', extract: 'Email' }, { generate: 'lifecycle', hardCodedValue: 'lead' }] }, { _id: 'c1', name: 'HubSpot', type: 'http' });
  it.each([
    { name: 'no sample records', rows: [], status: 'skipped', message: 'the export returned no sample records', missing: undefined, output: undefined },
    { name: 'every source field present', rows: [{ Email: 'a@b.c' }], status: 'done', message: 'every mapped source field is in the sample', missing: [], output: { email: 'a@b.c', lifecycle: 'lead' } },
    { name: 'a record wrapper', rows: [{ record: { Email: 'w@b.c' } }], status: 'done', message: 'every mapped source field is in the sample', missing: [], output: { email: 'w@b.c', lifecycle: 'lead' } },
    { name: 'a missing source field', rows: [{ Name: 'Ava' }], status: 'done', message: 'source fields not in the sample: $.Email', missing: ['$.Email'], output: { lifecycle: 'lead' } },
  ])('$name', ({ rows, status, message, missing, output }) => {
    const o = previewOutcome(rows, imp);
    expect(o.step).toEqual({ step: 'preview', status, message });
    expect(o.preview.missingSources).toEqual(missing);
    expect(o.preview.output).toEqual(output);
  });
});

describe('setup plan: enabling', () => {
  it.each([
    { name: 'both tests passed', connections: { source: { ok: true }, destination: { ok: true } }, enable: true },
    { name: 'the source test failed', connections: { source: { ok: false }, destination: { ok: true } }, enable: false },
    { name: 'the destination was not tested', connections: { source: { ok: true }, destination: {} }, enable: false },
    { name: 'no connections yet', connections: {}, enable: false },
  ])('$name: enable is $enable', ({ connections, enable }) => {
    expect(mayEnable(connections)).toBe(enable);
  });
});

describe('setup plan: where each end reads or writes', () => {
  const http = { connection: 'API', relativeURI: '/api/v2/users.json' };
  it.each<{ name: string; spec: Partial<SetupSpec>; types: { source?: string; destination?: string }; error?: string }>([
    { name: 'HTTP ends with their URIs', spec: { source: http, destination: { connection: 'Out', relativeURI: '/in' } }, types: { source: 'http', destination: 'rest' } },
    { name: 'an HTTP source whose settings carry the URI', spec: { source: { connection: 'API', settings: { http: { relativeURI: '/v2/users' } } } }, types: { source: 'http' } },
    { name: 'ends not known yet (made by an earlier attempt)', spec: { source: { connection: 'API' }, destination: { connection: 'Out' } }, types: {} },
    { name: 'a Salesforce source with a SOQL query', spec: { source: { connection: 'SF', query: 'SELECT Id FROM Account' } }, types: { source: 'salesforce', destination: 'netsuite' } },
    { name: 'an HTTP source without a URI', spec: { source: { connection: 'API' } }, types: { source: 'http' }, error: 'The source (connection "API") is an HTTP connection: give source.relativeURI, the API path to read records from, e.g. "/api/v2/contact.json". Nothing was created.' },
    { name: 'a new HTTP destination without a URI', spec: { destination: { type: 'http', name: 'New API' } }, types: { destination: 'http' }, error: 'The destination (the new connection "New API") is an HTTP connection: give destination.relativeURI, the API path to send records to, e.g. "/api/v2/contact". Nothing was created.' },
    { name: 'a URI on an FTP source', spec: { source: { connection: 'SFTP', relativeURI: '/out' } }, types: { source: 'ftp' }, error: 'source.relativeURI is for HTTP connections only; connection "SFTP" is ftp: give source.recordType, or source.settings with the ftp block. Nothing was created.' },
    { name: 'a query at the destination', spec: { destination: { connection: 'Out', relativeURI: '/in', query: 'a=1' } }, types: { destination: 'http' }, error: 'destination.query is not used: a query selects the records to read, so it belongs to the source (source.query). Nothing was created.' },
    { name: 'a query on an S3 source', spec: { source: { connection: 'S3', query: 'x' } }, types: { source: 's3' }, error: 'source.query is for HTTP (query string), Salesforce (SOQL) and database (SQL) sources; connection "S3" is s3: give source.recordType, or source.settings with the s3 block. Nothing was created.' },
    { name: 'a type without a default', spec: { source: { connection: 'G' } }, types: { source: 'gopher' }, error: 'No default export for gopher connections; pass source.settings' },
  ])('$name', ({ spec, types, error }) => {
    const check = () => checkEndpoints({ ...base, ...spec }, types);
    if (error) expect(check).toThrow(error);
    else expect(check).not.toThrow();
  });

  it('shows the endpoints in the plan to confirm, and names a flow in an existing integration', () => {
    const spec = { ...base, integration: 'Marketing', source: { ...http, query: 'role=end-user' }, destination: { connection: 'Out', relativeURI: '/contacts' } };
    expect(confirmationLines(spec)).toContain('create an export of Contact (GET /api/v2/users.json?role=end-user), an import of Contact (POST /contacts) with 0 field mappings, and a disabled flow');
    expect(setupLabel(spec)).toBe('a flow in integration Marketing');
    expect(setupLabel(base)).toBe('integration "SF to HubSpot"');
  });

  it('names the keys of an end when a spec has one it does not know', () => {
    expect(() => parseSetupSpec({ name: 'x', recordType: 'y', source: { connection: 'API', path: '/users' }, destination: { connection: 'Out' } })).toThrow(
      'Invalid setup spec: source: Unrecognized key: "path" (its keys: connection, type, name, config, recordType, relativeURI, query, settings).',
    );
  });
});
