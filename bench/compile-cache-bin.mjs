// For bench/code-cache.mjs only: bin/celigo-manage.js with Node's own compile cache
// (module.enableCompileCache, Node 22.1 and later) in place of the hand-made V8 code cache of
// bin/load-bundle.js. The bench copies it into the bin/ folder of its install, beside a copy of the
// bundle without its wrapper (dist/bundle/celigo-manage.module.cjs), which require() can load.
import nodeModule, { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  const { VERSION } = await import('../dist/version.js');
  process.stdout.write(VERSION + '\n');
} else {
  nodeModule.enableCompileCache(fileURLToPath(new URL('../dist/bundle/compile-cache', import.meta.url)));
  const { main } = createRequire(import.meta.url)('../dist/bundle/celigo-manage.module.cjs');
  main(argv).then(
    (code) => {
      if (typeof code === 'number') process.exitCode = code;
      // Node writes the cache at exit anyway; as bin/ saves its own after the run, so does this.
      nodeModule.flushCompileCache?.();
    },
    (err) => {
      process.stderr.write(`celigo-manage: ${err?.message ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
