// A backup record's row of the change log (issue 18): who made the change, when, what, on which account,
// each object's content before (by digest) and what our writes produced (item.afterDigests).
import type { BackupRecord } from '../../store/record.js';
import type { ChangeRow } from '../../store/types.js';
import { contentDigest } from './content.js';

export function changeOf(rec: BackupRecord): ChangeRow {
  const row: ChangeRow = {
    backupId: rec.id,
    at: rec.createdAt,
    subject: rec.by?.subject ?? 'unknown',
    via: rec.by?.via ?? 'unknown',
    operation: rec.reason,
    baseUrl: rec.baseUrl,
    applied: rec.applied ?? false,
    before: rec.items.map((i) => ({ type: i.type, id: i.id, ...(i.name !== undefined ? { name: i.name } : {}), ...(i.data !== undefined && !i.missing && i.type !== 'connectionRef' ? { digest: contentDigest(i.type, i.data) } : {}) })),
    after: rec.items.filter((i) => i.afterDigests?.length).map((i) => ({ type: i.type, id: i.id, digests: i.afterDigests! })),
    created: rec.created.map(({ type, id, name }) => ({ type, id, ...(name !== undefined ? { name } : {}) })),
    deleted: (rec.deleted ?? []).map(({ type, id, name }) => ({ type, id, ...(name !== undefined ? { name } : {}) })),
  };
  if (rec.tool) row.tool = rec.tool;
  if (rec.by?.name) row.name = rec.by.name;
  return row;
}
