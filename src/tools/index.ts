// The whole catalogue, in toolset order. src/mcp registers it; docs and snapshots are generated from it.
import type { ToolDef } from './types.js';
import { OPERATIONS } from '../operations/index.js';
import { toolOf } from '../operations/tool.js';
import { workflowTools } from './workflows.js';
import { backupTools } from './backups.js';
import { TOOLSETS } from './types.js';

let all: ToolDef[] | undefined;

export function catalogue(): ToolDef[] {
  if (!all) {
    const tools = [
      ...(OPERATIONS.map(toolOf) as unknown as ToolDef[]),
      ...workflowTools,
      ...backupTools,
    ];
    all = tools.sort((a, b) => TOOLSETS.indexOf(a.toolset) - TOOLSETS.indexOf(b.toolset));
  }
  return all;
}

export { prompts } from './prompts.js';
