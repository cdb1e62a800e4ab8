// The backups toolset: every change celigo-manage makes is backed up first; these list, diff and undo.
import { z } from 'zod';
const backupsOps = async () => ({ ...(await import('../ops/backups/store.js')), ...(await import('../ops/backups/diff.js')), ...(await import('../ops/backups/restore.js')) });
import { truncate } from '../ops/util.js';
import { json, tsv } from '../operations/format.js';
import { defineTool, type ToolDef } from './types.js';

const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;

export const backupTools: ToolDef[] = [
  defineTool({
    name: 'list_backups',
    toolset: 'backups',
    title: 'List backups',
    description: 'Local backups taken before each change, newest first.',
    input: {
      target: z.string().optional().describe('Resource id or name'),
      limit: z.number().int().min(1).max(200).optional().describe('Max rows (default 50)'),
    },
    annotations: READ_ONLY,
    handler: async (a, ctx) => {
      const r = await (await backupsOps()).listBackups(ctx, a);
      const head = r.total === 0 ? 'No backups yet.' : `Showing ${r.backups.length} of ${r.total} backups.`;
      const rows = r.backups.map((b) => ({ id: b.id, createdAt: b.createdAt, reason: truncate(b.reason, 100), objects: b.items, created: b.created }));
      return { text: rows.length ? `${head}\n${tsv(rows)}` : head, structured: { total: r.total, truncated: r.backups.length < r.total, backups: r.backups } };
    },
  }),
  defineTool({
    name: 'diff_backup',
    toolset: 'backups',
    title: 'Diff a backup',
    description: 'What changed in the account since a backup, field by field.',
    input: { id: z.string().min(1).describe('Backup id') },
    annotations: { ...READ_ONLY, openWorldHint: true },
    handler: async (a, ctx) => {
      const r = await (await backupsOps()).diffBackup(ctx, a.id);
      const changed = r.items.filter((i) => i.status !== 'unchanged');
      const rows = changed.flatMap((i) =>
        i.changes.length
          ? i.changes.slice(0, 10).map((c) => ({ object: `${i.type} ${i.name ?? i.id}`, status: i.status, byOthers: i.changedByOthers, path: c.path, before: truncate(json(c.before), 80), after: truncate(json(c.after), 80) }))
          : [{ object: `${i.type} ${i.name ?? i.id}`, status: i.status, byOthers: i.changedByOthers }],
      );
      const created = r.created.filter((c) => c.exists);
      return {
        text: [r.summary, rows.length ? tsv(rows) : '', created.length ? `Created since (restore deletes them): ${created.map((c) => `${c.type} ${c.name ?? c.id}`).join(', ')}` : '']
          .filter(Boolean)
          .join('\n'),
        structured: r as unknown as Record<string, unknown>,
      };
    },
  }),
  defineTool({
    name: 'restore_backup',
    toolset: 'backups',
    title: 'Restore a backup',
    description: 'Undo a change: restore objects from a backup, delete what it created. Refuses others\' later edits unless force.',
    input: {
      id: z.string().min(1).describe('Backup id'),
      force: z.boolean().optional().describe("Overwrite others' later changes"),
      confirm: z.string().optional().describe('Preview token'),
    },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    handler: async (a, ctx) => {
      const r = await (await backupsOps()).restoreBackup(ctx, a);
      const text = [
        r.summary,
        r.skipped.length ? `Skipped:\n- ${r.skipped.map((s) => `${s.type} ${s.name ?? s.id}: ${s.reason}`).join('\n- ')}` : '',
        r.problems.length ? `Problems:\n- ${r.problems.join('\n- ')}` : '',
      ]
        .filter(Boolean)
        .join('\n');
      return { text, structured: r as unknown as Record<string, unknown>, ...(r.problems.length ? { isError: true } : {}) };
    },
  }),
] as unknown as ToolDef[];
