// An operation as an entry of the operation table (Operation[]).
import type { z } from 'zod';
import type { CliSurface, Operation } from './types.js';

/**
 * Operation<S, R> as Operation. TypeScript measures CliSurface<S> as contravariant in S (its `args` are
 * `keyof S`), so an operation with a non-empty input is not assignable to Operation although it is
 * structurally one; rebuilding the surfaces lets the compiler check every part instead.
 */
export function tableEntry<S extends z.ZodRawShape, R>(op: Operation<S, R>): Operation {
  const { cli, ...rest } = op;
  const surfaces: CliSurface[] = (Array.isArray(cli) ? cli : [cli]).map(({ args, ...s }) => ({ ...s, ...(args ? { args: [...args] } : {}) }));
  return { ...rest, cli: surfaces.length === 1 ? surfaces[0]! : surfaces };
}
