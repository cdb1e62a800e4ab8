// Runs the CLI in-process with fake streams: a terminal (tables, colour, prompts) or a pipe.
import { PassThrough } from 'node:stream';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  tty?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Lines typed at the prompt. */
  input?: string;
  columns?: number;
  signal?: AbortSignal;
  /** Called with the stderr text so far each time something is written (e.g. to answer a prompt). */
  onStderr?: (text: string, stdin: PassThrough) => void;
}

/** A fresh CELIGO_MANAGE_HOME per call unless the env gives one, so backups and profiles never leak. */
export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'celigo-cli-'));
}

export async function run(argv: string[], o: RunOptions = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const stdin = new PassThrough();
  if (o.input !== undefined) stdin.end(o.input);
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, CELIGO_MANAGE_HOME: tempHome(), ...o.env };
  const code = await main(argv, {
    stdout: { write: (s: string) => ((stdout += s), true) },
    stderr: {
      write: (s: string) => {
        stderr += s;
        o.onStderr?.(stderr, stdin);
        return true;
      },
    },
    stdin,
    isTTY: !!o.tty,
    env,
    columns: o.columns ?? 120,
    signal: o.signal ?? new AbortController().signal,
  });
  return { code, stdout, stderr };
}

// eslint-disable-next-line no-control-regex
export const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/;
