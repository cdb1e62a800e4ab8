// Issue 17 items 1 and 2: stop a runaway job (cancel_job), and change named fields of an export, an
// import or a connection (update_export, update_import, update_connection): checked against the object,
// a diff first, confirmed on production, backed up, written, read back. In the `manage` toolset, not
// served by default. At a terminal a field is `--set path=value` and a connection secret `--secret-env
// path=ENV_VAR`; the tools take `changes: [{path, value}]` and `secrets: [{path, env}]`.
import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import type { CancelJobReport } from '../ops/cancel.js';
import type { EditInput, FieldChange, SecretFrom, UpdateReport } from '../ops/edit/update.js';
import { idOrName, JOB_ID_DESC } from './args.js';
import { json } from './format.js';
import { toolView } from './terminal-input.js';
import { defineOperation, entry, type Operation, type Terminal, type ToolResult } from './types.js';

const cancelOps = () => import('../ops/cancel.js');
const editOps = () => import('../ops/edit/update.js');

const CHANGE = z.object({
  path: z.string().min(1).describe('Dotted path, e.g. "http.relativeURI" or "mapping.fields.2.extract"'),
  value: z.unknown().describe('New value (any JSON)'),
});
const changesArg = () => z.array(CHANGE).min(1).describe('Fields to set, e.g. [{"path":"http.relativeURI","value":"/v2/orders"}]');
const SECRET = z.object({
  path: z.string().min(1).describe('Secret field, e.g. "http.auth.token.token"'),
  env: z.string().min(1).describe('Name of the environment variable holding it'),
});
const DRY_RUN = z.boolean().optional().describe('true: show the diff only, change nothing');
const EDIT_HINTS = { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true } as const;

/** "path=value": the value as JSON when it parses, else the text itself. */
export function parseSet(s: string): FieldChange {
  const eq = s.indexOf('=');
  if (eq <= 0) throw new UsageError(`--set "${s}" must look like path=value (e.g. http.relativeURI=/v2/orders).`);
  const raw = s.slice(eq + 1);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // Not JSON: the text itself.
  }
  return { path: s.slice(0, eq).trim(), value };
}

function parseSecret(s: string): SecretFrom {
  const eq = s.indexOf('=');
  if (eq <= 0) throw new UsageError(`--secret-env "${s}" must look like path=ENV_VAR (e.g. http.auth.token.token=SHOPIFY_TOKEN): the NAME of a variable holding the secret.`);
  return { path: s.slice(0, eq).trim(), env: s.slice(eq + 1).trim() };
}

/** The edit from either front end: the tool's changes and secrets, or the terminal's --set and --secret-env. */
function editOf(a: { changes?: FieldChange[]; set?: string[]; secrets?: SecretFrom[]; secretEnv?: string[]; dryRun?: boolean }): EditInput {
  const changes = [...(a.changes ?? []), ...(a.set ?? []).map(parseSet)];
  const secrets = [...(a.secrets ?? []), ...(a.secretEnv ?? []).map(parseSecret)];
  return { ...(changes.length ? { changes } : {}), ...(secrets.length ? { secrets } : {}), ...(a.dryRun ? { dryRun: true } : {}) };
}

function reportData(r: UpdateReport): Omit<UpdateReport, 'next' | 'outcome'> {
  const { next: _n, outcome: _o, ...data } = r;
  return data;
}

function diffText(r: UpdateReport): string[] {
  const j = (v: unknown) => (v === undefined ? '(none)' : JSON.stringify(v));
  return r.changes.map((d) => (d.secretFrom ? `~ ${d.path}: (secret from $${d.secretFrom})` : d.unchanged ? `= ${d.path}: unchanged` : `~ ${d.path}: ${j(d.before)} -> ${j(d.after)}`));
}

function updateForModel(r: UpdateReport): ToolResult {
  const problems = r.problems.length ? `\nProblems:\n- ${r.problems.join('\n- ')}` : '';
  return { text: `${r.summary}\n${diffText(r).join('\n')}${problems}\n${json({ id: r.id, method: r.method, written: r.written, verified: r.verified, backupId: r.backupId })}`, structured: reportData(r) };
}

function updateForTerminal(r: UpdateReport, t: Terminal): void {
  if (t.jsonMode) return t.object(reportData(r));
  const { c } = t;
  const mark = r.dryRun ? c.yellow('•') : !r.written ? c.dim('=') : r.verified ? c.green('✓') : c.red('✗');
  t.print([`${mark} ${r.summary}`, ...diffText(r).map((l) => `  ${l}`), ...r.problems.map((p) => `${c.red('✗')} ${p}`)].join('\n'));
  if (r.dryRun) t.note(c.dim('Dry run: nothing was written. Leave out --dry-run to write it.'));
}

type Kind = 'export' | 'import' | 'connection';
const NOUN: Record<Kind, string> = { export: 'exports', import: 'imports', connection: 'connections' };
const TERMINAL_SET = {
  set: z.array(z.string()).optional().describe('path=value; the value is JSON when it parses, else text'),
};
const SET_FLAG = { flags: '--set <path=value>', description: 'Set a field: path=value, value as JSON when it parses, else text (repeatable)' };
const CHANGES_FLAG = { flags: '--changes <json>', description: 'Fields to set as JSON {"path":…,"value":…} or a list of them (repeatable)', repeat: true };

const updateExportOp = defineOperation({
  name: 'update_export',
  toolset: 'manage',
  title: 'Update an export',
  description: "Change named fields of an export (query, endpoint, delta settings…): diff, back up, write (read-modify-write), verify.",
  input: { export: idOrName('Export'), changes: changesArg().optional(), ...TERMINAL_SET, dryRun: DRY_RUN },
  annotations: EDIT_HINTS,
  cli: {
    noun: NOUN.export,
    verb: 'update',
    summary: 'Change fields of an export: diff, back up, write, read back',
    args: ['export'],
    flags: { export: { description: 'Export id or name' }, set: SET_FLAG, changes: CHANGES_FLAG, dryRun: { description: 'Show the diff only; change nothing' } },
    details: 'Each path must exist in the export, or its parent must be an object (a new field). Fields the server sets, adaptorType and secrets are refused. Undo: backups restore <id>.',
    examples: ['exports update "Get Shopify orders" --set http.relativeURI=/admin/api/2024-01/orders.json --dry-run', 'exports update "Get Shopify orders" --set http.relativeURI=/admin/api/2024-01/orders.json'],
  },
  run: async (ctx, a) => (await editOps()).updateExport(ctx, { export: a.export, ...editOf(a) }),
  forModel: updateForModel,
  forTerminal: updateForTerminal,
});

const updateImportOp = defineOperation({
  name: 'update_import',
  toolset: 'manage',
  title: 'Update an import',
  description: 'Change named fields of an import (settings, endpoint…): diff, back up, write (read-modify-write), verify.',
  input: { import: idOrName('Import'), changes: changesArg().optional(), ...TERMINAL_SET, dryRun: DRY_RUN },
  annotations: EDIT_HINTS,
  cli: {
    noun: NOUN.import,
    verb: 'update',
    summary: 'Change fields of an import: diff, back up, write, read back',
    args: ['import'],
    flags: { import: { description: 'Import id or name' }, set: SET_FLAG, changes: CHANGES_FLAG, dryRun: { description: 'Show the diff only; change nothing' } },
    details: 'Field mappings are better changed with: mapping update. Undo: backups restore <id>.',
    examples: ['imports update "Create NetSuite sales orders" --set idLockTemplate=\'"{{id}}"\' --dry-run', 'imports update "Create NetSuite sales orders" --set description="Orders from Shopify"'],
  },
  run: async (ctx, a) => (await editOps()).updateImport(ctx, { import: a.import, ...editOf(a) }),
  forModel: updateForModel,
  forTerminal: updateForTerminal,
});

const updateConnectionOp = defineOperation({
  name: 'update_connection',
  toolset: 'manage',
  title: 'Update a connection',
  description: "Change a connection's settings (base URI, ping…); a secret only from an environment variable named in secrets. Diff, back up, write, verify.",
  input: {
    connection: idOrName('Connection'),
    changes: z.array(CHANGE).optional().describe('Non-secret fields to set, e.g. [{"path":"http.baseURI","value":"https://x"}]'),
    ...TERMINAL_SET,
    secrets: z.array(SECRET).optional().describe('Secret fields, each read from an environment variable at call time'),
    secretEnv: z.array(z.string()).optional().describe('path=ENV_VAR'),
    dryRun: DRY_RUN,
  },
  annotations: EDIT_HINTS,
  cli: {
    noun: NOUN.connection,
    verb: 'update',
    summary: "Change a connection's settings: diff, back up, write, read back (secrets only from environment variables)",
    args: ['connection'],
    flags: {
      connection: { description: 'Connection id or name' },
      set: SET_FLAG,
      changes: CHANGES_FLAG,
      secrets: { hidden: true },
      secretEnv: { flags: '--secret-env <path=ENV_VAR>', description: 'Set a secret field from an environment variable (repeatable); never the secret itself' },
      dryRun: { description: 'Show the diff only; change nothing' },
    },
    details:
      'Fields Celigo lets PATCH change (name, debugDate, http.ping.*, http.auth.*, rest.cookieAuth.*) are sent by PATCH; anything else is a full PUT, ' +
      'which must carry every secret of the connection: give each with --secret-env. Undo: backups restore <id> (it puts back only name and debugDate of a connection).',
    examples: ['connections update "Shopify" --set http.baseURI=https://my-store.myshopify.com/admin/api/2024-01 --secret-env http.auth.token.token=SHOPIFY_TOKEN --dry-run', 'connections update "Shopify" --set http.ping.relativeURI=/shop.json'],
  },
  run: async (ctx, a) => (await editOps()).updateConnection(ctx, { connection: a.connection, ...editOf(a) }),
  forModel: updateForModel,
  forTerminal: updateForTerminal,
});

function cancelForModel(r: CancelJobReport): ToolResult {
  return { text: `${r.summary}\n${json(r.job)}`, structured: { ...r } };
}

const cancelJobOp = defineOperation({
  name: 'cancel_job',
  toolset: 'manage',
  title: 'Cancel a job',
  description: 'Stop a queued or running flow job (PUT /jobs/{id}/cancel) and report its final state; a job that already ended is an error.',
  input: { job: z.string().describe(JOB_ID_DESC) },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  cli: {
    noun: 'jobs',
    verb: 'cancel',
    summary: 'Cancel a queued or running flow job and wait for it to end',
    args: ['job'],
    flags: { job: { description: 'Job id (jobs list --status running finds it)' } },
    details: 'Records already processed stay processed. A job is not backed up (nothing can put a run back); cancelling asks for confirmation unless --yes.',
    examples: ['jobs list --status running', 'jobs cancel 65f1c2a9e4b0a1b2c3d4e5f6 --yes'],
  },
  run: async (ctx, a) => (await cancelOps()).cancelJob(ctx, a),
  forModel: cancelForModel,
  forTerminal: (r: CancelJobReport, t: Terminal) => {
    if (t.jsonMode) return t.object({ ...r, next: undefined });
    const ok = r.status === 'canceled' ? t.c.green('✓') : t.c.yellow('•');
    t.print(`${ok} ${r.summary}`);
  },
});

// The tools take changes and secrets as lists; --set and --secret-env are the terminal's way to give them.
const { set: _s1, ...exportTool } = updateExportOp.input;
const { set: _s2, ...importTool } = updateImportOp.input;
const { set: _s3, secretEnv: _s4, ...connectionTool } = updateConnectionOp.input;

export const editOperations: Operation[] = [
  entry(cancelJobOp),
  toolView({ ...exportTool, changes: changesArg() }, updateExportOp),
  toolView({ ...importTool, changes: changesArg() }, updateImportOp),
  toolView(connectionTool, updateConnectionOp),
];
