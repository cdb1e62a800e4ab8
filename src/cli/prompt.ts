// Yes/no questions on the terminal (readline). Without a terminal the CLI never waits for input.
import { createInterface } from 'node:readline';
import { Cancelled } from '../ops/context.js';
import type { ConfirmPlan } from '../ops/context.js';
import type { CliIO } from './io.js';
import { stripControls } from '../core/control-chars.js';
import type { Colors } from './output.js';

/** Reads one line from stdin; resolves undefined at end of input. */
export function readLine(io: CliIO, signal?: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: io.stdin, terminal: false });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      rl.close();
      fn();
    };
    const onAbort = () => finish(() => reject(new Cancelled('Cancelled (Ctrl-C); nothing was changed.')));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    rl.once('line', (line) => finish(() => resolve(line)));
    rl.once('close', () => finish(() => resolve(undefined)));
  });
}

/** Shows what will happen and asks. Without a terminal: refuses (exit 2) and says to pass --yes. */
export async function confirmOnTerminal(io: CliIO, c: Colors, plan: ConfirmPlan, signal?: AbortSignal): Promise<boolean> {
  if (!(io.stdinIsTTY ?? io.isTTY)) {
    throw new Cancelled(`${plan.action}: this needs confirmation and there is no terminal to ask. Nothing was changed. Re-run with --yes to proceed.`);
  }
  const lines = [c.bold(stripControls(plan.action)), ...plan.details.map((d) => `  ${c.dim('-')} ${stripControls(d)}`)];
  io.stderr.write(lines.join('\n') + `\n${c.yellow('?')} Proceed? [y/N] `);
  const answer = await readLine(io, signal);
  if (answer === undefined) io.stderr.write('\n');
  return /^\s*y(es)?\s*$/i.test(answer ?? '');
}
