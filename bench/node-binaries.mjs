// The Node binaries the start-up benchmarks compare: this process's Node, and Node 22 and 24 where
// .ci/run put them (.ci/node.sh installs node-linux-<arch>@MAJOR from the npm registry under
// .ci/node/MAJOR/). A missing one is installed the same way; offline, it is reported as absent.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../.ci/node.sh', import.meta.url));

/** @returns {{ major: number, path?: string, version?: string, absent?: string }} */
export function nodeBinary(major) {
  if (Number(process.versions.node.split('.')[0]) === major) return { major, path: process.execPath, version: process.version };
  try {
    const path = execFileSync('bash', [script, String(major)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
    return { major, path, version };
  } catch (err) {
    const why = String(err?.stderr || err?.message || err).trim().split('\n').pop();
    return { major, absent: `Node ${major} not found under .ci/node/${major} and not installable (\`.ci/node.sh ${major}\`: ${why})` };
  }
}

export const MAJORS = [20, 22, 24];
