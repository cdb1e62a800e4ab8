// The steps of setup_integration, planned without I/O: what the spec asks for, what will be created or
// reused and in which order (resuming an earlier partial run), the bodies of the new export, import and
// flow, what the mapping preview on a sample record says, and whether the flow may be enabled.
import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import { EXPORT_ADAPTORS, IMPORT_ADAPTORS, type Connection } from '../core/schemas.js';
import { applyMappingChanges, type MappingChange } from './mapping/apply.js';
import { previewMapping, sampleFields } from './mapping/preview.js';

export interface EndpointSpec {
  /** Existing connection to reuse (id or name). */
  connection?: string;
  /** New connection: its type and name, and its settings block (e.g. {"http": {...}}). */
  type?: string;
  name?: string;
  config?: Record<string, unknown>;
  /** Record type, object or path at this end (default: the spec's recordType). */
  recordType?: string;
  /** HTTP only: the endpoint of the export or import, relative to the connection's base URI. */
  relativeURI?: string;
  /** Source only: an HTTP query string, a Salesforce SOQL query, or a database SQL query. */
  query?: string;
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
  /** Put the flow in this existing integration instead of creating one (then `name`, if given, names the flow). */
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

export type SetupPreview = { sample?: Record<string, unknown>; sampleFields?: string[]; output?: Record<string, unknown>; missingSources?: string[]; note?: string };

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

/** One end of the flow as its export or import body needs it: the record type, and the endpoint given. */
interface EndOptions {
  rt: string;
  relativeURI?: string;
  query?: string;
}

/** An HTTP endpoint with its query string ("status=open" or "?status=open"). */
export function withQuery(uri: string, query: string | undefined): string {
  const q = query?.trim().replace(/^\?/, '');
  return q ? `${uri}${uri.includes('?') ? '&' : '?'}${q}` : uri;
}

// The HTTP ends have no default endpoint: checkEndpoints refuses an HTTP end without one before anything is made.
const httpExport = (o: EndOptions) => ({ adaptorType: 'HTTPExport', http: { method: 'GET', ...(o.relativeURI ? { relativeURI: withQuery(o.relativeURI, o.query) } : {}) } });
const httpImport = (o: EndOptions) => ({ adaptorType: 'HTTPImport', http: { method: ['POST'], ...(o.relativeURI ? { relativeURI: [o.relativeURI] } : {}) } });

const EXPORT_DEFAULTS: Record<string, (o: EndOptions) => Record<string, unknown>> = {
  salesforce: (o) => ({ adaptorType: 'SalesforceExport', salesforce: { type: 'soql', soql: { query: o.query ?? `SELECT Id, Name FROM ${o.rt}` } } }),
  netsuite: (o) => ({ adaptorType: 'NetSuiteExport', netsuite: { type: 'search', searches: [{ recordType: o.rt }] } }),
  http: httpExport,
  rest: httpExport,
  ftp: (o) => ({ adaptorType: 'FTPExport', ftp: { directoryPath: `/${o.rt}` }, file: { type: 'csv' } }),
  s3: (o) => ({ adaptorType: 'S3Export', s3: { keyStartsWith: `${o.rt}/` }, file: { type: 'csv' } }),
  rdbms: (o) => ({ adaptorType: 'RDBMSExport', rdbms: { query: o.query ?? `SELECT * FROM ${o.rt}` } }),
  mongodb: (o) => ({ adaptorType: 'MongodbExport', mongodb: { collection: o.rt } }),
};

const IMPORT_DEFAULTS: Record<string, (o: EndOptions) => Record<string, unknown>> = {
  salesforce: (o) => ({ adaptorType: 'SalesforceImport', salesforce: { sObjectType: o.rt, operation: 'insert' } }),
  netsuite: (o) => ({ adaptorType: 'NetSuiteDistributedImport', netsuite_da: { recordType: o.rt, operation: 'add' } }),
  http: httpImport,
  rest: httpImport,
  ftp: (o) => ({ adaptorType: 'FTPImport', ftp: { directoryPath: `/${o.rt}`, fileName: `${o.rt}-{{timestamp}}.csv` }, file: { type: 'csv' } }),
  s3: (o) => ({ adaptorType: 'S3Import', s3: { fileKey: `${o.rt}/{{timestamp}}.csv` }, file: { type: 'csv' } }),
  rdbms: (o) => ({ adaptorType: 'RDBMSImport', rdbms: { queryType: ['INSERT'], query: [`INSERT INTO ${o.rt}`] } }),
  mongodb: (o) => ({ adaptorType: 'MongodbImport', mongodb: { collection: o.rt, method: 'insertMany' } }),
};

const HTTP_TYPES = ['http', 'rest'];
/** Connection types whose export reads `query` (what it means there). */
const QUERY_MEANS: Record<string, string> = { http: 'the query string', rest: 'the query string', salesforce: 'the SOQL query', rdbms: 'the SQL query' };

/**
 * The export or import body for a connection type. A type without a default is refused (UsageError)
 * unless the end's settings name the adaptorType (and then carry its block themselves).
 */
export function adaptorBody(kind: 'export' | 'import', type: string, o: EndOptions, settings?: Record<string, unknown>): Record<string, unknown> {
  const table = kind === 'export' ? EXPORT_DEFAULTS : IMPORT_DEFAULTS;
  if (table[type]) return table[type](o);
  const guess = `${type.charAt(0).toUpperCase()}${type.slice(1)}${kind === 'export' ? 'Export' : 'Import'}`;
  const known: readonly string[] = kind === 'export' ? EXPORT_ADAPTORS : IMPORT_ADAPTORS;
  const hit = known.find((a) => a.toLowerCase() === guess.toLowerCase());
  if (hit) return { adaptorType: hit };
  if (typeof settings?.adaptorType === 'string') return {};
  const side = kind === 'export' ? 'source' : 'destination';
  throw new UsageError(`No default ${kind} for ${type} connections; pass ${side}.settings with its adaptorType and settings block, e.g. {"adaptorType":"${guess}","${type}":{…}}.`);
}

/** The options of one end: its record type and endpoint. */
function endOptions(spec: SetupSpec, e: EndpointSpec): EndOptions {
  return { rt: e.recordType ?? spec.recordType, relativeURI: e.relativeURI?.trim() || undefined, query: e.query };
}

/** Whether the settings already set the HTTP endpoint (`http.relativeURI`). */
function settingsURI(e: EndpointSpec): boolean {
  const http = e.settings?.http;
  return !!(http && typeof http === 'object' && (http as Record<string, unknown>).relativeURI);
}

/**
 * Refuses (UsageError), before anything is created, an end whose endpoint is unknown or given in a form
 * its connection does not take: an HTTP end needs relativeURI (there is no sensible default); relativeURI
 * is for HTTP ends only, and query for HTTP, Salesforce and database sources. A type undefined (not
 * known yet, or the resource already made by an earlier attempt) is not checked.
 */
export function checkEndpoints(spec: SetupSpec, types: { source?: string; destination?: string }): void {
  for (const label of ['source', 'destination'] as const) {
    const e = spec[label];
    const type = types[label];
    if (!type) continue;
    const rt = e.recordType ?? spec.recordType;
    const http = HTTP_TYPES.includes(type);
    const conn = e.connection ? `connection ${JSON.stringify(e.connection)}` : `the new connection ${JSON.stringify(e.name)}`;
    if (http && !e.relativeURI?.trim() && !settingsURI(e)) {
      const example = label === 'source' ? `"/api/v2/${rt.toLowerCase()}.json"` : `"/api/v2/${rt.toLowerCase()}"`;
      throw new UsageError(`The ${label} (${conn}) is an HTTP connection: give ${label}.relativeURI, the API path to ${label === 'source' ? 'read records from' : 'send records to'}, e.g. ${example}. Nothing was created.`);
    }
    if (!http && e.relativeURI !== undefined) {
      const instead = label === 'source' && QUERY_MEANS[type] ? `give ${label}.query (${QUERY_MEANS[type]}) or ${label}.recordType` : `give ${label}.recordType, or ${label}.settings with the ${type} block`;
      throw new UsageError(`${label}.relativeURI is for HTTP connections only; ${conn} is ${type}: ${instead}. Nothing was created.`);
    }
    if (e.query !== undefined && label === 'destination') {
      throw new UsageError('destination.query is not used: a query selects the records to read, so it belongs to the source (source.query). Nothing was created.');
    }
    if (e.query !== undefined && !QUERY_MEANS[type]) {
      throw new UsageError(`source.query is for HTTP (query string), Salesforce (SOQL) and database (SQL) sources; ${conn} is ${type}: give source.recordType, or source.settings with the ${type} block. Nothing was created.`);
    }
    adaptorBody(label === 'source' ? 'export' : 'import', type, endOptions(spec, e), e.settings);
  }
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
// Strict: a misspelt key ("relativeUri", "path") is named in the error instead of being dropped.
const endpointSpec = z.strictObject({
  connection: z.string().optional(),
  type: z.string().optional(),
  name: z.string().optional(),
  config: object.optional(),
  recordType: z.string().optional(),
  relativeURI: z.string().optional(),
  query: z.string().optional(),
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
    const keys = ` (its keys: ${Object.keys(endpointSpec.shape).join(', ')})`;
    const said = r.error.issues.map((i) => `${i.path.join('.') || 'spec'}: ${i.message}${i.code === 'unrecognized_keys' && i.path.length === 1 ? keys : ''}`);
    throw new UsageError(`Invalid setup spec: ${said.join('; ')}.`);
  }
  const { name = '', recordType = '', source = {}, destination = {}, ...rest } = r.data;
  return { ...rest, name, recordType, source, destination };
}

/** Refuses (UsageError) a spec without a name, a record type, or a way to get each connection. */
export function checkSpec(spec: SetupSpec): void {
  if (!spec.name?.trim() && !spec.integration?.trim()) throw new UsageError('Give the new integration a name, or integration: an existing one (id or name) to add the flow to.');
  if (!spec.recordType?.trim()) throw new UsageError('Give the record type to move (e.g. customer, Account, orders).');
  for (const [label, e] of [['source', spec.source], ['destination', spec.destination]] as const) {
    if (!e?.connection && !(e?.type && e?.name)) throw new UsageError(`The ${label} needs ${label}.connection (an existing connection's id or name), or ${label}.type and ${label}.name for a new one.`);
  }
}

/** What is set up, in words: `integration "X"`, or `a flow in integration Y`. */
export function setupLabel(spec: SetupSpec): string {
  return spec.integration ? `a flow in integration ${spec.integration}` : `integration "${spec.name.trim()}"`;
}

/** Where an end reads or writes, when the spec says: `GET /api/users.json?x=1`, `query "SELECT …"`. */
function endpointText(e: EndpointSpec, kind: 'export' | 'import'): string {
  if (e.relativeURI?.trim()) return ` (${kind === 'export' ? `GET ${withQuery(e.relativeURI.trim(), e.query)}` : `POST ${e.relativeURI.trim()}`})`;
  return e.query ? ` (query ${JSON.stringify(e.query)})` : '';
}

/** The lines of the confirmation plan. */
export function confirmationLines(spec: SetupSpec): string[] {
  const plan: string[] = [];
  for (const [label, e] of [['source', spec.source], ['destination', spec.destination]] as const) {
    plan.push(e.connection ? `reuse ${label} connection ${e.connection}` : `create ${label} ${e.type} connection "${e.name}" (or reuse one with that name)`);
  }
  plan.push(spec.integration ? `use integration ${spec.integration}` : `create integration "${spec.name}"`);
  plan.push(
    `create an export of ${spec.source.recordType ?? spec.recordType}${endpointText(spec.source, 'export')}, ` +
      `an import of ${spec.destination.recordType ?? spec.recordType}${endpointText(spec.destination, 'import')} with ${spec.mappings?.length ?? 0} field mappings, and a disabled flow`,
  );
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
  const o = endOptions(spec, spec.source);
  return merge({ name: `Get ${o.rt} from ${src.name}`, _connectionId: src._id, ...adaptorBody('export', src.type, o, spec.source.settings) }, spec.source.settings);
}

/** The import with the spec's field mappings added. */
export function importBody(spec: SetupSpec, dst: Pick<Connection, '_id' | 'name' | 'type'>): Record<string, unknown> {
  const o = endOptions(spec, spec.destination);
  const body = merge({ name: `Put ${o.rt} into ${dst.name}`, _connectionId: dst._id, ...adaptorBody('import', dst.type, o, spec.destination.settings) }, spec.destination.settings);
  if (!spec.mappings?.length) return body;
  const changes: MappingChange[] = spec.mappings.map((m) => ({ op: 'add', ...m }));
  return applyMappingChanges(body, changes).doc;
}

/** The flow: the export then the import, disabled, in the integration, on the spec's schedule if any. */
export function flowBody(spec: SetupSpec, names: { source: string; destination: string }, ids: { integrationId?: string; exportId?: string; importId?: string }, schedule: string | undefined) {
  return {
    name: spec.flowName ?? (spec.integration && spec.name.trim() ? spec.name.trim() : `${spec.source.recordType ?? spec.recordType}: ${names.source} to ${names.destination}`),
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
    preview: { sample, sampleFields: sampleFields(sample), output: p.output, missingSources: p.missingSources },
    step: { step: 'preview', status: 'done', message: p.missingSources.length ? `source fields not in the sample: ${p.missingSources.join(', ')}` : 'every mapped source field is in the sample' },
  };
}

/** Enabling waits for both connection tests to pass. */
export function mayEnable(connections: { source?: { ok?: boolean }; destination?: { ok?: boolean } }): boolean {
  return !!(connections.source?.ok && connections.destination?.ok);
}
