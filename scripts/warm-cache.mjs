// Runs a few common commands in one process against the in-process demo account, with their output
// discarded, then saves the code V8 compiled for them as the bundle's code cache (bin/load-bundle.js).
// Functions that these commands never reach are compiled on first use, as without a cache.
import { Writable } from 'node:stream';
import { loadBundle } from '../bin/load-bundle.js';

const COMMANDS = [
  ['--help'],
  ['--demo', 'flows', 'list'],
  ['--demo', 'health'],
  ['--demo', 'integrations', 'list', '--json'],
  ['--demo', 'jobs', 'list'],
  ['--demo', 'connections', 'list'],
];

const sink = () => Object.assign(new Writable({ write: (_c, _e, cb) => cb() }), { isTTY: false, columns: 100 });
const bundle = loadBundle();
for (const argv of COMMANDS) {
  const code = await bundle.main(argv, { stdout: sink(), stderr: sink() });
  if (code !== 0) {
    process.stderr.write(`warm-cache: celigo-manage ${argv.join(' ')} exited ${code}\n`);
    process.exit(1);
  }
}
bundle.saveCache(true);
