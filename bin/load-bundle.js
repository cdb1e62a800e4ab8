// Loads the CLI bundle (dist/bundle/celigo-manage.cjs) through a V8 code cache.
//
// Node 20 has no compile cache for modules (module.enableCompileCache is Node 22), so every start
// would parse and compile the bundle again: about 60 ms of a `--demo flows list` run. vm.Script takes
// the code V8 compiled in an earlier run (cachedData); `npm run build` writes that cache after warming
// it with a few commands (scripts/warm-cache.mjs). V8 refuses a cache made by another V8 version or
// for other source (cachedDataRejected): the bundle is then compiled as usual, and the cache is
// written again after the run, best effort (a read-only install simply goes without).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

export const BUNDLE = fileURLToPath(new URL('../dist/bundle/celigo-manage.cjs', import.meta.url));
export const CACHE = BUNDLE + '.v8cache';

/** @returns {{ main: (argv: string[], io?: object) => Promise<number>, cacheUsed: boolean, saveCache: (force?: boolean) => void }} */
export function loadBundle() {
  let cachedData;
  try {
    cachedData = readFileSync(CACHE);
  } catch {
    cachedData = undefined;
  }
  const source = readFileSync(BUNDLE, 'utf8');
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
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
