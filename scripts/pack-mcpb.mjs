// Packs the MCP server as an MCP Bundle (.mcpb) for Claude Desktop and other MCPB hosts, with the
// maintained @anthropic-ai/mcpb tool: `npm run pack:mcpb` (build first) writes
// dist/celigo-manage-<version>.mcpb; `node scripts/pack-mcpb.mjs --out FILE` writes FILE.
//
// The bundle holds only what `celigo-manage mcp` loads at run time: bin/ (the launcher and the loader of
// the bundle), dist/bundle/celigo-manage.cjs (esbuild inlines every package the server uses; the four
// left outside the bundle are used only by the terminal front end: tables, progress bars, the HTML
// report) and dist/version.js. No node_modules. The V8 code cache is left out: it belongs to the Node
// that built it, and the launcher writes one for the host's Node after its first run.
//
// mcpb/manifest.json is the source of the manifest; the staged copy gets package.json's version and the
// catalogue's tools (name and description), so neither can drift from the code.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packExtension } from '@anthropic-ai/mcpb';

const root = fileURLToPath(new URL('../', import.meta.url));
const STAGING = join(root, 'dist', 'mcpb');
/** Files copied as they are, relative to the project root; the first four are required. */
const RUNTIME = ['bin/celigo-manage.js', 'bin/load-bundle.js', 'dist/bundle/celigo-manage.cjs', 'dist/bundle/team-deps.cjs', 'dist/bundle/THIRD-PARTY-LICENSES.txt', 'dist/version.js'];
const OPTIONAL = ['README.md', 'LICENSE'];

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function outPath(argv, version) {
  const i = argv.indexOf('--out');
  if (i >= 0 && argv[i + 1]) return resolve(argv[i + 1]);
  return join(root, 'dist', `celigo-manage-${version}.mcpb`);
}

/** The manifest as it goes into the bundle. */
async function stagedManifest(pkg) {
  const { $schema: _editorOnly, ...manifest } = readJson(join(root, 'mcpb', 'manifest.json'));
  const { catalogue } = await import('../dist/operations/catalogue.js');
  manifest.version = pkg.version;
  // Every tool the server can serve; which ones it does depends on the toolsets and read-only settings.
  manifest.tools = catalogue().map((t) => ({ name: t.name, description: t.description }));
  return manifest;
}

async function stage(pkg) {
  for (const f of RUNTIME) {
    if (!existsSync(join(root, f))) throw new Error(`${f} is missing: run \`npm run build\` first (npm run pack:mcpb does).`);
  }
  rmSync(STAGING, { recursive: true, force: true });
  for (const f of [...RUNTIME, ...OPTIONAL.filter((f) => existsSync(join(root, f)))]) {
    mkdirSync(dirname(join(STAGING, f)), { recursive: true });
    cpSync(join(root, f), join(STAGING, f));
  }
  // bin/*.js are ES modules: without "type": "module" beside them Node would read them as CommonJS.
  const runtimePkg = { name: pkg.name, version: pkg.version, description: pkg.description, type: 'module', license: pkg.license, engines: pkg.engines, private: true };
  writeFileSync(join(STAGING, 'package.json'), JSON.stringify(runtimePkg, null, 2) + '\n');
  writeFileSync(join(STAGING, 'manifest.json'), JSON.stringify(await stagedManifest(pkg), null, 2) + '\n');
}

const pkg = readJson(join(root, 'package.json'));
const out = outPath(process.argv.slice(2), pkg.version);
await stage(pkg);
const ok = await packExtension({ extensionPath: STAGING, outputPath: out, silent: process.argv.includes('--quiet') });
if (!ok) {
  process.stderr.write('pack-mcpb: mcpb pack failed (see above)\n');
  process.exit(1);
}
process.stderr.write(`pack-mcpb: ${relative(process.cwd(), out) || out} (${(statSync(out).size / 1024).toFixed(0)} kB)\n`);
