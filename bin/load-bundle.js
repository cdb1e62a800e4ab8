// Loads the CLI bundle (dist/bundle/celigo-manage.cjs) through a V8 code cache.
//
// Node 20 has no compile cache for modules (module.enableCompileCache is Node 22.1), so every start
// would parse and compile the bundle again: about 60 ms of a `--demo flows list` run. vm.Script takes
// the code V8 compiled in an earlier run (cachedData); `npm run build` writes that cache after warming
// it with a few commands (scripts/warm-cache.mjs). V8 refuses a cache made for other source or with
// other flags (cachedDataRejected): the bundle is then compiled as usual, and the cache is written again
// after the run, best effort (a read-only install simply goes without). Each V8 version has its own
// file, so an install used by several Node versions keeps one cache for each instead of replacing one.
// On Node 22 and 24 this cache also measured faster than Node's own compile cache, which keeps only
// the code compiled before the bundle runs (docs/decisions.md, "Start-up (issue 15)").
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

/** What scripts/bundle.mjs puts around the bundle: the CommonJS module wrapper. */
export const WRAPPER_START = '(function (exports, require, module, __filename, __dirname) {';
export const WRAPPER_END = '})';
export const BUNDLE = fileURLToPath(new URL('../dist/bundle/celigo-manage.cjs', import.meta.url));
/** The cache for this process's V8 (process.versions.v8 names it: `celigo-manage.cjs.11.3.244.8-node.38.v8cache`). */
export const CACHE = `${BUNDLE}.${process.versions.v8}.v8cache`;

/** @returns {{ main: (argv: string[], io?: object) => Promise<number>, cacheUsed: boolean, saveCache: (force?: boolean) => void }} */
export function loadBundle() {
  let cachedData;
  try {
    cachedData = readFileSync(CACHE);
  } catch {
    cachedData = undefined;
  }
  // The file is the module wrapper's function expression already (scripts/bundle.mjs), and ASCII.
  const script = new vm.Script(readFileSync(BUNDLE, 'latin1'), {
    filename: BUNDLE,
    cachedData,
    // The bundle has no import() left, but a stray one should still work.
    importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(BUNDLE), module, BUNDLE, dirname(BUNDLE));
  const cacheUsed = cachedData !== undefined && !script.cachedDataRejected;
  return {
    main: module.exports.main,
    cacheUsed,
    /** Writes the code compiled so far as the cache, when there was none or V8 refused it (or when forced). */
    saveCache(force = false) {
      if (cacheUsed && !force) return;
      try {
        const tmp = `${CACHE}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, CACHE);
      } catch {
        /* read-only install, full disk: run without a cache */
      }
    },
  };
}
