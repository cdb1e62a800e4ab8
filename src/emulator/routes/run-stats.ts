// POST /flows/runs/stats (celigo-api.md W16): the run statistics Celigo's own account dashboard reads in
// one call. Body {sandbox?, time_gt (epoch ms, required), time_lte?, _integrationIds?, _flowIds?} ->
// {stats:[…]}. Whether a row is one flow's aggregate or one run is not settled: the expected form (what
// Celigo's audit prompt reads) is one row per flow with numRuns, numSuccess, numError, numIgnore,
// numOpenError and lastExecutedAt over its finished flow jobs in the range; the other form of `run-stats`
// answers one row per finished run. Running jobs are not counted (the dashboard reads them from
// POST /jobs/current). The paging of this POST is unknown: the emulator answers every row at once.
import { z } from 'zod';
import { iso } from '../clock.js';
import { otherForm } from '../config.js';
import type { JobRec } from '../job-table.js';
import { ok } from '../respond.js';
import type { RouteDef } from '../router.js';
import { validateBody } from '../validate.js';

const statsBody = z.looseObject({
  sandbox: z.boolean().optional(),
  time_gt: z.number({ error: 'is required: the start of the range, in epoch milliseconds' }),
  time_lte: z.number().optional(),
  _integrationIds: z.array(z.string()).optional(),
  _flowIds: z.array(z.string()).optional(),
});

const FINISHED = new Set(['completed', 'failed', 'canceled']);

function runRow(j: JobRec): Record<string, unknown> {
  return {
    _jobId: j._id,
    _flowId: j._flowId,
    ...(j._integrationId ? { _integrationId: j._integrationId } : {}),
    status: j.status,
    ...(j.startedAt !== undefined ? { startedAt: iso(j.startedAt) } : {}),
    ...(j.endedAt !== undefined ? { endedAt: iso(j.endedAt) } : {}),
    numSuccess: j.numSuccess,
    numError: j.numError,
    numIgnore: j.numIgnore,
    numOpenError: j.numOpenError,
    lastExecutedAt: iso(j.endedAt ?? j.lastModified),
  };
}

function flowRows(runs: JobRec[]): Record<string, unknown>[] {
  const byFlow = new Map<string, { row: Record<string, number | string>; last: number }>();
  for (const j of runs) {
    let at = byFlow.get(j._flowId!);
    if (!at) {
      const row: Record<string, number | string> = { _flowId: j._flowId! };
      if (j._integrationId) row._integrationId = j._integrationId;
      Object.assign(row, { numRuns: 0, numSuccess: 0, numError: 0, numIgnore: 0, numOpenError: 0 });
      byFlow.set(j._flowId!, (at = { row, last: 0 }));
    }
    const r = at.row as Record<string, number>;
    r.numRuns! += 1;
    r.numSuccess! += j.numSuccess;
    r.numError! += j.numError;
    r.numIgnore! += j.numIgnore;
    r.numOpenError! += j.numOpenError;
    at.last = Math.max(at.last, j.endedAt ?? j.lastModified);
  }
  return [...byFlow.values()].map(({ row, last }) => ({ ...row, lastExecutedAt: iso(last) }));
}

export const runStatsRoutes: RouteDef[] = [
  {
    method: 'POST',
    path: '/flows/runs/stats',
    note: 'W16: {time_gt (epoch ms), time_lte?, _integrationIds?, _flowIds?} -> {stats:[one row per flow: numRuns, numSuccess, numError, numIgnore, numOpenError, lastExecutedAt]}; other form: one row per run',
    handler: (ctx) => {
      const b = validateBody(statsBody, ctx.body ?? undefined);
      const integrations = b._integrationIds ? new Set(b._integrationIds) : undefined;
      const flows = b._flowIds ? new Set(b._flowIds) : undefined;
      const runs = ctx.store.jobs.all.filter(
        (j) =>
          j.type === 'flow' &&
          j._flowId !== undefined &&
          FINISHED.has(j.status) &&
          j.createdAt > b.time_gt &&
          (b.time_lte === undefined || j.createdAt <= b.time_lte) &&
          (!integrations || (j._integrationId !== undefined && integrations.has(j._integrationId))) &&
          (!flows || flows.has(j._flowId)),
      );
      const stats = otherForm(ctx.config, 'run-stats') ? runs.map(runRow) : flowRows(runs);
      return ok({ stats });
    },
  },
];
