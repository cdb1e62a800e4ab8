// The skill ships with the server (issue 15 item 5): skills/celigo-manage/SKILL.md is versioned with the
// package, installable as a Claude Code plugin (.claude-plugin/) or as a skill folder, and names only tools
// the server serves. The files that carry the version are in step with package.json (scripts/sync-versions.mjs).
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../src/operations/catalogue.js';
import { OPT_IN_TOOLS, selectTools } from '../../src/operations/select.js';
// @ts-expect-error: a plain .mjs script without types
import { SKILL, syncedFiles } from '../../scripts/sync-versions.mjs';

type Synced = { path: string; current: string; expected: string };
const root = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const pkg = JSON.parse(read('package.json'));
const skill = read(SKILL);
const plugin = JSON.parse(read('.claude-plugin/plugin.json'));
const marketplace = JSON.parse(read('.claude-plugin/marketplace.json'));
const ALL = catalogue().map((t) => t.name);
const DEFAULT = selectTools(catalogue()).map((t) => t.name);

/** The skill's YAML frontmatter, read as the flat `key: value` lines (and one nested map) it uses. */
function frontmatter(text: string): Record<string, string> {
  const block = text.match(/^---\n([\s\S]*?)\n---\n/)?.[1];
  if (!block) throw new Error(`${SKILL} has no frontmatter`);
  const out: Record<string, string> = {};
  let parent = '';
  for (const line of block.split('\n')) {
    const m = line.match(/^( *)([a-z-]+):\s*(.*)$/);
    if (!m) throw new Error(`frontmatter line not understood: ${line}`);
    if (!m[1]) parent = m[2];
    out[m[1] ? `${parent}.${m[2]}` : m[2]] = m[3].replace(/^"(.*)"$/, '$1');
  }
  return out;
}

/** Catalogue tools the text names (as a word, in backticks or not). */
const mentioned = (text: string) => ALL.filter((n) => new RegExp(`(^|[^a-z0-9_])${n}([^a-z0-9_]|$)`).test(text));

describe('SKILL.md', () => {
  const fm = frontmatter(skill);

  it('has a valid Agent Skills frontmatter, versioned with the package', () => {
    expect(fm.name).toBe('celigo-manage');
    expect(fm.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(fm.description.length).toBeGreaterThan(50);
    expect(fm.description.length).toBeLessThanOrEqual(1024);
    expect(fm.compatibility.length).toBeLessThanOrEqual(500);
    expect(fm.license).toBe(pkg.license);
    expect(fm['metadata.version']).toBe(pkg.version);
  });

  it('names only tools the server serves', () => {
    const spans = [...skill.matchAll(/`([^`\n]+)`/g)].map((m) => m[1].split(/[\s({:]/)[0]);
    const toolLike = spans.filter((s) => /^[a-z][a-z0-9]*(_[a-z0-9]+)+$/.test(s));
    expect(toolLike.filter((s) => !ALL.includes(s))).toEqual([]);
    expect(mentioned(skill).length).toBeGreaterThan(20);
  });

  it('says how to get the tools a default server leaves out', () => {
    for (const name of mentioned(skill).filter((n) => !DEFAULT.includes(n))) {
      // Opt-in by name, or in the manage toolset (not served by default).
      expect(OPT_IN_TOOLS.includes(name) || catalogue().find((t) => t.name === name)?.toolset === 'manage', name).toBe(true);
      // The list item or paragraph that names the tool says which --toolsets serves it.
      const blocks = skill.split(/\n(?=- |\n)/).filter((b) => mentioned(b).includes(name));
      expect(blocks.some((b) => b.includes('--toolsets')), `${name}: the skill should say which --toolsets serves it`).toBe(true);
    }
  });

  it('covers the default tools (a tool it never names is reported, not failed)', () => {
    const never = DEFAULT.filter((n) => !mentioned(skill).includes(n));
    if (never.length) console.warn(`${SKILL} never names these default tools: ${never.join(', ')}`);
    expect(never.length).toBeLessThan(DEFAULT.length / 4);
  });
});

describe('Claude Code plugin', () => {
  it('plugin.json: the skill and the server of the same version', () => {
    expect(plugin.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(plugin.version).toBe(pkg.version);
    expect(plugin.license).toBe(pkg.license);
    // The plugin root is the repository root: its skills/ folder is the one the npm package ships.
    expect(readFileSync(join(root, 'skills', fm().name, 'SKILL.md'), 'utf8')).toBe(skill);
    expect(plugin.mcpServers.celigo).toEqual({ command: 'npx', args: ['-y', `${pkg.name}@${pkg.version}`, 'mcp'] });
  });

  it('marketplace.json lists it from this repository', () => {
    expect(marketplace.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(marketplace.name).not.toMatch(/claude|anthropic|official/);
    expect(marketplace.owner.name.length).toBeGreaterThan(0);
    expect(marketplace.plugins).toEqual([expect.objectContaining({ name: plugin.name, source: './', version: pkg.version })]);
  });

  it('the README shows the plugin, skill-folder and .mcpb routes with these names', () => {
    const readme = read('README.md');
    const repo = String(pkg.repository.url).match(/github\.com\/([^/]+\/[^/.]+)/)?.[1];
    expect(readme).toContain(`/plugin marketplace add ${repo}`);
    expect(readme).toContain(`/plugin install ${plugin.name}@${marketplace.name}`);
    expect(readme).toMatch(/cp -r \S*skills\/celigo-manage ~\/\.claude\/skills\//);
    expect(readme).toContain('npm run pack:mcpb');
    expect(readme).toContain('npm install -g celigo-manage');
  });
});

describe('versions in step (scripts/sync-versions.mjs)', () => {
  it("every file carries package.json's version", () => {
    const stale = (syncedFiles(root) as Synced[]).filter((f) => f.current !== f.expected).map((f) => f.path);
    expect(stale, 'run node scripts/sync-versions.mjs').toEqual([]);
  });

  it('a new version reaches every file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cm-sync-'));
    for (const f of ['package.json', 'server.json', '.claude-plugin', 'skills']) cpSync(join(root, f), join(dir, f), { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...pkg, version: '9.8.7-rc.1' }, null, 2));
    const files = syncedFiles(dir) as Synced[];
    expect(files.map((f) => f.path).sort()).toEqual(['.claude-plugin/marketplace.json', '.claude-plugin/plugin.json', 'server.json', SKILL].sort());
    for (const f of files) {
      expect(f.expected, f.path).toContain('9.8.7-rc.1');
      expect(f.expected, f.path).not.toContain(`"${pkg.version}"`);
    }
  });
});

function fm() {
  return frontmatter(skill);
}
