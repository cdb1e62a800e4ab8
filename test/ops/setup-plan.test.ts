import { describe, expect, it } from 'vitest';
import type { Connection } from '../../src/core/schemas.js';
import { listMappings } from '../../src/ops/mapping/formats.js';
import {
  checkSpec,
  confirmationLines,
  exportBody,
  flowBody,
  importBody,
  mayEnable,
  planSetup,
  previewOutcome,
  sameNamedConnection,
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
    { name: 'no name', spec: { ...base, name: '  ' }, error: 'Give the integration a name.' },
    { name: 'no record type', spec: { ...base, recordType: '' }, error: 'Give the record type to move (e.g. customer, Account, orders).' },
    { name: 'a source without connection or type', spec: { ...base, source: { name: 'x' } }, error: 'The source needs an existing connection (id or name), or type and name for a new one.' },
    { name: 'a destination without name', spec: { ...base, destination: { type: 'ftp' } }, error: 'The destination needs an existing connection (id or name), or type and name for a new one.' },
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

  it('refuses a connection type without a default', () => {
    expect(() => exportBody(base, conn('gopher'))).toThrow('No default export for gopher connections; pass settings with its adaptorType and block.');
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
