// New integration end to end (issue 4 item 7): connections (reused or created, both tested), the
// integration, an export, an import with the mapping, a disabled flow; a preview with sample data; enabled
// only on request. A failed step stops and the report says what exists and how to resume. Every created
// resource is recorded in a backup, so restore_backup of it removes them all.
import { CeligoApiError, UsageError, describeError } from '../core/errors.js';
import { EXPORT_ADAPTORS, IMPORT_ADAPTORS, type Connection } from '../core/schemas.js';
import type { OpContext } from './context.js';
import { backup, recordChanged, recordCreated } from './backups/take.js';
import { normaliseSchedule } from './changes.js';
import { makePlan, mustConfirm } from './confirm.js';
import { applyMappingChanges, type MappingChange } from './mapping/apply.js';
import { previewMapping } from './mapping/preview.js';
import { invalidateNames, resolveConnection, resolveIntegration } from './resolve.js';
import { createOnce } from './at-most-once.js';
import { sampleRecords, testConnection } from './util.js';

export interface EndpointSpec {
  /** Existing connection to reuse (id or name). */
  connection?: string;
  /** New connection: its type and name, and its settings block (e.g. {"http": {...}}). */
  type?: string;
  name?: string;
  config?: Record<string, unknown>;
  /** Record type, object or path at this end (default: the spec's recordType). */
  recordType?: string;
  /** Extra export or import settings, merged over the defaults. */
  settings?: Record<string, unknown>;
}

export interface SetupResume {
  backupId?: string;
  sourceConnectionId?: string;
  destinationConnectionId?: string;
  integrationId?: string;
  exportId?: string;
  importId?: string;
  flowId?: string;
}

export interface SetupSpec {
  /** Name of the new integration. */
  name: string;
  description?: string;
  /** Put the flow in this existing integration instead of creating one. */
  integration?: string;
  source: EndpointSpec;
  destination: EndpointSpec;
  recordType: string;
  flowName?: string;
  mappings?: { generate: string; extract?: string; hardCodedValue?: string }[];
  schedule?: string;
  enable?: boolean;
  /** Ids from a previous, failed attempt: those resources are reused, not created again. */
  resume?: SetupResume;
}

export interface SetupStep {
  step: string;
  status: 'created' | 'reused' | 'passed' | 'failed' | 'skipped' | 'done';
  id?: string;
  message?: string;
}

export interface SetupReport {
  status: 'done' | 'failed';
  integrationId?: string;
  connections: {
    source?: { id: string; name: string; created: boolean; ok?: boolean; message?: string };
    destination?: { id: string; name: string; created: boolean; ok?: boolean; message?: string };
  };
  exportId?: string;
  importId?: string;
  flowId?: string;
  enabled: boolean;
  steps: SetupStep[];
  preview?: { sample?: Record<string, unknown>; output?: Record<string, unknown>; missingSources?: string[]; note?: string };
  backupId: string;
  failedStep?: string;
  error?: string;
  /** Pass this back as `resume` (with the same spec) to continue after fixing the failure. */
  resume: SetupResume;
  nextSteps: string[];
  summary: string;
}

const EXPORT_DEFAULTS: Record<string, (rt: string) => Record<string, unknown>> = {
  salesforce: (rt) => ({ adaptorType: 'SalesforceExport', salesforce: { type: 'soql', soql: { query: `SELECT Id, Name FROM ${rt}` } } }),
  netsuite: (rt) => ({ adaptorType: 'NetSuiteExport', netsuite: { type: 'search', searches: [{ recordType: rt }] } }),
  http: (rt) => ({ adaptorType: 'HTTPExport', http: { method: 'GET', relativeURI: `/${rt}` } }),
  rest: (rt) => ({ adaptorType: 'HTTPExport', http: { method: 'GET', relativeURI: `/${rt}` } }),
  ftp: (rt) => ({ adaptorType: 'FTPExport', ftp: { directoryPath: `/${rt}` }, file: { type: 'csv' } }),
  s3: (rt) => ({ adaptorType: 'S3Export', s3: { keyStartsWith: `${rt}/` }, file: { type: 'csv' } }),
  rdbms: (rt) => ({ adaptorType: 'RDBMSExport', rdbms: { query: `SELECT * FROM ${rt}` } }),
  mongodb: (rt) => ({ adaptorType: 'MongodbExport', mongodb: { collection: rt } }),
};

const IMPORT_DEFAULTS: Record<string, (rt: string) => Record<string, unknown>> = {
  salesforce: (rt) => ({ adaptorType: 'SalesforceImport', salesforce: { sObjectType: rt, operation: 'insert' } }),
  netsuite: (rt) => ({ adaptorType: 'NetSuiteDistributedImport', netsuite_da: { recordType: rt, operation: 'add' } }),
  http: (rt) => ({ adaptorType: 'HTTPImport', http: { method: ['POST'], relativeURI: [`/${rt}`] } }),
  rest: (rt) => ({ adaptorType: 'HTTPImport', http: { method: ['POST'], relativeURI: [`/${rt}`] } }),
  ftp: (rt) => ({ adaptorType: 'FTPImport', ftp: { directoryPath: `/${rt}`, fileName: `${rt}-{{timestamp}}.csv` }, file: { type: 'csv' } }),
  s3: (rt) => ({ adaptorType: 'S3Import', s3: { fileKey: `${rt}/{{timestamp}}.csv` }, file: { type: 'csv' } }),
  rdbms: (rt) => ({ adaptorType: 'RDBMSImport', rdbms: { queryType: ['INSERT'], query: [`INSERT INTO ${rt}`] } }),
  mongodb: (rt) => ({ adaptorType: 'MongodbImport', mongodb: { collection: rt, method: 'insertMany' } }),
};

function adaptorBody(kind: 'export' | 'import', type: string, rt: string): Record<string, unknown> {
  const table = kind === 'export' ? EXPORT_DEFAULTS : IMPORT_DEFAULTS;
  if (table[type]) return table[type](rt);
  const guess = `${type.charAt(0).toUpperCase()}${type.slice(1)}${kind === 'export' ? 'Export' : 'Import'}`;
  const known: readonly string[] = kind === 'export' ? EXPORT_ADAPTORS : IMPORT_ADAPTORS;
  const hit = known.find((a) => a.toLowerCase() === guess.toLowerCase());
  if (!hit) throw new UsageError(`No default ${kind} for ${type} connections; pass settings with its adaptorType and block.`);
  return { adaptorType: hit };
}

/** Deep merge of plain objects (arrays and scalars replace). */
function merge(a: Record<string, unknown>, b: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b ?? {})) {
    const cur = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object' && !Array.isArray(cur) ? merge(cur as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}

export async function setupIntegration(ctx: OpContext, spec: SetupSpec): Promise<SetupReport> {
  const { api, signal } = ctx;
  if (!spec.name?.trim()) throw new UsageError('Give the integration a name.');
  if (!spec.recordType?.trim()) throw new UsageError('Give the record type to move (e.g. customer, Account, orders).');
  for (const [label, e] of [['source', spec.source], ['destination', spec.destination]] as const) {
    if (!e?.connection && !(e?.type && e?.name)) throw new UsageError(`The ${label} needs an existing connection (id or name), or type and name for a new one.`);
  }
  const schedule = spec.schedule ? normaliseSchedule(spec.schedule) : undefined;
  const resume: SetupResume = { ...(spec.resume ?? {}) };

  // Checks that need no writes: name clashes, reused resources exist.
  if (!spec.integration && !resume.integrationId) {
    const clash = (await api.integrations.list({}, { signal })).find((i) => i.name.toLowerCase() === spec.name.trim().toLowerCase());
    if (clash) throw new UsageError(`An integration named "${clash.name}" already exists (${clash._id}). Pass integration to add the flow to it, or choose another name.`);
  }
  const existingConns = await api.connections.list({}, { signal });
  const plan: string[] = [];
  for (const [label, e] of [['source', spec.source], ['destination', spec.destination]] as const) {
    plan.push(e.connection ? `reuse ${label} connection ${e.connection}` : `create ${label} ${e.type} connection "${e.name}" (or reuse one with that name)`);
  }
  plan.push(spec.integration ? `use integration ${spec.integration}` : `create integration "${spec.name}"`);
  plan.push(`create an export of ${spec.source.recordType ?? spec.recordType}, an import of ${spec.destination.recordType ?? spec.recordType} with ${spec.mappings?.length ?? 0} field mappings, and a disabled flow`);
  if (spec.enable) plan.push('enable the flow if both connection tests pass');
  await mustConfirm(ctx, makePlan(`Set up integration "${spec.name}"`, plan, { spec: { ...spec, source: { ...spec.source, config: undefined }, destination: { ...spec.destination, config: undefined } } }), 'change');

  const backupId = resume.backupId ?? (await backup(ctx, [], `setup_integration ${spec.name}`)).id;
  resume.backupId = backupId;
  const steps: SetupStep[] = [];
  const connections: SetupReport['connections'] = {};
  let enabled = false;
  let preview: SetupReport['preview'];
  let current = '';

  const useConnection = async (label: 'source' | 'destination', e: EndpointSpec): Promise<Connection> => {
    current = `${label} connection`;
    const resumeKey = label === 'source' ? 'sourceConnectionId' : 'destinationConnectionId';
    let conn: Connection;
    let created = false;
    if (resume[resumeKey]) conn = await api.connections.get(resume[resumeKey]!, { signal });
    else if (e.connection) conn = await resolveConnection(api, e.connection);
    else {
      const same = existingConns.find((c) => c.name.toLowerCase() === e.name!.toLowerCase());
      if (same && same.type !== e.type) throw new UsageError(`A connection named "${same.name}" exists with type ${same.type}, not ${e.type}; choose another name or reuse it by id.`);
      if (same) conn = same;
      else {
        const same = (c: Connection) => c.name.toLowerCase() === e.name!.toLowerCase();
        conn = await createOnce(ctx, `connection "${e.name}"`, () => api.connections.create({ ...(e.config ?? {}), name: e.name, type: e.type }, { signal }),
          async () => (await api.connections.list({}, { signal })).filter(same), []);
        created = true;
        await recordCreated(ctx, backupId, { type: 'connection', id: conn._id, name: conn.name });
        invalidateNames(api);
      }
    }
    resume[resumeKey] = conn._id;
    steps.push({ step: current, status: created ? 'created' : 'reused', id: conn._id, message: conn.name });
    current = `${label} connection test`;
    const test = await testConnection(ctx, conn._id);
    const message = test.ok ? undefined : `${test.errorCode ? test.errorCode + ': ' : ''}${test.message ?? 'failed'}`;
    steps.push({ step: current, status: test.ok ? 'passed' : 'failed', id: conn._id, message });
    connections[label] = { id: conn._id, name: conn.name, created, ok: test.ok, message };
    return conn;
  };

  try {
    const src = await useConnection('source', spec.source);
    const dst = await useConnection('destination', spec.destination);

    current = 'integration';
    let integrationId = resume.integrationId;
    if (integrationId) steps.push({ step: current, status: 'reused', id: integrationId });
    else if (spec.integration) {
      integrationId = (await resolveIntegration(api, spec.integration))._id;
      steps.push({ step: current, status: 'reused', id: integrationId });
    } else {
      const name = spec.name.trim();
      const integ = await createOnce(ctx, `integration "${name}"`, () => api.integrations.create({ name, ...(spec.description ? { description: spec.description } : {}) }, { signal }),
        async () => (await api.integrations.list({}, { signal })).filter((i) => i.name.toLowerCase() === name.toLowerCase()), []);
      integrationId = integ._id;
      await recordCreated(ctx, backupId, { type: 'integration', id: integ._id, name: integ.name });
      invalidateNames(api);
      steps.push({ step: current, status: 'created', id: integ._id, message: integ.name });
    }
    resume.integrationId = integrationId;

    current = 'export';
    const srcRt = spec.source.recordType ?? spec.recordType;
    if (!resume.exportId) {
      const body = merge({ name: `Get ${srcRt} from ${src.name}`, _connectionId: src._id, ...adaptorBody('export', src.type, srcRt) }, spec.source.settings);
      const exp = await createOnce(ctx, `export "${String(body.name)}"`, () => api.exports.create(body, { signal }),
        async () => (await api.exports.list({}, { signal })).filter((x) => x.name === body.name && x._connectionId === src._id));
      resume.exportId = exp._id;
      await recordCreated(ctx, backupId, { type: 'export', id: exp._id, name: exp.name });
      steps.push({ step: current, status: 'created', id: exp._id, message: exp.name });
    } else steps.push({ step: current, status: 'reused', id: resume.exportId });

    current = 'import';
    const dstRt = spec.destination.recordType ?? spec.recordType;
    let importDoc: Record<string, unknown>;
    if (!resume.importId) {
      let body = merge({ name: `Put ${dstRt} into ${dst.name}`, _connectionId: dst._id, ...adaptorBody('import', dst.type, dstRt) }, spec.destination.settings);
      if (spec.mappings?.length) {
        const changes: MappingChange[] = spec.mappings.map((m) => ({ op: 'add', ...m }));
        body = applyMappingChanges(body, changes).doc;
      }
      const imp = await createOnce(ctx, `import "${String(body.name)}"`, () => api.imports.create(body, { signal }),
        async () => (await api.imports.list({}, { signal })).filter((x) => x.name === body.name && x._connectionId === dst._id));
      resume.importId = imp._id;
      importDoc = imp;
      await recordCreated(ctx, backupId, { type: 'import', id: imp._id, name: imp.name });
      steps.push({ step: current, status: 'created', id: imp._id, message: `${imp.name} (${spec.mappings?.length ?? 0} field mappings)` });
    } else {
      importDoc = await api.imports.get(resume.importId, { signal });
      steps.push({ step: current, status: 'reused', id: resume.importId });
    }

    current = 'flow';
    if (!resume.flowId) {
      const flowBody = {
        name: spec.flowName ?? `${srcRt}: ${src.name} to ${dst.name}`,
        _integrationId: integrationId,
        disabled: true,
        pageGenerators: [{ _exportId: resume.exportId }],
        pageProcessors: [{ type: 'import', _importId: resume.importId }],
        ...(schedule ? { schedule } : {}),
      };
      const flow = await createOnce(ctx, `flow "${String(flowBody.name)}"`, () => api.flows.create(flowBody, { signal }),
        async () => (await api.flows.list({}, { signal })).filter((f) => f.name === flowBody.name && f._integrationId === integrationId));
      resume.flowId = flow._id;
      await recordCreated(ctx, backupId, { type: 'flow', id: flow._id, name: flow.name });
      invalidateNames(api);
      steps.push({ step: current, status: 'created', id: flow._id, message: `${flow.name} (disabled)` });
    } else steps.push({ step: current, status: 'reused', id: resume.flowId });

    current = 'preview';
    try {
      const rows = await sampleRecords(ctx, resume.exportId!);
      const first = rows[0];
      const sample = (first && typeof first.record === 'object' && first.record ? first.record : first) as Record<string, unknown> | undefined;
      if (sample) {
        const p = previewMapping(importDoc, sample);
        preview = { sample, output: p.output, missingSources: p.missingSources };
        steps.push({ step: current, status: 'done', message: p.missingSources.length ? `source fields not in the sample: ${p.missingSources.join(', ')}` : 'every mapped source field is in the sample' });
      } else {
        preview = { note: 'the export returned no sample records' };
        steps.push({ step: current, status: 'skipped', message: preview.note });
      }
    } catch (err) {
      preview = { note: `could not fetch sample data: ${describeError(err)}` };
      steps.push({ step: current, status: 'skipped', message: preview.note });
    }

    current = 'enable';
    if (spec.enable) {
      const bothOk = connections.source?.ok && connections.destination?.ok;
      if (!bothOk) steps.push({ step: current, status: 'skipped', message: 'a connection test failed; fix it, then enable with update_flow' });
      else {
        const after = await api.flows.update(resume.flowId!, (f) => {
          f.disabled = false;
        }, { signal });
        await recordChanged(ctx, backupId, { type: 'flow', id: resume.flowId! }, after);
        const check = await api.flows.get(resume.flowId!, { signal });
        enabled = !check.disabled;
        steps.push({ step: current, status: enabled ? 'done' : 'failed', id: resume.flowId, message: enabled ? 'flow enabled' : 'the flow still reads as disabled' });
      }
    }
  } catch (err) {
    steps.push({ step: current, status: 'failed', message: describeError(err) });
    const made = steps.filter((s) => s.status === 'created').map((s) => `${s.step} ${s.id}`);
    return {
      status: 'failed',
      integrationId: resume.integrationId,
      connections,
      exportId: resume.exportId,
      importId: resume.importId,
      flowId: resume.flowId,
      enabled: false,
      steps,
      preview,
      backupId,
      failedStep: current,
      error: describeError(err),
      resume,
      nextSteps: [
        `Fix the ${current} problem, then call setup_integration again with the same spec plus resume: ${JSON.stringify(resume)}`,
        `Or remove what was created: restore_backup {"id":"${backupId}"}`,
      ],
      summary:
        `Setup stopped at the ${current} step: ${err instanceof CeligoApiError ? err.message : (err as Error).message}. ` +
        (made.length ? `Created so far: ${made.join(', ')}. ` : 'Nothing was created. ') +
        'Resume with the ids in resume, or undo with restore_backup.',
    };
  }

  const nextSteps: string[] = [];
  const failedTests = (['source', 'destination'] as const).filter((l) => connections[l] && !connections[l]!.ok);
  for (const l of failedTests) nextSteps.push(`Fix the ${l} connection ${connections[l]!.name} (${connections[l]!.message}), then test_connection {"connection":"${connections[l]!.id}"}`);
  if (preview?.missingSources?.length) nextSteps.push(`Fix the mapping: update_mapping {"flow":"${resume.flowId}","changes":[...],"dryRun":true}`);
  if (!enabled) nextSteps.push(`Enable the flow when ready: update_flow {"flow":"${resume.flowId}","enabled":true}`);
  nextSteps.push(`Try it: run_and_monitor {"flow":"${resume.flowId}"}`);
  return {
    status: 'done',
    integrationId: resume.integrationId,
    connections,
    exportId: resume.exportId,
    importId: resume.importId,
    flowId: resume.flowId,
    enabled,
    steps,
    preview,
    backupId,
    resume,
    nextSteps,
    summary:
      `Set up "${spec.name}": integration ${resume.integrationId}, export ${resume.exportId}, import ${resume.importId}, flow ${resume.flowId} (${enabled ? 'enabled' : 'disabled'}). ` +
      (failedTests.length ? `Connection test failed: ${failedTests.join(', ')}. ` : 'Both connections passed their tests. ') +
      `Undo everything with restore_backup ${backupId}.`,
  };
}
