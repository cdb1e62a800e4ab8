// Where a CLI run reads and writes. Tests pass a fake (TTY on or off) and run commands in-process.

export interface Out {
  write(chunk: string): unknown;
}

export interface CliIO {
  stdout: Out;
  stderr: Out;
  /** Read for confirmation prompts. */
  stdin: NodeJS.ReadableStream;
  /** stdout is a terminal: tables, colour, progress, prompts. */
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  /** Terminal width for tables and help. */
  columns: number;
  /** stdin is a terminal (prompts possible); defaults to isTTY. */
  stdinIsTTY?: boolean;
  /** stderr is a terminal (progress bars); defaults to isTTY. */
  stderrIsTTY?: boolean;
  /** Aborting this is Ctrl-C (tests). Without it, SIGINT is handled for the duration of the run. */
  signal?: AbortSignal;
}

let pipeGuard = false;

/** `celigo-manage flows list | head`: a reader that goes away early ends the run quietly, not with a stack. */
function guardPipes(): void {
  if (pipeGuard) return;
  pipeGuard = true;
  for (const s of [process.stdout, process.stderr]) {
    s.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
  }
}

export function processIO(): CliIO {
  guardPipes();
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    isTTY: !!process.stdout.isTTY,
    stdinIsTTY: !!process.stdin.isTTY,
    stderrIsTTY: !!process.stderr.isTTY,
    env: process.env,
    columns: process.stdout.columns || process.stderr.columns || 100,
  };
}

export function resolveIO(io?: Partial<CliIO>): CliIO {
  const base = processIO();
  if (!io) return base;
  const merged = { ...base, ...io };
  // A caller that sets isTTY but not the others means "all streams alike".
  if (io.isTTY !== undefined) {
    if (io.stdinIsTTY === undefined) merged.stdinIsTTY = io.isTTY;
    if (io.stderrIsTTY === undefined) merged.stderrIsTTY = io.isTTY;
  }
  if (io.columns === undefined && io.isTTY !== undefined) merged.columns = 100;
  return merged;
}
