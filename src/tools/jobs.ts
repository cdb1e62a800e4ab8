import { z } from 'zod';
import { defineTool, type ToolDef } from './types.js';
import { listArgs, listResult, objectResult, READ } from '../operations/format.js';
const listingOps = () => import('../ops/read/jobs.js');

export const RANGE_DESC = 'ISO, A..B, yesterday, last 24 hours…';

export const jobReadTools: ToolDef[] = [
  defineTool({
    name: 'list_jobs',
    toolset: 'jobs',
    title: 'List jobs',
    description: 'Flow runs, newest first (default last 24 h).',
    input: {
      range: z.string().optional().describe(RANGE_DESC),
      status: z.enum(['queued', 'running', 'completed', 'failed', 'canceled', 'retrying']).optional().describe('Status'),
      integration: z.string().optional().describe('Integration id/name'),
      flow: z.string().optional().describe('Flow id/name'),
      type: z.enum(['flow', 'retry', 'bulk_retry']).optional().describe('Default flow'),
      ...listArgs(),
    },
    annotations: READ,
    handler: async (a, ctx) => listResult('jobs', await (await listingOps()).listJobs(ctx, a), a, (await listingOps()).JOB_FIELDS, ['id', 'status', 'flow', 'createdAt', 'durationMs', 'success', 'errors', 'openErrors']),
  }),
  defineTool({
    name: 'get_job',
    toolset: 'jobs',
    title: 'Get a job',
    description: 'A job: steps, counts, its open errors.',
    input: { job: z.string().describe('Job id') },
    annotations: READ,
    handler: async (a, ctx) => {
      const r = await (await listingOps()).getJob(ctx, a.job);
      return objectResult(`Job ${r.job.id}: ${r.job.status}, ${r.totalErrors} open error(s) from this job.`, r);
    },
  }),
] as unknown as ToolDef[];
