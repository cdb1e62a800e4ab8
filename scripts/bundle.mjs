// Bundles the built CLI (dist/cli/main.js and everything it imports, npm packages included) into
// dist/bundle/ with code splitting. Start-up is dominated by loading a few hundred small ES modules;
// one chunk per lazy entry loads several times faster (docs/benchmarks.md). dist/bundle sits at the
// same depth as dist/cli, so paths relative to import.meta.url (../../package.json) still resolve.
import { build } from 'esbuild';

await build({
  entryPoints: { main: 'dist/cli/main.js' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: 'dist/bundle',
  // CommonJS packages loaded with createRequire at run time stay outside the bundle.
  external: ['cli-table3', 'cli-progress', 'playwright-core'],
  banner: { js: "import { createRequire as __cmCreateRequire } from 'node:module'; const require = __cmCreateRequire(import.meta.url);" },
  logLevel: 'warning',
  legalComments: 'none',
});
