// The run's temp root (test/setup/temp-root.ts) reaches the test workers and the processes they spawn.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';

describe('temp root of the test run', () => {
  const root = inject('tempRoot');

  it('is what os.tmpdir() answers in a worker', () => {
    expect(root).toMatch(/celigo-manage-test-/);
    expect(tmpdir()).toBe(root);
    expect(dirname(mkdtempSync(join(tmpdir(), 'cm-probe-')))).toBe(root);
  });

  it('is what os.tmpdir() answers in a spawned process', () => {
    const r = spawnSync(process.execPath, ['-p', 'require("node:os").tmpdir()'], { encoding: 'utf8' });
    expect(r.stdout.trim()).toBe(root);
  });
});
