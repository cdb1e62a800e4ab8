// Progress on stderr for work that takes more than a second: a cli-progress bar when the op reports a
// total, a spinner otherwise. Nothing at all when stderr is not a terminal.
import { createRequire } from 'node:module';
import type { Progress } from '../ops/context.js';
import type { CliIO } from './io.js';
import { stripControls } from '../core/control-chars.js';

export interface ProgressUI {
  report(p: Progress): void;
  /** Clears the bar or spinner; safe to call many times. Output is written only after this. */
  stop(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

interface Bar {
  start(total: number, value: number, payload?: Record<string, unknown>): void;
  update(value: number, payload?: Record<string, unknown>): void;
  setTotal(total: number): void;
  stop(): void;
}

export const NO_PROGRESS: ProgressUI = { report() {}, stop() {} };

export function createProgress(io: CliIO, enabled: boolean, delayMs = 1000): ProgressUI {
  if (!enabled) return NO_PROGRESS;
  const write = (s: string) => io.stderr.write(s);
  let latest: Progress = { done: 0, message: 'Working…' };
  let visible = false;
  let stopped = false;
  let spinner: NodeJS.Timeout | undefined;
  let bar: Bar | undefined;
  let frame = 0;
  const width = Math.max(40, io.columns || 80);

  const clip = (s: string) => (s.length > width - 4 ? s.slice(0, width - 5) + '…' : s);
  const drawSpinner = () => {
    const counts = latest.total === undefined && latest.done ? ` (${latest.done})` : '';
    write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${clip((latest.message ?? 'Working…') + counts)}`);
  };
  const startBar = () => {
    if (spinner) clearInterval(spinner);
    spinner = undefined;
    write('\r\x1b[2K');
    const { SingleBar } = createRequire(import.meta.url)('cli-progress') as { SingleBar: new (o: Record<string, unknown>) => Bar };
    bar = new SingleBar({
      stream: { isTTY: true, columns: width, write: (s: string) => write(s), on() {}, removeListener() {} },
      format: '{bar} {value}/{total} {message}',
      barsize: Math.min(30, Math.floor(width / 4)),
      hideCursor: false,
      clearOnComplete: true,
      linewrap: false,
      fps: 10,
    });
    bar.start(latest.total ?? 0, latest.done, { message: clip(latest.message ?? '') });
  };
  const show = () => {
    if (stopped || visible) return;
    visible = true;
    if (latest.total !== undefined) startBar();
    else {
      drawSpinner();
      spinner = setInterval(drawSpinner, 100);
      spinner.unref?.();
    }
  };
  const timer = setTimeout(show, delayMs);
  timer.unref?.();

  return {
    report(p) {
      if (stopped) return;
      latest = { ...latest, ...p, message: p.message !== undefined ? stripControls(p.message) : latest.message };
      if (!visible) return;
      if (latest.total !== undefined && !bar) startBar();
      else if (bar) {
        if (latest.total !== undefined) bar.setTotal(latest.total);
        bar.update(latest.done, { message: clip(latest.message ?? '') });
      }
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      if (spinner) clearInterval(spinner);
      if (bar) bar.stop();
      if (visible) write('\r\x1b[2K');
    },
  };
}
