#!/usr/bin/env node
import { loadBundle } from './load-bundle.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // A generated constant (scripts/gen-version.mjs) answers this; the bundle is not loaded.
  const { VERSION } = await import('../dist/version.js');
  process.stdout.write(VERSION + '\n');
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
