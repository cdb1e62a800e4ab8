// GET /jobs/{id}/errorFile/signedURL (celigo-api.md §6.1, IAD [O]): a signed URL for the file of a job's
// errors, for jobs with more than the 1000 that /joberrors lists. The real file lives on S3 and its format
// is not documented: the emulator serves CSV with a header row and the legacy /joberrors fields (§6.4),
// every error of the job (no cap), at /__emulator/downloads/{token}, which needs no token. The other form
// of `job-error-file` answers 404.
import { iso } from '../clock.js';
import { otherForm } from '../config.js';
import { retryDataKey } from '../ids.js';
import type { JobRec } from '../job-table.js';
import { ApiError, notFound, ok } from '../respond.js';
import { hex8, mix32 } from '../rng.js';
import type { RouteDef } from '../router.js';
import type { Store } from '../store.js';

export const ERROR_FILE_COLUMNS = ['createdAt', 'code', 'message', 'source', 'resolved', '_retryId', '_jobId'] as const;

const cell = (v: string): string => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Every error of a job (a flow job: all its steps; a step job: its own), as CSV lines with a header. */
export function errorFileCsv(store: Store, j: JobRec): string {
  const parent = j.parent ?? j;
  const lines = [ERROR_FILE_COLUMNS.join(',')];
  for (const [stepId, s] of parent._flowId ? store.errors.stepsOf(parent._flowId) ?? [] : []) {
    if (j.parent && stepId !== (j._exportId ?? j._importId)) continue;
    for (const [list, resolved] of [[s.open, false], [s.resolved, true]] as const) {
      for (const e of list) {
        if (e.jobId !== parent._id || (j.parent && e.oIndex !== j.oIndex)) continue;
        lines.push([iso(e.at), e.pattern.code, e.pattern.message, e.pattern.source, String(resolved), retryDataKey(e.id), j._id].map(cell).join(','));
      }
    }
  }
  return lines.join('\n') + '\n';
}

export const jobFileRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: '/jobs/:id/errorFile/signedURL',
    note: 'IAD [O]: {signedURL} to a CSV of every error of the job (format a best guess), served without a token',
    handler: (ctx) => {
      if (otherForm(ctx.config, 'job-error-file')) throw new ApiError(404, 'not_found', `No endpoint GET /v1${ctx.path}.`);
      const j = ctx.store.jobs.get(ctx.params.id);
      if (!j) throw notFound('Job');
      const token = `joberrors-${j._id}-${hex8(mix32(ctx.store.downloads.size + 1))}`;
      ctx.store.downloads.set(token, errorFileCsv(ctx.store, j));
      return ok({ signedURL: `${ctx.origin}/__emulator/downloads/${token}` });
    },
  },
];
