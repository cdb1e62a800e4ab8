// The steps of setup_integration, planned without I/O: what the spec asks for, what will be created or
// reused and in which order (resuming an earlier partial run), the bodies of the new export, import and
// flow, what the mapping preview on a sample record says, and whether the flow may be enabled.
import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import { EXPORT_ADAPTORS, IMPORT_ADAPTORS, type Connection } from '../core/schemas.js';
import { applyMappingChanges, type MappingChange } from './mapping/apply.js';
import { previewMapping } from './mapping/preview.js';

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

export type SetupPreview = { sample?: Record<string, unknown>; output?: Record<string, unknown>; missingSources?: string[]; note?: string };

export type SetupStepName = 'source connection' | 'destination connection' | 'integration' | 'export' | 'import' | 'flow' | 'preview' | 'enable';

/**
 * One step of the plan. resume: the resource an earlier run made (`id`); reuse: an existing resource
 * named by `ref`; create: a new one (`name`; a new connection reuses one of that name and type); do: a
 * step that creates nothing.
 */
export interface PlannedStep {
  step: SetupStepName;
  action: 'resume' | 'reuse' | 'create' | 'do';
  id?: string;
  ref?: string;
  name?: string;
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

export function adaptorBody(kind: 'export' | 'import', type: string, rt: string): Record<string, unknown> {
  const table = kind === 'export' ? EXPORT_DEFAULTS : IMPORT_DEFAULTS;
  if (table[type]) return table[type](rt);
  const guess = `${type.charAt(0).toUpperCase()}${type.slice(1)}${kind === 'export' ? 'Export' : 'Import'}`;
  const known: readonly string[] = kind === 'export' ? EXPORT_ADAPTORS : IMPORT_ADAPTORS;
  const hit = known.find((a) => a.toLowerCase() === guess.toLowerCase());
  if (!hit) throw new UsageError(`No default ${kind} for ${type} connections; pass settings with its adaptorType and block.`);
  return { adaptorType: hit };
}

/** Deep merge of plain objects (arrays and scalars replace). */
export function merge(a: Record<string, unknown>, b: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b ?? {})) {
    const cur = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object' && !Array.isArray(cur) ? merge(cur as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}

const object = z.record(z.string(), z.unknown());
const endpointSpec = z.object({
  connection: z.string().optional(),
  type: z.string().optional(),
  name: z.string().optional(),
  config: object.optional(),
  recordType: z.string().optional(),
  settings: object.optional(),
});
const optionalText = z.string().optional();
// Every field optional here: checkSpec says in plain words what a spec lacks.
const setupSpec = z.object({
  name: optionalText,
  description: optionalText,
  integration: optionalText,
  source: endpointSpec.optional(),
  destination: endpointSpec.optional(),
  recordType: optionalText,
  flowName: optionalText,
  mappings: z.array(z.object({ generate: z.string(), extract: optionalText, hardCodedValue: optionalText })).optional(),
  schedule: optionalText,
  enable: z.boolean().optional(),
  resume: z.object({
    backupId: optionalText,
    sourceConnectionId: optionalText,
    destinationConnectionId: optionalText,
    integrationId: optionalText,
    exportId: optionalText,
    importId: optionalText,
    flowId: optionalText,
  }).optional(),
});

/** A setup spec from untyped JSON (a spec file, a tool call); a field of the wrong type is a UsageError naming it. */
export function parseSetupSpec(value: unknown): SetupSpec {
  const r = setupSpec.safeParse(value);
  if (!r.success) {
    throw new UsageError(`Invalid setup spec: ${r.error.issues.map((i) => `${i.path.join('.') || 'spec'}: ${i.message}`).join('; ')}.`);
  }
  const { name = '', recordType = '', source = {}, destination = {}, ...rest } = r.data;
  return { ...rest, name, recordType, source, destination };
}

/** Refuses (UsageError) a spec without a name, a record type, or a way to get each connection. */
export function checkSpec(spec: SetupSpec): void {
  if (!spec.name?.trim()) throw new UsageError('Give the integration a name.');
  if (!spec.recordType?.trim()) throw new UsageError('Give the record type to move (e.g. customer, Account, orders).');
  for (const [label, e] of [['source', spec.source], ['destination', spec.destination]] as const) {
    if (!e?.connection && !(e?.type && e?.name)) throw new UsageError(`The ${label} needs an existing connection (id or name), or type and name for a new one.`);
  }
}

/** The lines of the confirmation plan. */
export function confirmationLines(spec: SetupSpec): string[] {
  const plan: string[] = [];
  for (const [label, e] of [['source', spec.source], ['destination', spec.destination]] as const) {
    plan.push(e.connection ? `reuse ${label} connection ${e.connection}` : `create ${label} ${e.type} connection "${e.name}" (or reuse one with that name)`);
  }
  plan.push(spec.integration ? `use integration ${spec.integration}` : `create integration "${spec.name}"`);
  plan.push(`create an export of ${spec.source.recordType ?? spec.recordType}, an import of ${spec.destination.recordType ?? spec.recordType} with ${spec.mappings?.length ?? 0} field mappings, and a disabled flow`);
  if (spec.enable) plan.push('enable the flow if both connection tests pass');
  return plan;
}

/** The spec as the confirmation digest sees it: without connection settings (they may hold secrets). */
export function specWithoutSecrets(spec: SetupSpec): SetupSpec {
  return { ...spec, source: { ...spec.source, config: undefined }, destination: { ...spec.destination, config: undefined } };
}

/** The steps in order; what an earlier run created (its ids in `resume`) is resumed, not created again. */
export function planSetup(spec: SetupSpec, resume: SetupResume): PlannedStep[] {
  const connection = (step: SetupStepName, e: EndpointSpec, id: string | undefined): PlannedStep =>
    id ? { step, action: 'resume', id } : e.connection ? { step, action: 'reuse', ref: e.connection } : { step, action: 'create', name: e.name };
  const made = (step: SetupStepName, id: string | undefined): PlannedStep => (id ? { step, action: 'resume', id } : { step, action: 'create' });
  const plan: PlannedStep[] = [
    connection('source connection', spec.source, resume.sourceConnectionId),
    connection('destination connection', spec.destination, resume.destinationConnectionId),
    resume.integrationId
      ? { step: 'integration', action: 'resume', id: resume.integrationId }
      : spec.integration
        ? { step: 'integration', action: 'reuse', ref: spec.integration }
        : { step: 'integration', action: 'create', name: spec.name.trim() },
    made('export', resume.exportId),
    made('import', resume.importId),
    made('flow', resume.flowId),
    { step: 'preview', action: 'do' },
  ];
  if (spec.enable) plan.push({ step: 'enable', action: 'do' });
  return plan;
}

/**
 * A new connection's name may already be taken: the same type is reused, another type is refused
 * (UsageError); undefined means create it.
 */
export function sameNamedConnection(e: EndpointSpec, existing: readonly Connection[]): Connection | undefined {
  const same = existing.find((c) => c.name.toLowerCase() === e.name!.toLowerCase());
  if (same && same.type !== e.type) throw new UsageError(`A connection named "${same.name}" exists with type ${same.type}, not ${e.type}; choose another name or reuse it by id.`);
  return same;
}

export function exportBody(spec: SetupSpec, src: Pick<Connection, '_id' | 'name' | 'type'>): Record<string, unknown> {
  const rt = spec.source.recordType ?? spec.recordType;
  return merge({ name: `Get ${rt} from ${src.name}`, _connectionId: src._id, ...adaptorBody('export', src.type, rt) }, spec.source.settings);
}

/** The import with the spec's field mappings added. */
export function importBody(spec: SetupSpec, dst: Pick<Connection, '_id' | 'name' | 'type'>): Record<string, unknown> {
  const rt = spec.destination.recordType ?? spec.recordType;
  const body = merge({ name: `Put ${rt} into ${dst.name}`, _connectionId: dst._id, ...adaptorBody('import', dst.type, rt) }, spec.destination.settings);
  if (!spec.mappings?.length) return body;
  const changes: MappingChange[] = spec.mappings.map((m) => ({ op: 'add', ...m }));
  return applyMappingChanges(body, changes).doc;
}

/** The flow: the export then the import, disabled, in the integration, on the spec's schedule if any. */
export function flowBody(spec: SetupSpec, names: { source: string; destination: string }, ids: { integrationId?: string; exportId?: string; importId?: string }, schedule: string | undefined) {
  return {
    name: spec.flowName ?? `${spec.source.recordType ?? spec.recordType}: ${names.source} to ${names.destination}`,
    _integrationId: ids.integrationId,
    disabled: true,
    pageGenerators: [{ _exportId: ids.exportId }],
    pageProcessors: [{ type: 'import', _importId: ids.importId }],
    ...(schedule ? { schedule } : {}),
  };
}

/** What the mapping makes of the export's first sample record (a `record` wrapper is unwrapped). */
export function previewOutcome(rows: readonly Record<string, unknown>[], importDoc: Record<string, unknown>): { preview: SetupPreview; step: SetupStep } {
  const first = rows[0];
  const sample = (first && typeof first.record === 'object' && first.record ? first.record : first) as Record<string, unknown> | undefined;
  if (!sample) {
    const preview = { note: 'the export returned no sample records' };
    return { preview, step: { step: 'preview', status: 'skipped', message: preview.note } };
  }
  const p = previewMapping(importDoc, sample);
  return {
    preview: { sample, output: p.output, missingSources: p.missingSources },
    step: { step: 'preview', status: 'done', message: p.missingSources.length ? `source fields not in the sample: ${p.missingSources.join(', ')}` : 'every mapped source field is in the sample' },
  };
}

/** Enabling waits for both connection tests to pass. */
export function mayEnable(connections: { source?: { ok?: boolean }; destination?: { ok?: boolean } }): boolean {
  return !!(connections.source?.ok && connections.destination?.ok);
}
