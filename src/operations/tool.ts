// An operation as an MCP tool definition (plain data; src/mcp registers it with the SDK). The outcome
// decides isError and the next steps are written as tool calls the server serves.
import { stripControlsDeep } from '../core/control-chars.js';
import { nextForModel } from './next.js';
import { fitResult } from './fit.js';
import { OUTCOMES, nextOf, outcomeOf } from './outcome.js';
import type { z } from 'zod';
import type { Operation, OperationContext, ToolResult } from './types.js';

export type ToolContext = OperationContext;

/** A tool as src/mcp registers it (plain data; the MCP conformance fixtures are written this way too). */
export interface ToolDef<S extends z.ZodRawShape = z.ZodRawShape> extends Pick<Operation<S>, 'name' | 'toolset' | 'title' | 'description' | 'input' | 'output' | 'annotations' | 'app'> {
  // Method syntax on purpose: handlers of specific tools stay assignable to ToolDef (bivariant args).
  handler(args: z.infer<z.ZodObject<S>>, ctx: ToolContext): Promise<ToolResult>;
}

/** Keeps the literal input shape so a handler is typed from its schema. */
export function defineTool<S extends z.ZodRawShape>(def: ToolDef<S>): ToolDef<S> {
  return def;
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
    async handler(args: Record<string, unknown>, ctx: ToolContext) {
      // A model gets API strings without escape sequences and control characters too (they cost tokens
      // and could reach a terminal from there).
      const result = stripControlsDeep(await op.run(ctx, args as never));
      const shown = op.forModel(result, args as never);
      const next = nextForModel(nextOf(op, result), ctx.serves);
      const tail = next.length ? `\nNext:\n${next.join('\n')}` : '';
      return fitResult({
        ...shown,
        ...(shown.structured ? { structured: servedNext(shown.structured, ctx.serves) } : {}),
        isError: shown.isError ?? OUTCOMES[outcomeOf(op, result)].isError,
      }, !!op.output, tail);
    },
  };
}

/** A structured result's `next` steps, like the text's, name only tools the server serves. */
function servedNext(structured: Record<string, unknown>, serves: ((op: string) => boolean) | undefined): Record<string, unknown> {
  const next = structured.next;
  if (!serves || !Array.isArray(next)) return structured;
  return { ...structured, next: next.filter((s: unknown) => !(s && typeof s === 'object' && 'op' in s) || serves(String((s as { op: unknown }).op))) };
}
