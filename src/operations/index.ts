// Every operation, in toolset order: the MCP catalogue, the CLI command table, the README tool table and
// shell completion are all derived from this list. A new operation is one declaration in a noun file.
import type { Operation } from './types.js';
import { TOOLSETS } from './types.js';
import { backupOperations } from './backups.js';
import { connectionOperations } from './connections.js';
import { editOperations } from './edit.js';
import { errorOperations } from './errors.js';
import { exportOperations } from './exports.js';
import { flowOperations } from './flows.js';
import { healthOperations } from './health.js';
import { integrationOperations } from './integrations.js';
import { promoteOperations } from './promote.js';
import { resourceOperations } from './resources.js';
import { jobOperations } from './jobs.js';
import { mappingOperations } from './mapping.js';
import { tagOperations } from './tags.js';
import { troubleshootOperations } from './troubleshoot.js';

export const OPERATIONS: readonly Operation[] = [
  ...integrationOperations,
  ...promoteOperations,
  ...resourceOperations,
  ...flowOperations,
  ...mappingOperations,
  ...connectionOperations,
  ...jobOperations,
  ...errorOperations,
  ...exportOperations,
  ...tagOperations,
  ...healthOperations,
  ...troubleshootOperations,
  ...backupOperations,
  ...editOperations,
].sort((a, b) => TOOLSETS.indexOf(a.toolset) - TOOLSETS.indexOf(b.toolset));

let byName: Map<string, Operation> | undefined;

/** Operations by name (for next steps). */
export function operationMap(): ReadonlyMap<string, Operation> {
  byName ??= new Map(OPERATIONS.map((o) => [o.name, o]));
  return byName;
}
