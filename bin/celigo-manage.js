#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { loadBundle } from './load-bundle.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // Answered from package.json alone, without loading the CLI.
  process.stdout.write(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version + '\n');
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
