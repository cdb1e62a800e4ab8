// An operation as an MCP tool definition (plain data; src/mcp registers it with the SDK). The outcome
// decides isError and the next steps are written as tool calls the server serves.
import { nextForModel } from './next.js';
import { OUTCOMES, nextOf, outcomeOf } from './outcome.js';
import type { Operation, OperationContext, ToolAnnotations, ToolApp, ToolResult, Toolset } from './types.js';

export interface ToolDef {
  name: string;
  toolset: Toolset;
  title: string;
  description: string;
  input: Operation['input'];
  output?: Operation['output'];
  annotations: ToolAnnotations;
  app?: ToolApp;
  // Method syntax on purpose: handlers of specific tools stay assignable to ToolDef (bivariant args).
  handler(args: Record<string, unknown>, ctx: OperationContext): Promise<ToolResult>;
}

export function toolOf(op: Operation): ToolDef {
  return {
    name: op.name,
    toolset: op.toolset,
    title: op.title,
    description: op.description,
    input: op.input,
    ...(op.output ? { output: op.output } : {}),
    annotations: op.annotations,
    ...(op.app ? { app: op.app } : {}),
    async handler(args, ctx) {
      const result = await op.run(ctx, args as never);
      const shown = op.forModel(result, args as never);
      const next = nextForModel(nextOf(op, result), ctx.serves);
      return {
        ...shown,
        text: next.length ? `${shown.text}\nNext:\n${next.join('\n')}` : shown.text,
        isError: shown.isError ?? OUTCOMES[outcomeOf(op, result)].isError,
      };
    },
  };
}
