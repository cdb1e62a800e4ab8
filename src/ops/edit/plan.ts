// What an edit will do (issue 17 item 2): the object as it is, each change checked against it, the
// secrets read from the environment, the diff, and whether a PATCH can carry it. Nothing is sent here.
import { UsageError } from '../../core/errors.js';
import { PATCH_WHITELIST } from '../../core/schemas.js';
import { maskedPaths } from '../../core/update.js';
import type { OpContext } from '../context.js';
import { resolveConnection, resolveExport, resolveImport } from '../resolve.js';
import { stableJson } from '../util.js';
import { CONNECTION_REFS, checkDistinct, checkPath, isSecretPath, segmentsOf, valueAt, type EditKind, type FieldChange } from './paths.js';

export interface SecretFrom {
  path: string;
  /** The environment variable holding the value (read at call time; the value is never shown). */
  env: string;
}

export interface EditInput {
  changes?: FieldChange[];
  secrets?: SecretFrom[];
  dryRun?: boolean;
}

/** One changed field as a person reads it: secrets show as where they come from, never as a value. */
export interface FieldDiff {
  path: string;
  before?: unknown;
  after?: unknown;
  /** Set from this environment variable. */
  secretFrom?: string;
  /** Already had this value: not written. */
  unchanged?: boolean;
}

export type Doc = Record<string, unknown> & { _id: string; name?: string; lastModified?: string };

export interface EditPlan {
  kind: EditKind;
  doc: Doc;
  /** The changes to write (values resolved, e.g. a connection name to its id), without the unchanged ones. */
  writes: FieldChange[];
  /** Secret values by path, from the environment. Never shown, logged or backed up. */
  secretValues: Map<string, unknown>;
  diffs: FieldDiff[];
  method: 'PUT' | 'PATCH';
}

export function apiOf(ctx: OpContext, kind: EditKind) {
  return kind === 'export' ? ctx.api.exports : kind === 'import' ? ctx.api.imports : ctx.api.connections;
}

/** The object, read fresh (a name may resolve from a cached list; the edit must see the current object). */
export async function currentDoc(ctx: OpContext, kind: EditKind, q: string): Promise<Doc> {
  const resolve = kind === 'export' ? resolveExport : kind === 'import' ? resolveImport : resolveConnection;
  const { _id } = await resolve(ctx.api, q);
  return (await apiOf(ctx, kind).get(_id, { signal: ctx.signal })) as Doc;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Reads each secret from its environment variable; a missing one is an error naming the variable. */
function readSecrets(secrets: readonly SecretFrom[], env: NodeJS.ProcessEnv): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const s of secrets) {
    if (!ENV_NAME.test(s.env)) throw new UsageError(`secrets: "${s.env}" (for ${s.path}) is not an environment variable name; give the NAME of a variable that holds the secret, never the secret itself.`);
    const v = env[s.env];
    if (v === undefined || v === '') throw new UsageError(`Environment variable ${s.env} (for ${s.path}) is not set or is empty; set it in the environment of celigo-manage and try again. Nothing was changed.`);
    out.set(s.path, v);
  }
  return out;
}

/** A change to a field naming a connection: the connection must exist (an id or a name; written as its id). */
async function connectionRef(ctx: OpContext, c: FieldChange): Promise<FieldChange> {
  if (!CONNECTION_REFS.includes(segmentsOf(c.path)[0]!) || segmentsOf(c.path).length !== 1) return c;
  if (typeof c.value !== 'string' || !c.value.trim()) throw new UsageError(`${c.path} takes a connection id or name.`);
  const conn = await resolveConnection(ctx.api, c.value);
  return { path: c.path, value: conn._id };
}

/** Whether every path is one the docs let PATCH change (connections only: celigo-api.md W15, §1.4). */
function patchable(kind: EditKind, paths: readonly string[]): boolean {
  if (kind !== 'connection' || !paths.length) return false;
  const list = PATCH_WHITELIST.connections ?? [];
  return paths.every((p) => {
    const segs = segmentsOf(p);
    return list.some((w) => {
      const parts = w.split('/');
      if (parts[parts.length - 1] === '**') return segs.length >= parts.length && parts.slice(0, -1).every((x, i) => x === segs[i]);
      return parts.length === segs.length && parts.every((x, i) => x === segs[i]);
    });
  });
}

const show = (v: unknown): unknown => (v === undefined ? undefined : typeof v === 'string' && v.length > 200 ? `${v.slice(0, 199)}…` : v);

/** Checks every change against the object, reads the secrets, and works out the diff and the method. */
export async function planEdit(ctx: OpContext, kind: EditKind, doc: Doc, input: EditInput, env: NodeJS.ProcessEnv = process.env): Promise<EditPlan> {
  const changes = input.changes ?? [];
  const secrets = input.secrets ?? [];
  if (!changes.length && !secrets.length) throw new UsageError(`Nothing to change: give at least one {path, value}${kind === 'connection' ? ' or secret' : ''}.`);
  checkDistinct([...changes.map((c) => c.path.trim()), ...secrets.map((s) => s.path.trim())]);
  const resolved: FieldChange[] = [];
  for (const c of changes) {
    const change = { path: c.path.trim(), value: c.value };
    checkPath(kind, doc, change);
    resolved.push(await connectionRef(ctx, change));
  }
  for (const s of secrets) {
    if (!isSecretPath(doc, s.path)) throw new UsageError(`${s.path} is not a secret field (password, token, clientSecret, apiKey, …); give it in changes instead.`);
  }
  const secretValues = readSecrets(secrets.map((s) => ({ ...s, path: s.path.trim() })), env);
  for (const [path, value] of secretValues) checkPath(kind, doc, { path, value }, true);
  const diffs: FieldDiff[] = resolved.map((c) => {
    const before = valueAt(doc, c.path);
    const same = stableJson(before) === stableJson(c.value);
    return { path: c.path, before: show(before), after: show(c.value), ...(same ? { unchanged: true } : {}) };
  });
  for (const s of secrets) diffs.push({ path: s.path.trim(), secretFrom: s.env });
  const writes = resolved.filter((_c, i) => !diffs[i]!.unchanged);
  const paths = [...writes.map((w) => w.path), ...secretValues.keys()];
  const method = patchable(kind, paths) ? 'PATCH' : 'PUT';
  if (method === 'PUT' && paths.length) {
    // A full replace must carry every secret, and they read back masked: each must come from the environment.
    const missing = maskedPaths(doc).filter((p) => !secretValues.has(p) && !paths.some((w) => p === w || p.startsWith(`${w}.`)));
    if (missing.length) {
      throw new UsageError(
        `A full write (PUT) of ${kind} "${doc.name ?? doc._id}" must carry its secrets, which read back masked: ${missing.join(', ')}. ` +
          (kind === 'connection'
            ? 'Give each through secrets ({path, env}: an environment variable holding it; at a terminal --secret-env PATH=ENV_VAR), or change only fields PATCH may change (name, debugDate, http.ping.*, http.auth.*, rest.cookieAuth.*). Nothing was changed.'
            : `Change it in Celigo's web app. Nothing was changed.`),
      );
    }
  }
  return { kind, doc, writes, secretValues, diffs, method };
}

/** "~ http.relativeURI: "/a" -> "/b"" lines of a diff. */
export function diffLines(diffs: readonly FieldDiff[]): string[] {
  const j = (v: unknown) => (v === undefined ? '(none)' : JSON.stringify(v));
  return diffs.map((d) =>
    d.secretFrom ? `~ ${d.path}: (secret) <- environment variable ${d.secretFrom}` : d.unchanged ? `= ${d.path}: ${j(d.after)} (unchanged)` : `~ ${d.path}: ${j(d.before)} -> ${j(d.after)}`,
  );
}
