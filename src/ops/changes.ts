// Simple changes behind the basic tools and commands: create, clone, tag, update a flow, create a
// connection. Each one backs up first (ops/backups.ts), writes by read-modify-write, and reads back.
import type { OpContext } from './context.js';
import { backup, recordCreated, recordChanged } from './backups.js';
import { mustConfirm } from './confirm.js';
import { checkDependencies } from './dependencies.js';
import { updateMapping } from './mapping.js';
import { resolveIntegration, resolveFlow, resolveTag, invalidateNames } from './resolve.js';
import { readTagMap, writeTagMap } from './tags.js';
import { SCHEDULE, CONNECTION_TYPES, INTEGRATION_TAGS_STATE_KEY, type Flow } from '../core/schemas.js';
import { UsageError } from '../core/errors.js';
import { compact } from './project.js';
import { createOnce, gaveUp, testConnection } from './util.js';

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
    async () => (await ctx.api.integrations.list({}, { signal: ctx.signal })).filter((i) => i.name.toLowerCase() === name.toLowerCase()), []);
  await recordCreated(ctx, rec.id, { type: 'integration', id: created._id });
  invalidateNames(ctx.api);
  return { id: created._id, name: created.name, backupId: rec.id };
}

// Cloning follows Celigo's preview -> connectionMap -> component list protocol; it lives in clone.ts.
export { cloneIntegration } from './clone.js';

/** Tags an integration: creates the tag in /tags if new, then updates the account's tag map in state. */
export async function addTagToIntegration(ctx: OpContext, input: { integration: string; tag: string }) {
  const integration = await resolveIntegration(ctx.api, input.integration);
  const label = input.tag.trim();
  if (!label) throw new UsageError('Give a tag, e.g. "critical".');
  let tag = await resolveTag(ctx.api, label).catch((e) => {
    if (e instanceof UsageError && !e.candidates) return undefined;
    throw e;
  });
  if (tag && tag.tag.toLowerCase() !== label.toLowerCase()) tag = undefined; // a substring match is not the same tag
  await mustConfirm(ctx, { action: `Tag "${integration.name}" with "${label}"`, details: [], digest: digestOf('tag', integration._id, label) }, { mutating: true });
  const rec = await backup(ctx, [{ type: 'state', id: INTEGRATION_TAGS_STATE_KEY }], `tag ${integration.name} with ${label}`);
  if (!tag) {
    tag = await createOnce(ctx, `tag "${label}"`, () => ctx.api.tags.create({ tag: label }, { signal: ctx.signal }),
      async () => (await ctx.api.tags.list({}, { signal: ctx.signal })).filter((t) => t.tag.toLowerCase() === label.toLowerCase()), []);
    await recordCreated(ctx, rec.id, { type: 'tag', id: tag._id });
  }
  const map = await readTagMap(ctx.api, ctx.signal);
  const ids = new Set(map[integration._id] ?? []);
  const already = ids.has(tag._id);
  ids.add(tag._id);
  map[integration._id] = [...ids];
  if (!already) await writeTagMap(ctx.api, map, ctx.signal);
  const check = await readTagMap(ctx.api, ctx.signal);
  await recordChanged(ctx, rec.id, { type: 'state', id: INTEGRATION_TAGS_STATE_KEY }, check);
  if (!(check[integration._id] ?? []).includes(tag._id)) throw new Error('The tag did not stick: the account\'s tag map does not show it after writing.');
  return { integration: integration.name, integrationId: integration._id, tag: tag.tag, tagId: tag._id, alreadyTagged: already, backupId: rec.id };
}

/** Accepts Celigo's 6-field form ("? 0 2 ? * *") or a 5-field cron, which gets the leading "?". */
export function normaliseSchedule(s: string): string {
  const t = s.trim().replace(/\s+/g, ' ');
  if (SCHEDULE.test(t)) return t;
  if (t.split(' ').length === 5) return `? ${t}`;
  throw new UsageError(`Invalid schedule "${s}". Use a cron such as "? 0 2 ? * *" (6 fields, first "?") or "0 2 * * *" (5 fields).`);
}

export interface MappingChangeInput {
  op: 'add' | 'change' | 'remove';
  generate: string;
  extract?: string;
  hardCodedValue?: string;
}

export async function updateFlow(
  ctx: OpContext,
  input: { flow: string; enabled?: boolean; schedule?: string; name?: string; import?: string; mappingChanges?: MappingChangeInput[] },
) {
  const flow = await resolveFlow(ctx.api, input.flow);
  const schedule = input.schedule !== undefined ? (input.schedule.trim() === '' ? '' : normaliseSchedule(input.schedule)) : undefined;
  const fieldChanges: string[] = [];
  if (input.name !== undefined && input.name !== flow.name) fieldChanges.push(`name: "${flow.name}" -> "${input.name}"`);
  if (input.enabled !== undefined && input.enabled === !!flow.disabled) fieldChanges.push(input.enabled ? 'enable' : 'disable');
  if (schedule !== undefined && schedule !== (flow.schedule ?? '')) fieldChanges.push(`schedule: ${flow.schedule ?? '(none)'} -> ${schedule || '(none)'}`);
  const hasMapping = !!input.mappingChanges?.length;
  if (!fieldChanges.length && !hasMapping) {
    return { flowId: flow._id, flow: flow.name, changed: [], note: 'Nothing to change: the flow already has these settings.' };
  }
  const deps = input.enabled === false ? await checkDependencies(ctx, { type: 'flow', id: flow._id }) : undefined;
  let backupId: string | undefined;
  let updated: Flow = flow;
  if (fieldChanges.length) {
    await mustConfirm(ctx, { action: `Update flow "${flow.name}"`, details: fieldChanges, digest: digestOf('update-flow', flow._id, flow.lastModified, fieldChanges) }, { mutating: true });
    backupId = (await backup(ctx, [{ type: 'flow', id: flow._id }], `update flow ${flow.name}: ${fieldChanges.join('; ')}`)).id;
    updated = await ctx.api.flows.update(
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
    ).catch((err: unknown) => {
      throw ctx.signal?.aborted ? err : gaveUp(err, `Flow "${flow.name}" was NOT changed: writing it failed (${(err as Error).message})`,
        `Nothing was written (${fieldChanges.join('; ')} not applied${hasMapping ? ', mapping not changed' : ''}). Try update_flow again in a few minutes.`);
    });
    const check = await ctx.api.flows.get(flow._id, { signal: ctx.signal });
    await recordChanged(ctx, backupId, { type: 'flow', id: flow._id }, check);
    const ok =
      (input.name === undefined || check.name === input.name) &&
      (input.enabled === undefined || !check.disabled === input.enabled) &&
      (schedule === undefined || (check.schedule ?? '') === schedule);
    if (!ok) throw new Error(`Flow ${flow._id} was written but reading it back does not show the change; restore with restore_backup ${backupId}.`);
    if (input.name !== undefined) invalidateNames(ctx.api);
    updated = check;
  }
  const mapping = hasMapping
    ? await updateMapping(ctx, { flow: flow._id, import: input.import, changes: input.mappingChanges! })
    : undefined;
  return compact({
    flowId: flow._id,
    flow: updated.name,
    changed: fieldChanges,
    enabled: !updated.disabled,
    schedule: updated.schedule,
    backupId,
    dependents: deps && deps.inUse ? deps.summary : undefined,
    mapping,
  });
}

export async function createConnection(
  ctx: OpContext,
  input: { name: string; type: string; config?: Record<string, unknown>; test?: boolean },
) {
  if (!(CONNECTION_TYPES as readonly string[]).includes(input.type)) {
    throw new UsageError(`Unknown connection type "${input.type}". Use one of: ${CONNECTION_TYPES.join(', ')}.`);
  }
  const name = input.name.trim();
  const dup = (await ctx.api.connections.list({}, { signal: ctx.signal })).find((c) => c.name.toLowerCase() === name.toLowerCase());
  if (dup) throw new UsageError(`A connection named "${name}" already exists (${dup._id}); reuse it or choose another name.`);
  await mustConfirm(ctx, { action: `Create ${input.type} connection "${name}"`, details: [], digest: digestOf('create-connection', name, input.type) }, { mutating: true });
  const rec = await backup(ctx, [], `create connection ${name}`);
  const body: Record<string, unknown> = { ...(input.config ?? {}), name, type: input.type };
  const created = await createOnce(ctx, `connection "${name}"`, () => ctx.api.connections.create(body, { signal: ctx.signal }),
    async () => (await ctx.api.connections.list({}, { signal: ctx.signal })).filter((c) => c.name.toLowerCase() === name.toLowerCase()), []);
  await recordCreated(ctx, rec.id, { type: 'connection', id: created._id });
  invalidateNames(ctx.api);
  const test = input.test === false ? undefined : await testConnection(ctx, created._id);
  return compact({
    id: created._id,
    name: created.name,
    type: created.type,
    healthy: test?.ok,
    latencyMs: test?.latencyMs,
    error: test && !test.ok ? `${test.errorCode ? test.errorCode + ': ' : ''}${test.message ?? 'failed'}` : undefined,
    backupId: rec.id,
    next: test && !test.ok ? 'Fix the credentials or settings, then run test_connection again.' : undefined,
  });
}
