// CI runs this suite on Node 20, 22 and 24 (.ci/run), each with that Node first on PATH and
// CELIGO_EXPECT_NODE naming its major version. The workers, the processes the tests spawn
// (process.execPath) and a plain `node` must all be that Node, or a run would test another one.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const expected = process.env.CELIGO_EXPECT_NODE;
const versionOf = (command: string) => spawnSync(command, ['-p', 'process.version'], { encoding: 'utf8' }).stdout.trim();

describe(`the Node running the tests (${process.version})`, () => {
  it('is a supported one (package.json engines: >=20)', () => {
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(20);
  });

  it('is the one spawned processes run', () => {
    expect(versionOf(process.execPath)).toBe(process.version);
  });

  it.runIf(expected)(`is Node ${expected}, also as \`node\` on PATH (CELIGO_EXPECT_NODE)`, () => {
    expect(process.versions.node.split('.')[0]).toBe(expected);
    expect(versionOf('node')).toBe(process.version);
  });
});
