// The MCP catalogue: every operation as a tool definition, in toolset order, and the prompts. src/mcp
// registers it; the README tool table and the tool snapshots are generated from it.
import { OPERATIONS } from './index.js';
import { toolOf, type ToolDef } from './tool.js';

let all: ToolDef[] | undefined;

export function catalogue(): ToolDef[] {
  all ??= OPERATIONS.map(toolOf);
  return all;
}

export { prompts } from './prompts.js';
