// Keeps the files that name the package's version (and its npm and registry names) in step with
// package.json: server.json for the MCP Registry, the Claude Code plugin and marketplace manifests, and the
// skill's frontmatter. `npm version` runs it (the "version" script); the tests in test/package/ fail when a
// file is out of step.
//
//   node scripts/sync-versions.mjs           rewrites the files that differ
//   node scripts/sync-versions.mjs --check   only lists them, and exits 1 if there are any
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SKILL = 'skills/celigo-manage/SKILL.md';
const json = (value) => JSON.stringify(value, null, 2) + '\n';

/** `git+https://github.com/o/r.git` → `https://github.com/o/r`. */
export function repositoryUrl(pkg) {
  const url = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  if (!url) throw new Error('package.json has no repository url');
  return url.replace(/^git\+/, '').replace(/\.git$/, '');
}

function serverJson(s, pkg) {
  const npm = s.packages.find((p) => p.registryType === 'npm');
  if (!npm) throw new Error('server.json has no npm package');
  Object.assign(npm, { identifier: pkg.name, version: pkg.version });
  return json({ ...s, name: pkg.mcpName, repository: { ...s.repository, url: repositoryUrl(pkg) }, version: pkg.version });
}

function pluginJson(p, pkg) {
  const repo = repositoryUrl(pkg);
  const servers = Object.fromEntries(
    Object.entries(p.mcpServers ?? {}).map(([name, server]) => [name, { ...server, args: ['-y', `${pkg.name}@${pkg.version}`, 'mcp'] }]),
  );
  return json({ ...p, version: pkg.version, homepage: repo, repository: repo, mcpServers: servers });
}

function marketplaceJson(m, pkg, pluginName) {
  return json({ ...m, plugins: m.plugins.map((e) => (e.name === pluginName ? { ...e, version: pkg.version } : e)) });
}

function skill(text, pkg) {
  const next = text.replace(/^(metadata:\n(?: {2}.*\n)*? {2}version: )"[^"\n]*"$/m, `$1"${pkg.version}"`);
  if (!/^metadata:\n(?: {2}.*\n)*? {2}version: "/m.test(text)) throw new Error(`${SKILL}: no metadata.version in its frontmatter`);
  return next;
}

/** Each file as it should read for package.json as it is: `{ path, current, expected }`. */
export function syncedFiles(root) {
  const read = (path) => readFileSync(join(root, path), 'utf8');
  const pkg = JSON.parse(read('package.json'));
  const plugin = JSON.parse(read('.claude-plugin/plugin.json'));
  const makers = {
    'server.json': (t) => serverJson(JSON.parse(t), pkg),
    '.claude-plugin/plugin.json': (t) => pluginJson(JSON.parse(t), pkg),
    '.claude-plugin/marketplace.json': (t) => marketplaceJson(JSON.parse(t), pkg, plugin.name),
    [SKILL]: (t) => skill(t, pkg),
  };
  return Object.entries(makers).map(([path, make]) => {
    const current = read(path);
    return { path, current, expected: make(current) };
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = fileURLToPath(new URL('../', import.meta.url));
  const stale = syncedFiles(root).filter((f) => f.current !== f.expected);
  if (process.argv.includes('--check')) {
    for (const f of stale) process.stderr.write(`out of step with package.json: ${f.path} (run node scripts/sync-versions.mjs)\n`);
    process.exitCode = stale.length ? 1 : 0;
  } else {
    for (const f of stale) {
      writeFileSync(join(root, f.path), f.expected);
      process.stderr.write(`updated ${f.path}\n`);
    }
  }
}
