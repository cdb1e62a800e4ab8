// Wire shapes of the integrator.io REST API (../shared/celigo-api.md, Appendix A).
// Shared by the client (to check what comes back) and the emulator (to check what comes in).
// Resource objects are loose on purpose: the API adds fields over time and we must round-trip them.
import { z } from 'zod';

export const OBJECT_ID = /^[0-9a-f]{24}$/;
export const MASKED = '******';

export const objectId = z.string().regex(OBJECT_ID, 'must be a 24-character hex id');

export const errorEntry = z.object({
  code: z.string(),
  message: z.string(),
  field: z.string().optional(),
});
export const errorEnvelope = z.object({ errors: z.array(errorEntry) });
export type ErrorEnvelope = z.infer<typeof errorEnvelope>;

const base = { _id: z.string(), createdAt: z.string().optional(), lastModified: z.string().optional() };

// `tag`: Celigo keeps ONE label per integration (celigo-api.md W5). /tags is the error-tag vocabulary.
export const integration = z.looseObject({ ...base, name: z.string(), tag: z.string().optional() });
export const flowStepRef = z.looseObject({ _exportId: z.string().optional(), _importId: z.string().optional(), type: z.string().optional() });
export const flow = z.looseObject({
  ...base,
  name: z.string(),
  disabled: z.boolean().optional(),
  _integrationId: z.string().optional(),
  schedule: z.string().optional(),
  pageGenerators: z.array(flowStepRef).optional(),
  pageProcessors: z.array(flowStepRef).optional(),
});
export const exportResource = z.looseObject({ ...base, name: z.string(), adaptorType: z.string().optional() });
export const importResource = z.looseObject({ ...base, name: z.string(), adaptorType: z.string().optional() });
export const connection = z.looseObject({ ...base, name: z.string(), type: z.string() });
/** An error tag of /tags (labels for errors, not integrations: celigo-api.md W5). */
export const tag = z.looseObject({ _id: z.string(), tag: z.string(), tagId: z.string().optional() });
export const job = z.looseObject({
  _id: z.string(),
  type: z.string(),
  status: z.string(),
  createdAt: z.string(),
  _flowId: z.string().optional(),
  _integrationId: z.string().optional(),
  _flowJobId: z.string().optional(),
  numError: z.number().optional(),
  numOpenError: z.number().optional(),
  numResolved: z.number().optional(),
  numSuccess: z.number().optional(),
});
export const flowStepError = z.looseObject({
  errorId: z.string(),
  occurredAt: z.string(),
  code: z.string().optional(),
  message: z.string().optional(),
  source: z.string().optional(),
  retryDataKey: z.string().optional(),
  _flowJobId: z.string().optional(),
});
export const flowStepErrorsPage = z.object({ errors: z.array(flowStepError), nextPageURL: z.string().optional() });
/** Resolved errors come under `resolved` (celigo-api.md W3). */
export const flowStepResolvedPage = z.object({ resolved: z.array(flowStepError), nextPageURL: z.string().optional() });
export const flowErrorSummary = z.object({
  flowErrors: z.array(z.looseObject({ _expOrImpId: z.string(), numError: z.number(), lastErrorAt: z.string().optional() })),
});
export const integrationErrorSummary = z.array(
  z.looseObject({ _flowId: z.string(), numError: z.number(), lastErrorAt: z.string().optional() }),
);
export const tokenInfo = z.looseObject({ _userId: z.string(), scope: z.string() });
export const runFlowResponse = z.looseObject({ _jobId: z.string().optional(), _id: z.string().optional() });

export type Integration = z.infer<typeof integration>;
export type Flow = z.infer<typeof flow>;
export type Export = z.infer<typeof exportResource>;
export type Import = z.infer<typeof importResource>;
export type Connection = z.infer<typeof connection>;
export type Tag = z.infer<typeof tag>;
export type Job = z.infer<typeof job>;
export type FlowStepError = z.infer<typeof flowStepError>;
export type FlowErrorSummary = z.infer<typeof flowErrorSummary>;
export type IntegrationErrorSummary = z.infer<typeof integrationErrorSummary>;
export type TokenInfo = z.infer<typeof tokenInfo>;
export type ClonePreviewDoc = z.infer<typeof clonePreviewDoc>;
export type CloneComponent = z.infer<typeof cloneComponent>;

// ---- request bodies (what the emulator accepts, what the client sends on create) ----

export const EXPORT_ADAPTORS = [
  'HTTPExport', 'NetSuiteExport', 'SalesforceExport', 'RDBMSExport', 'MongodbExport', 'JDBCExport', 'DynamodbExport',
  'FTPExport', 'S3Export', 'WebhookExport', 'AS2Export', 'SimpleExport', 'FileSystemExport', 'WrapperExport',
] as const;
export const IMPORT_ADAPTORS = [
  'HTTPImport', 'NetSuiteDistributedImport', 'SalesforceImport', 'RDBMSImport', 'MongodbImport', 'DynamodbImport',
  'JDBCImport', 'FTPImport', 'S3Import', 'AS2Import', 'FileSystemImport', 'AiAgentImport', 'GuardrailImport',
  'ToolImport', 'WrapperImport',
] as const;
export const CONNECTION_TYPES = [
  'netsuite', 'salesforce', 'ftp', 's3', 'wrapper', 'http', 'rdbms', 'mongodb', 'as2', 'filesystem', 'mcp',
  'dynamodb', 'jdbc', 'van', 'rest',
] as const;
/** Job statuses Celigo's web app knows (celigo-api.md W2), `canceling` included. */
export const JOB_STATUSES = ['queued', 'running', 'completed', 'failed', 'canceled', 'canceling', 'retrying'] as const;
/** Error classifications Celigo's web app knows (W11); `governance` is the rate-limit class. */
export const ERROR_CLASSIFICATIONS = ['connection', 'duplicate', 'governance', 'missing', 'parse', 'value', 'intermittent'] as const;
/** Where an error arose (celigo-api.md §errors, from Celigo's error-patterns resource); `application` is most errors. */
export const ERROR_SOURCES = [
  'application', 'connection', 'mapping', 'internal', 'resource', 'lookup', 'transformation', 'output_filter', 'input_filter',
  'import_filter', 'response_mapping', 'pre_save_page_hook', 'pre_map_hook', 'post_map_hook', 'post_submit_hook', 'post_aggregate_hook',
] as const;
export const JOB_TYPES = ['flow', 'export', 'import', 'retry', 'bulk_retry'] as const;

/** Six-field Quartz-like cron whose first field is `?` (celigo-api.md §3.2). */
export const SCHEDULE = /^\?(\s+\S+){5}$/;

const name = z.string().min(1, 'is required').max(100, 'must be at most 100 characters');

export const integrationCreate = z.looseObject({ name, description: z.string().max(5120).optional(), tag: z.string().optional() });
export const flowCreate = z.looseObject({
  name,
  disabled: z.boolean().optional(),
  _integrationId: objectId.optional(),
  schedule: z.string().regex(SCHEDULE, 'Invalid cron expression').optional(),
  pageGenerators: z.array(z.looseObject({ _exportId: objectId })).optional(),
  pageProcessors: z
    .array(z.looseObject({ type: z.enum(['export', 'import']), _exportId: objectId.optional(), _importId: objectId.optional() }))
    .optional(),
});
export const exportCreate = z.looseObject({
  name,
  adaptorType: z.enum(EXPORT_ADAPTORS, { error: 'Invalid adaptorType' }),
  _connectionId: objectId.optional(),
});
export const importCreate = z.looseObject({
  name,
  adaptorType: z.enum(IMPORT_ADAPTORS, { error: 'Invalid adaptorType' }),
  _connectionId: objectId.optional(),
});
export const connectionCreate = z.looseObject({
  name,
  type: z.enum(CONNECTION_TYPES, { error: 'Invalid connection type' }),
  offline: z.boolean().optional(),
});
export const tagCreate = z.looseObject({ tag: z.string().min(1, 'is required').max(100) });
export const resolveErrorsBody = z.object({ errors: z.array(z.string()).min(1, 'must list at least one errorId') });
export const retryErrorsBody = z.union([
  z.object({ retryDataKeys: z.array(z.string()).min(1) }),
  z.object({ errorIds: z.array(z.string()).min(1) }),
]);
// Clone bodies, as Celigo's web app sends them (celigo-api.md W6): {connectionMap, name, tag, sandbox,
// _integrationId, _flowGroupingId}. The web app sends `_flowGroupingId: null` for "no group" and
// `_integrationId: "none"` for standalone flows (W12).
const cloneCommon = {
  name: z.string().min(1, 'must not be empty').max(100, 'must be at most 100 characters').optional(),
  tag: z.string().optional(),
  sandbox: z.boolean().optional(),
  connectionMap: z.record(z.string(), z.string()).optional(),
  _flowGroupingId: z.string().nullable().optional(),
};
export const cloneFlowBody = z.looseObject({ ...cloneCommon, _integrationId: z.union([objectId, z.literal('none')]) });
export const cloneIntegrationBody = z.looseObject({ ...cloneCommon, _integrationId: z.string().optional() });

// ---- clone answers (celigo-api.md W6) ----

/** One object a clone would copy, as GET …/clone/preview lists it (the web app reads `_id`, `name`, connection `type`). */
export const clonePreviewDoc = z.looseObject({ _id: z.string(), name: z.string().optional(), type: z.string().optional() });
/**
 * GET /{integrations|flows}/{id}/clone/preview. Celigo's web app reads `objects` as a list of
 * `{model, doc}` (src/utils/template.js, src/views/Clone/Preview.jsx); the reference's summary describes
 * `{objects:{Connection:[…], Export:[…]}}`. Both are accepted.
 */
export const clonePreviewAnswer = z.looseObject({
  objects: z.union([
    z.array(z.looseObject({ model: z.string(), doc: clonePreviewDoc })),
    z.record(z.string(), z.array(clonePreviewDoc)),
  ]),
});
/** One created component in the answer to POST …/clone. */
export const cloneComponent = z.looseObject({ model: z.string(), _id: z.string(), name: z.string().optional() });

/** Field paths a PATCH may touch, per resource (celigo-api.md §1.4). `*` stands for an array index. */
export const PATCH_WHITELIST: Record<string, readonly string[]> = {
  flows: [
    'name', 'description', 'schedule', 'timezone', 'disabled', 'runPageGeneratorsInParallel',
    'pageGenerators/*/schedule', 'pageGenerators/*/skipRetries', 'routers/*/name', 'routers/*/branches/*/name',
    'routers/*/branches/*/description', 'aliases',
  ],
  // `tag` is set with replace and cleared with remove by Celigo's own web app (celigo-api.md W5).
  integrations: ['name', 'description', 'readme', 'settings', 'tag'],
  // The readable part of the docs' whitelist (celigo-api.md W15): `offline` is not in it; `**` = any deeper path.
  connections: ['name', 'debugDate', 'rest/cookieAuth/**', 'http/ping/**', 'http/auth/**'],
  exports: ['name', 'description', 'debugUntil'],
  imports: ['name', 'description', 'debugUntil'],
};

/** Keys whose values are secrets: stored by the emulator, masked on every read, never logged or backed up. */
export const SECRET_KEYS = new Set([
  'password', 'token', 'secret', 'clientSecret', 'client_secret', 'accessToken', 'access_token', 'refreshToken',
  'refresh_token', 'apiKey', 'api_key', 'encrypted', 'privateKey', 'passphrase', 'tokenSecret', 'consumerSecret',
  'secretAccessKey', 'clientKey', 'apiSecret', 'webhookSecret', 'signingSecret',
]);
