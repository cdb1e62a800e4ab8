// Vitest global setup: one temporary folder per run, removed at the end.
//
// Tests make temp folders freely (mkdtemp under os.tmpdir()) and do not all clean up; spawned CLI and
// MCP processes make their own. os.tmpdir() reads TMPDIR (TEMP/TMP on Windows) on every call, and the
// workers and the processes they spawn inherit this process's environment, so pointing those variables
// at one root before any worker starts puts everything under it. test/setup/temp-root.test.ts checks it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    tempRoot: string;
  }
}

const VARS = ['TMPDIR', 'TEMP', 'TMP'] as const;

export default function setup(project: TestProject): () => void {
  const root = mkdtempSync(join(tmpdir(), 'celigo-manage-test-'));
  const saved = VARS.map((k) => [k, process.env[k]] as const);
  for (const k of VARS) process.env[k] = root;
  project.provide('tempRoot', root);
  return () => {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };
}
