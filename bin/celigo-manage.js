#!/usr/bin/env node
import { loadBundle } from './load-bundle.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // The unbundled entry module answers this from package.json alone; the bundle is not loaded.
  const { main } = await import('../dist/cli/main.js');
  process.exitCode = await main(argv);
} else {
  const bundle = loadBundle();
  bundle.main(argv).then(
    (code) => {
      if (typeof code === 'number') process.exitCode = code;
      bundle.saveCache();
    },
    (err) => {
      process.stderr.write(`celigo-manage: ${err && err.message ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
