// The MCP tool catalogue is data: src/mcp registers it, docs and snapshots are generated from it.
// No MCP SDK import here (design.md §1).
import type { z } from 'zod';
import type { OpContext } from '../ops/context.js';

export type Toolset =
  | 'integrations' | 'flows' | 'connections' | 'jobs' | 'errors' | 'exports' | 'tags' | 'workflows' | 'backups';

export const TOOLSETS: readonly Toolset[] = [
  'integrations', 'flows', 'connections', 'jobs', 'errors', 'exports', 'tags', 'workflows', 'backups',
];

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

export interface ToolResult {
  /** Compact text for the model (a short table or compact JSON). */
  text: string;
  /** Machine-readable result; must match `output` when the tool declares one. */
  structured?: Record<string, unknown>;
  isError?: boolean;
  /** A self-contained HTML view of this result, served as the tool's MCP App (`app.uri`). */
  appHtml?: string;
}

/** An MCP App (a `ui://` HTML resource) that shows the tool's latest result to hosts that support it. */
export interface ToolApp {
  uri: `ui://${string}`;
  title: string;
}

export type ToolContext = OpContext;

export interface ToolDef<S extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  toolset: Toolset;
  title: string;
  description: string;
  input: S;
  output?: z.ZodRawShape;
  annotations: ToolAnnotations;
  app?: ToolApp;
  // Method syntax on purpose: handlers of specific tools stay assignable to ToolDef (bivariant args).
  handler(args: z.infer<z.ZodObject<S>>, ctx: ToolContext): Promise<ToolResult>;
}

/** Keeps the literal input shape so handlers are typed from their schema. */
export function defineTool<S extends z.ZodRawShape>(def: ToolDef<S>): ToolDef<S> {
  return def;
}
