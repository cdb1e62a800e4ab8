// An operation typed from its own input, as an entry of Operation[] (the table). Operation<S> is
// invariant in S (`input: S` reads it, `cli.args`/`cli.flags` take `keyof S`), so a typed declaration
// does not go into Operation[] as it is; a fresh object with the same members does, member by member.
import type { z } from 'zod';
import type { Operation } from './types.js';

export function widen<S extends z.ZodRawShape, R>(op: Operation<S, R>): Operation {
  const { cli, ...rest } = op;
  return { ...rest, cli };
}
