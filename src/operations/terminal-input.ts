// An operation whose command takes more than its tool. The framework derives a command's flags from the
// operation's input, which is also the tool's input; the default tools/list (20,000 bytes) has no room for
// inputs only a terminal needs (--no-errors, --connection source=target, --remove, a spec file). Such an
// operation is declared once with the terminal's input; toolView gives its tool: the same operation (run,
// presenters, outcome, next steps, command surface) with the tool's narrower input. The tool's values must
// fit the terminal's input (checked by the types), so the one `run` serves both.
import type { z } from 'zod';
import { entry, type Operation } from './types.js';

/** S, when every input S accepts is also an input of W; otherwise never (a type error at the call). */
type Fits<S extends z.ZodRawShape, W extends z.ZodRawShape> = z.infer<z.ZodObject<S>> extends z.infer<z.ZodObject<W>> ? S : never;

/** The tool of an operation declared with its terminal input: the same operation with the tool's input. */
export function toolView<S extends z.ZodRawShape, W extends z.ZodRawShape, R>(input: S & Fits<S, W>, op: Operation<W, R>): Operation {
  return { ...entry(op), input, terminalInput: op.terminalInput ?? op.input };
}
