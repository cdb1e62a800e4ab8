// The basic mutating tools of every toolset. Workflows (bulk retry, health, …) live in workflows.ts.
import { z } from 'zod';
import { defineTool, type ToolDef } from './types.js';
import { idOrName, json } from '../operations/format.js';
const changesOps = () => import('../ops/changes.js');
const runOps = () => import('../ops/run.js');

const CREATE = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true } as const;
const confirm = z.string().optional().describe('Preview token');

function done(heading: string, r: object) {
  return { text: `${heading}\n${json(r)}`, structured: r as Record<string, unknown> };
}

export const changeTools: ToolDef[] = [
  defineTool({
    name: 'update_flow',
    toolset: 'flows',
    title: 'Update a flow',
    description: 'Enable/disable, schedule, rename, remap; backed up.',
    input: {
      flow: idOrName('Flow'),
      enabled: z.boolean().optional().describe('Enable or disable'),
      schedule: z.string().optional().describe('Cron "? 0 2 ? * *"; "" removes'),
      name: z.string().optional().describe('New name'),
      import: z.string().optional().describe('Import, if several'),
      mappingChanges: z
        .array(
          z.object({
            op: z.enum(['add', 'change', 'remove']).describe('Op'),
            generate: z.string().describe('Target field'),
            extract: z.string().optional().describe('Source field'),
            hardCodedValue: z.string().optional().describe('Constant'),
          }),
        )
        .optional()
        .describe('Mapping changes'),
      confirm,
    },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    handler: async (a, ctx) => done('Updated.', await (await changesOps()).updateFlow(ctx, a)),
  }),
  defineTool({
    name: 'trigger_flow_run',
    toolset: 'flows',
    title: 'Run a flow',
    description: 'Run a flow; wait: follow it to the end.',
    input: {
      flow: idOrName('Flow'),
      wait: z.boolean().optional().describe('Follow to the end'),
      timeoutSec: z.number().int().optional().describe('Max wait, default 600'),
    },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    handler: async (a, ctx) => {
      const r = await (await runOps()).runFlow(ctx, { flow: a.flow, wait: a.wait, timeoutMs: a.timeoutSec ? a.timeoutSec * 1000 : undefined });
      return done(`Flow ${r.flowName}: job ${r.jobId} ${r.status}.`, r);
    },
  }),
] as unknown as ToolDef[];
