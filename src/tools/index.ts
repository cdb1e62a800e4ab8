// The whole catalogue, in toolset order. src/mcp registers it; docs and snapshots are generated from it.
import type { ToolDef } from './types.js';
import { integrationTools } from './integrations.js';
import { flowReadTools } from './flows.js';
import { connectionReadTools } from './connections.js';
import { jobReadTools } from './jobs.js';
import { errorReadTools } from './errors.js';
import { exportReadTools } from './exports.js';
import { OPERATIONS } from '../operations/index.js';
import { toolOf } from '../operations/tool.js';
import { changeTools } from './changes.js';
import { workflowTools } from './workflows.js';
import { TOOLSETS } from './types.js';

let all: ToolDef[] | undefined;

export function catalogue(): ToolDef[] {
  if (!all) {
    const tools = [
      ...integrationTools,
      ...flowReadTools,
      ...connectionReadTools,
      ...jobReadTools,
      ...errorReadTools,
      ...exportReadTools,
      ...(OPERATIONS.map(toolOf) as unknown as ToolDef[]),
      ...changeTools,
      ...workflowTools,
    ];
    all = tools.sort((a, b) => TOOLSETS.indexOf(a.toolset) - TOOLSETS.indexOf(b.toolset));
  }
  return all;
}

export { prompts } from './prompts.js';
