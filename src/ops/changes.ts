// Simple changes behind the basic tools and commands: create, clone, tag, update a flow, create a
// connection. Each one backs up first (ops/backups/), writes by read-modify-write, and reads back.
import type { OpContext } from './context.js';
import type { NextStep, Outcome } from './outcome.js';
import { backup, forgetUnapplied, markApplied, recordCreated, recordChanged } from './backups/take.js';
import { mustConfirm } from './confirm.js';
import { checkDependencies } from './dependencies.js';
import { resolveIntegration, resolveFlow, invalidateNames } from './resolve.js';
import { tagOf } from './tags.js';
import { CONNECTION_TYPES, type Flow } from '../core/schemas.js';
import { normaliseSchedule } from './schedule.js';
import { UsageError } from '../core/errors.js';
import { compact } from './project.js';
import { createOnce, gaveUp, retryRemedy } from './at-most-once.js';
import { testConnection } from './util.js';
import { connectionInApp } from './web-app.js';

function digestOf(...parts: unknown[]): string {
  return JSON.stringify(parts);
}

export async function createIntegration(ctx: OpContext, input: { name: string; description?: string }) {
  const name = input.name.trim();
  if (!name) throw new UsageError('Give the new integration a name.');
  const existing = (await ctx.api.integrations.list({}, { signal: ctx.signal })).filter((i) => i.name.toLowerCase() === name.toLowerCase());
  if (existing.length) throw new UsageError(`An integration named "${name}" already exists (${existing[0]._id}); choose another name.`);
  await mustConfirm(ctx, { action: `Create integration "${name}"`, details: [], digest: digestOf('create-integration', name) }, { mutating: true });
  const rec = await backup(ctx, [], `create integration ${name}`);
  const created = await createOnce(ctx, `integration "${name}"`, () => ctx.api.integrations.create(compact({ name, description: input.description }), { signal: ctx.signal }),
    async () => (await ctx.api.integrations.list({}, { signal: ctx.signal })).filter((i) => i.name.toLowerCase() === name.toLowerCase()), [])
    .catch(async (err: unknown) => {
      await forgetUnapplied(ctx, rec.id, err);
      throw err;
    });
  await recordCreated(ctx, rec.id, { type: 'integration', id: created._id });
  invalidateNames(ctx.api);
  return { id: created._id, name: created.name, backupId: rec.id };
}

// Cloning follows Celigo's preview -> connectionMap -> component list protocol; it lives in clone.ts.
export { cloneIntegration } from './clone.js';

export interface TagResult {
  integration: string;
  integrationId: string;
  /** The tag now on the integration (none after a removal). */
  tag: string | null;
  /** The tag it had before: replaced or removed (none if it had no tag). */
  previousTag: string | null;
  /** False when the integration already had exactly this tag (or, for a removal, none): nothing was written. */
  changed: boolean;
  backupId?: string;
  summary: string;
}

/**
 * Sets an integration's tag. Celigo keeps ONE tag per integration, in its `tag` field (celigo-api.md W5),
 * so tagging replaces any tag it had; `remove` clears it. Written with a JSON Patch (replace or remove
 * of /tag), backed up first, and read back. The error tags of /tags are not involved.
 */
export async function addTagToIntegration(ctx: OpContext, input: { integration: string; tag?: string; remove?: boolean }): Promise<TagResult> {
  const label = (input.tag ?? '').trim();
  if (input.remove && label) throw new UsageError('Give either a tag to set or remove, not both.');
  if (!input.remove && !label) {
    throw new UsageError('Give a tag, e.g. "critical". A blank tag does not clear the tag: removal must be asked for explicitly.');
  }
  // Read fresh: the name lookup may come from a cached list, and the tag it replaces must be the current one.
  const integration = await ctx.api.integrations.get((await resolveIntegration(ctx.api, input.integration))._id, { signal: ctx.signal });
  const previous = tagOf(integration);
  const base = { integration: integration.name, integrationId: integration._id };
  const quoted = `"${integration.name}"`;
  if (input.remove ? previous === undefined : previous === label) {
    const summary = input.remove ? `${quoted} has no tag; nothing to remove.` : `${quoted} already has tag "${label}"; nothing changed.`;
    return { ...base, tag: previous ?? null, previousTag: previous ?? null, changed: false, summary };
  }
  const action = input.remove
    ? `Remove tag "${previous}" from ${quoted}`
    : previous !== undefined
      ? `Replace tag "${previous}" of ${quoted} with "${label}" (Celigo keeps one tag per integration)`
      : `Tag ${quoted} with "${label}"`;
  await mustConfirm(ctx, { action, details: [], digest: digestOf('tag', integration._id, integration.lastModified, previous ?? null, input.remove ? null : label) }, { mutating: true });
  const target = { type: 'integration' as const, id: integration._id };
  const rec = await backup(ctx, [{ ...target, shallow: true }], input.remove ? `remove tag ${previous} from ${integration.name}` : `tag ${integration.name} with ${label}`);
  try {
    if (input.remove) await ctx.api.integrations.unset(integration._id, ['tag'], { signal: ctx.signal });
    else await ctx.api.integrations.patch(integration._id, { tag: label }, { signal: ctx.signal });
  } catch (err) {
    await forgetUnapplied(ctx, rec.id, err);
    throw err;
  }
  // A PATCH answers nothing to record: the read-back is the after-state only when it shows our tag.
  const check = await ctx.api.integrations.get(integration._id, { signal: ctx.signal });
  const now = tagOf(check);
  const stuck = input.remove ? now === undefined : check.tag === label;
  if (stuck) await recordChanged(ctx, rec.id, target, check);
  else await markApplied(ctx, rec.id);
  invalidateNames(ctx.api); // cached integration lists carry the old tag
  if (!stuck) {
    throw new Error(`The tag did not stick: integration ${integration._id} reads back with ${now === undefined ? 'no tag' : `tag "${now}"`}. Backup ${rec.id} holds the state before.`);
  }
  const summary = input.remove
    ? `Removed tag "${previous}" from ${quoted}.`
    : `Tagged ${quoted} with "${label}"` + (previous !== undefined ? ` (replaced "${previous}": Celigo keeps one tag per integration).` : ' (it had no tag).');
  return { ...base, tag: input.remove ? null : label, previousTag: previous ?? null, changed: true, backupId: rec.id, summary };
}


export interface MappingChangeInput {
  op: 'add' | 'change' | 'remove';
  generate: string;
  extract?: string;
  hardCodedValue?: string;
}

export interface UpdateFlowInput {
  flow: string;
  enabled?: boolean;
  schedule?: string;
  name?: string;
}

export interface UpdateFlowResult {
  flowId: string;
  flow: string;
  /** The field changes made ("name: a -> b", "enable", "schedule: …"); empty when none were needed. */
  changed: string[];
  enabled?: boolean;
  schedule?: string;
  backupId?: string;
  /** When disabling: what depends on the flow. */
  dependents?: string;
  summary: string;
  /** nothing: no change was asked for. Absent: ok. */
  outcome?: Outcome;
  next: NextStep[];
}

/** "Enabled flow X." when only enabled was asked for, else "Updated flow X: …". */
function updateSummary(name: string, input: UpdateFlowInput, changed: string[]): string {
  const q = JSON.stringify(name);
  const onlyEnabled = input.enabled !== undefined && input.name === undefined && input.schedule === undefined;
  return onlyEnabled
    ? changed.length ? `${input.enabled ? 'Enabled' : 'Disabled'} flow ${q}.` : `Flow ${q} was already ${input.enabled ? 'enabled' : 'disabled'}.`
    : changed.length ? `Updated flow ${q}: ${changed.join('; ')}.` : `Flow ${q} already has these settings.`;
}

export async function updateFlow(ctx: OpContext, input: UpdateFlowInput): Promise<UpdateFlowResult> {
  // A new name is trimmed (as a new integration's or connection's is); a blank one is refused, never written.
  if (input.name !== undefined) {
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (!name) throw new UsageError('`name` is empty: give the flow\'s new name, or leave name out to keep it.');
    input = { ...input, name };
  }
  const flow = await resolveFlow(ctx.api, input.flow);
  if (input.enabled === undefined && input.schedule === undefined && input.name === undefined) {
    const why = 'to change its field mapping instead';
    return { flowId: flow._id, flow: flow.name, changed: [], summary: 'Nothing to change: ask for a new name, a schedule, or enabling or disabling (field mappings: update_mapping).', outcome: 'nothing', next: [{ op: 'update_mapping', args: { flow: flow._id }, why }] };
  }
  const schedule = input.schedule !== undefined ? (input.schedule.trim() === '' ? '' : normaliseSchedule(input.schedule)) : undefined;
  const fieldChanges: string[] = [];
  if (input.name !== undefined && input.name !== flow.name) fieldChanges.push(`name: "${flow.name}" -> "${input.name}"`);
  if (input.enabled !== undefined && input.enabled === !!flow.disabled) fieldChanges.push(input.enabled ? 'enable' : 'disable');
  if (schedule !== undefined && schedule !== (flow.schedule ?? '')) fieldChanges.push(`schedule: ${flow.schedule ?? '(none)'} -> ${schedule || '(none)'}`);
  if (!fieldChanges.length) {
    return { flowId: flow._id, flow: flow.name, changed: [], enabled: !flow.disabled, ...(flow.schedule ? { schedule: flow.schedule } : {}), summary: updateSummary(flow.name, input, []), next: [] };
  }
  const deps = input.enabled === false ? await checkDependencies(ctx, { type: 'flow', id: flow._id }) : undefined;
  const backupId = await writeFlow(ctx, flow, input, schedule, fieldChanges);
  const updated: Flow = await ctx.api.flows.get(flow._id, { signal: ctx.signal });
  const ok =
    (input.name === undefined || updated.name === input.name) &&
    (input.enabled === undefined || !updated.disabled === input.enabled) &&
    (schedule === undefined || (updated.schedule ?? '') === schedule);
  if (!ok) throw new Error(`Flow ${flow._id} was written but reading it back does not show the change; backup ${backupId} holds it as it was.`);
  if (input.name !== undefined) invalidateNames(ctx.api);
  return compact({
    flowId: flow._id,
    flow: updated.name,
    changed: fieldChanges,
    enabled: !updated.disabled,
    schedule: updated.schedule,
    backupId,
    dependents: deps && deps.inUse ? deps.summary : undefined,
    summary: updateSummary(updated.name, input, fieldChanges),
    next: [],
  });
}

export type ConnectionCreated = {
  id: string;
  name: string;
  type: string;
  /** The test after creating (absent when it was not tested). */
  healthy?: boolean;
  latencyMs?: number;
  error?: string;
  backupId: string;
  /** partial when it was created but failed its test. */
  outcome?: Outcome;
  next?: NextStep[];
};

/** Confirms, backs up and writes the field changes, and notes the written flow in the backup; returns the backup id. */
async function writeFlow(ctx: OpContext, flow: Flow, input: UpdateFlowInput, schedule: string | undefined, fieldChanges: string[]): Promise<string> {
  await mustConfirm(ctx, { action: `Update flow "${flow.name}"`, details: fieldChanges, digest: digestOf('update-flow', flow._id, flow.lastModified, fieldChanges) }, { mutating: true });
  const backupId = (await backup(ctx, [{ type: 'flow', id: flow._id }], `update flow ${flow.name}: ${fieldChanges.join('; ')}`)).id;
  const written = await ctx.api.flows.update(
    flow._id,
    (f) => {
      if (input.name !== undefined) f.name = input.name;
      if (input.enabled !== undefined) f.disabled = !input.enabled;
      if (schedule !== undefined) {
        if (schedule) f.schedule = schedule;
        else delete f.schedule;
      }
    },
    { signal: ctx.signal, expectLastModified: flow.lastModified },
  ).catch(async (err: unknown) => {
    if (ctx.signal?.aborted) throw err;
    await forgetUnapplied(ctx, backupId, err);
    throw gaveUp(err, `Flow "${flow.name}" was NOT changed: writing it failed (${(err as Error).message})`,
      `Nothing was written (${fieldChanges.join('; ')} not applied). ${retryRemedy(err)}`);
  });
  await recordChanged(ctx, backupId, { type: 'flow', id: flow._id }, written);
  return backupId;
}

export async function createConnection(
  ctx: OpContext,
  input: { name: string; type: string; config?: Record<string, unknown>; test?: boolean },
): Promise<ConnectionCreated> {
  if (!(CONNECTION_TYPES as readonly string[]).includes(input.type)) {
    throw new UsageError(`Unknown connection type "${input.type}". Use one of: ${CONNECTION_TYPES.join(', ')}.`);
  }
  const name = input.name.trim();
  if (!name) throw new UsageError('Give the new connection a name.');
  const dup = (await ctx.api.connections.list({}, { signal: ctx.signal })).find((c) => c.name.toLowerCase() === name.toLowerCase());
  if (dup) throw new UsageError(`A connection named "${name}" already exists (${dup._id}); reuse it or choose another name.`);
  await mustConfirm(ctx, { action: `Create ${input.type} connection "${name}"`, details: [], digest: digestOf('create-connection', name, input.type) }, { mutating: true });
  const rec = await backup(ctx, [], `create connection ${name}`);
  const body: Record<string, unknown> = { ...(input.config ?? {}), name, type: input.type };
  const created = await createOnce(ctx, `connection "${name}"`, () => ctx.api.connections.create(body, { signal: ctx.signal }),
    async () => (await ctx.api.connections.list({}, { signal: ctx.signal })).filter((c) => c.name.toLowerCase() === name.toLowerCase()), [])
    .catch(async (err: unknown) => {
      await forgetUnapplied(ctx, rec.id, err);
      throw err;
    });
  await recordCreated(ctx, rec.id, { type: 'connection', id: created._id });
  invalidateNames(ctx.api);
  const test = input.test === false ? undefined : await testConnection(ctx, created._id);
  const failed = !!test && !test.ok;
  return compact<ConnectionCreated>({
    id: created._id,
    name: created.name,
    type: created.type,
    healthy: test?.ok,
    latencyMs: test?.latencyMs,
    error: test && failed ? `${test.errorCode ? test.errorCode + ': ' : ''}${test.message ?? 'failed'}` : undefined,
    backupId: rec.id,
    // Created, but it failed its test: some of it done, some not.
    outcome: failed ? 'partial' : undefined,
    next: failed ? [{ op: 'test_connection', args: { connection: created._id }, why: `after fixing its credentials or settings (${connectionInApp(name)})` }] : undefined,
  });
}
