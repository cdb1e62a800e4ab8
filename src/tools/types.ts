// Legacy catalogue types, while the tools move into src/operations (one declaration per operation).
import type { z } from 'zod';
import type { OperationContext, ToolAnnotations, ToolApp, ToolResult, Toolset } from '../operations/types.js';

export { TOOLSETS } from '../operations/types.js';
export type { ToolAnnotations, ToolApp, ToolResult, Toolset };

export type ToolContext = OperationContext;

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
