// An esbuild plugin (scripts/bundle.mjs) that makes the CLI bundle self-contained, so that the published
// package needs no dependencies at all: `npx celigo-manage` installs one package and nothing else, and what
// runs is exactly what was built and tested (docs/decisions.md, "Packaging").
// - src/cli loads a few CommonJS packages on first use with `createRequire(import.meta.url)('cli-table3')`,
//   which esbuild cannot follow. In the bundle they become plain `require('cli-table3')` calls: esbuild
//   bundles those and still runs each package only when that line is first reached.
// - The build fails when the bundle still imports a package at run time (anything but a Node built-in).
// - Optional packages a bundled package only tries to load (NOT_BUNDLED: `pg` loads `pg-native` only when
//   someone asks for `pg.native`, which we never do) become a module that throws when loaded, saying it
//   is not in the bundle; every other package still has to be bundled.
// - dist/bundle/THIRD-PARTY-LICENSES.txt carries the licence of every package whose code is in the bundle
//   (MIT, ISC and BSD ask that their notice travel with copies of the code).
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';

const LAZY_REQUIRE = /createRequire\(import\.meta\.url\)\((['"][^'"]+['"])\)/g;
/** Optional packages that are left out on purpose, each with why; loading one throws. */
export const NOT_BUNDLED = { 'pg-native': 'the libpq binding of pg, which celigo-manage does not use (it uses pg\'s JavaScript client)' };
const NOTICES = 'THIRD-PARTY-LICENSES.txt';

/** Whether an import the bundle keeps is a Node built-in (`node:fs`, `fs`, `fs/promises`). */
export function isBuiltin(id) {
  const bare = id.replace(/^node:/, '');
  return id.startsWith('node:') || builtinModules.includes(bare) || builtinModules.includes(bare.split('/')[0]);
}

/** The package folders (relative to the project) of the bundle's inputs, e.g. `node_modules/zod`. */
export function packageDirs(inputs) {
  const dirs = new Set();
  for (const path of inputs) {
    if (/^[a-z-]+:/.test(path)) continue; // a plugin's virtual module (zod-locales:…)
    const m = [...path.matchAll(/(?<![^/])node_modules\/(?:@[^/]+\/)?[^/]+\//g)].pop();
    if (m) dirs.add(path.slice(0, m.index + m[0].length - 1));
  }
  return [...dirs].sort();
}

function notice(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)([.-][\w.-]+)?$/i.test(f));
  const text = file ? readFileSync(join(dir, file), 'utf8').trim() : `(the package ships no licence file; package.json says ${pkg.license})`;
  return `${pkg.name}@${pkg.version} (${pkg.license ?? 'see below'})\n\n${text}\n`;
}

/**
 * The plugin, for each bundle of the package (scripts/bundle.mjs builds two). `notices` gathers the package
 * folders of every bundle built with it, so that THIRD-PARTY-LICENSES.txt names them all.
 */
export function selfContained(notices = new Set()) {
  return {
    name: 'self-contained',
    setup(b) {
      b.initialOptions.metafile = true;
      const names = Object.keys(NOT_BUNDLED);
      const filter = new RegExp(`^(${names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`);
      b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'not-bundled' }));
      b.onLoad({ filter: /.*/, namespace: 'not-bundled' }, (args) => ({
        contents: `throw new Error(${JSON.stringify(`${args.path} is not bundled with celigo-manage: ${NOT_BUNDLED[args.path]}.`)});`,
        loader: 'js',
      }));
      b.onLoad({ filter: /\.js$/ }, (args) => {
        if (args.path.includes('node_modules')) return undefined;
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('createRequire(import.meta.url)(')) return undefined;
        return { contents: text.replace(LAZY_REQUIRE, 'require($1)'), loader: 'js' };
      });
      b.onEnd((result) => {
        if (!result.metafile) return;
        const outfile = b.initialOptions.outfile;
        const kept = Object.values(result.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external && !isBuiltin(i.path)));
        if (kept.length) {
          throw new Error(`the bundle would load packages at run time: ${[...new Set(kept.map((i) => i.path))].join(', ')}; bundle them (the package has no dependencies)`);
        }
        for (const d of packageDirs(Object.keys(result.metafile.inputs))) notices.add(d);
        const dirs = [...notices].sort();
        const head = `Third-party software in ${dirname(outfile)}: ${dirs.length} packages, each with its licence.\n`;
        writeFileSync(join(dirname(outfile), NOTICES), [head, ...dirs.map(notice)].join('\n' + '-'.repeat(78) + '\n\n'));
      });
    },
  };
}
