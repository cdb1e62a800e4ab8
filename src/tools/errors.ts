import { z } from 'zod';
import { defineTool, type ToolDef } from './types.js';
import { listArgs, listResult, tsv, READ } from '../operations/format.js';
const listingOps = () => import('../ops/read/errors.js');
import { RANGE_DESC } from './jobs.js';

export const errorReadTools: ToolDef[] = [
  defineTool({
    name: 'list_errors',
    toolset: 'errors',
    title: 'List errors',
    description: 'Errors of an integration or flow, per step.',
    input: {
      integration: z.string().optional().describe('Integration id/name'),
      flow: z.string().optional().describe('Flow id/name'),
      range: z.string().optional().describe(RANGE_DESC),
      resolved: z.boolean().optional().describe('Resolved, not open'),
      source: z.string().optional().describe('e.g. connection, mapping'),
      ...listArgs(),
    },
    annotations: READ,
    handler: async (a, ctx) => {
      const r = await (await listingOps()).listErrors(ctx, a);
      const page = listResult(a.resolved ? 'resolved errors' : 'open errors', r.errors, a, (await listingOps()).ERROR_FIELDS, ['errorId', 'occurredAt', 'flow', 'step', 'code', 'message', 'retryDataKey']);
      const counts = r.counts.length ? `Per step:\n${tsv(r.counts, ['flow', 'step', 'stepId', 'open', 'lastErrorAt'])}\n` : '';
      return { text: counts + page.text, structured: page.structured };
    },
  }),
] as unknown as ToolDef[];
