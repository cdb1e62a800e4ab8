// The whole catalogue, in toolset order. src/mcp registers it; docs and snapshots are generated from it.
import type { ToolDef } from './types.js';
import { flowReadTools } from './flows.js';
import { OPERATIONS } from '../operations/index.js';
import { toolOf } from '../operations/tool.js';
import { changeTools } from './changes.js';
import { workflowTools } from './workflows.js';
import { backupTools } from './backups.js';
import { TOOLSETS } from './types.js';

let all: ToolDef[] | undefined;

export function catalogue(): ToolDef[] {
  if (!all) {
    const tools = [
      ...flowReadTools,
      ...(OPERATIONS.map(toolOf) as unknown as ToolDef[]),
      ...changeTools,
      ...workflowTools,
      ...backupTools,
    ];
    all = tools.sort((a, b) => TOOLSETS.indexOf(a.toolset) - TOOLSETS.indexOf(b.toolset));
  }
  return all;
}

export { prompts } from './prompts.js';
