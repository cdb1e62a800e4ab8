// Bundles the built CLI (dist/cli/main.js and everything it imports, npm packages included) into one
// CommonJS file, dist/bundle/celigo-manage.cjs (inside its module wrapper: see the banner), then warms its V8 code cache (scripts/warm-cache.mjs;
// bin/load-bundle.js explains why). Start-up was dominated first by loading a few hundred small ES
// modules, then by compiling the bundle; docs/decisions.md has the figures. dist/bundle sits at the same
// depth as dist/cli, so paths relative to the module (../../package.json) still resolve.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { selfContained } from './bundle-self-contained.mjs';
import { WRAPPER_END, WRAPPER_START } from '../bin/load-bundle.js';

// zod's namespace export carries every message locale (about 370 kB of the 750 kB of zod, all compiled
// at start-up). We only use English, which zod installs by itself; keep just that one.
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer) ? { path: args.importer, namespace: 'zod-locales' } : undefined);
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: 'export { default as en } from "../locales/en.js";',
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

// Packages that a bundled package asks for inside a try/catch and does without (ioredis' `debug` tries
// `supports-color`; the proxy agents' Negotiate (Kerberos) proxy sign-in tries `kerberos`, a native module,
// and says it is needed only when a proxy asks for Negotiate): in the bundle they are missing, as they
// would be from node_modules, instead of left for run time, which the self-contained check refuses.
const OPTIONAL_MISSING = ['supports-color', 'kerberos'];
const optionalMissing = {
  name: 'optional-missing',
  setup(b) {
    const filter = new RegExp(`^(${OPTIONAL_MISSING.map((n) => n.replace(/[-/]/g, '\\$&')).join('|')})$`);
    b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'optional-missing' }));
    b.onLoad({ filter: /.*/, namespace: 'optional-missing' }, (args) => ({
      contents: `throw Object.assign(new Error("Cannot find module '${args.path}'"), { code: 'MODULE_NOT_FOUND' });`,
      loader: 'js',
    }));
  },
};

// The team server's packages (issue 18: PostgreSQL, Redis, OAuth; about 450 kB) are a bundle of their own,
// dist/bundle/team-deps.cjs, required only when a team setting is used: one person's CLI and server do not
// read, compile or cache them, so their start-up is what it was before the team server (docs/benchmarks.md).
// In the main bundle each of these imports becomes a module that takes the package from that file.
export const TEAM_PACKAGES = ['pg', 'ioredis', 'jose'];
const teamDeps = {
  name: 'team-deps',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^(${TEAM_PACKAGES.join('|')})$`) }, (args) => ({ path: args.path, namespace: 'team-deps' }));
    b.onLoad({ filter: /.*/, namespace: 'team-deps' }, (args) => ({ contents: `module.exports = __cmTeamDeps()[${JSON.stringify(args.path)}];`, loader: 'js' }));
  },
};
const TEAM_ENTRY = TEAM_PACKAGES.map((n) => `Object.defineProperty(exports, ${JSON.stringify(n)}, { enumerable: true, get: () => require(${JSON.stringify(n)}) });`).join('\n');

rmSync('dist/bundle', { recursive: true, force: true });
const notices = new Set();
/**
 * What both bundles share: CommonJS, because only a script (vm.Script) can be given a code cache on Node
 * 20 (dynamic imports stay lazy: esbuild turns each into a module initialised on first use); less text to
 * parse, names kept so that our own error reports stay readable; ASCII, no legal comments (the licences
 * are in THIRD-PARTY-LICENSES.txt).
 */
const common = { bundle: true, format: 'cjs', platform: 'node', target: 'node20', minifyWhitespace: true, minifySyntax: true, charset: 'ascii', logLevel: 'warning', legalComments: 'none' };
await build({
  ...common,
  entryPoints: ['dist/cli/main.js'],
  outfile: 'dist/bundle/celigo-manage.cjs',
  // Every package the CLI uses at run time is bundled: the published package has no dependencies.
  plugins: [zodEnglishOnly, teamDeps, optionalMissing, selfContained(notices)],
  define: { 'import.meta.url': '__cmModuleUrl' },
  // The file holds the module wrapper's function expression itself, which bin/load-bundle.js compiles as
  // a vm.Script: wrapping the source at run time made V8 keep a second copy of its 1.7 MB at every start
  // (peak RSS of `mcp` 3 MB lower on Node 24, 1 MB on Node 20; docs/decisions.md). So it is no module
  // to require(). ASCII only, as esbuild writes by default, so that it can be read as latin1.
  banner: { js: `${WRAPPER_START}var __cmModuleUrl = require("node:url").pathToFileURL(__filename).href;var __cmTeamDeps = () => require(require("node:path").join(__dirname, "team-deps.cjs"));` },
  footer: { js: WRAPPER_END },
});

await build({
  ...common,
  stdin: { contents: TEAM_ENTRY, resolveDir: '.', sourcefile: 'team-deps.js', loader: 'js' },
  outfile: 'dist/bundle/team-deps.cjs',
  plugins: [optionalMissing, selfContained(notices)],
});

const warm = spawnSync(process.execPath, ['scripts/warm-cache.mjs'], { stdio: ['ignore', 'ignore', 'inherit'] });
if (warm.status !== 0) {
  // The CLI works without its cache (only slower to start): say so, but do not fail the build.
  process.stderr.write(`warning: the code cache was not written (scripts/warm-cache.mjs exited ${warm.status})\n`);
}
