// The published package is what runs and nothing else (issue 15 item 1): no dependencies (the bundle
// carries them, with their licences), no install scripts, and files that load nothing outside the package.
// `npm run test:package` installs the real tarball; these checks are the offline half, run by `npm test`
// after its build.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { isBuiltin, packageDirs } from '../../scripts/bundle-self-contained.mjs';

const root = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const pkg = JSON.parse(read('package.json'));
const BUNDLE = 'dist/bundle/celigo-manage.cjs';
const built = existsSync(join(root, BUNDLE));
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare', 'preprepare', 'postprepare'];

/** Module ids a CommonJS text loads at run time: `require("x")` and `createRequire(…)("x")` calls. */
export function requiredIds(text: string): string[] {
  // A require inside a string (ajv's code generation writes `'require("ajv/dist/runtime/equal")'`) is not a call.
  const calls = [...text.matchAll(/(?<![\w$.'"`])require\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1]);
  const created = [...text.matchAll(/createRequire\)?\([^()]*\)\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
  return [...new Set([...calls, ...created])];
}

describe('package.json', () => {
  it('has no dependencies to install', () => {
    for (const k of ['dependencies', 'optionalDependencies', 'peerDependencies', 'bundleDependencies', 'bundledDependencies']) expect(pkg[k], k).toBeUndefined();
  });

  it('runs nothing at install time, and builds before pack and publish', () => {
    for (const s of INSTALL_SCRIPTS) expect(pkg.scripts[s], s).toBeUndefined();
    expect(pkg.scripts.prepack).toBe('npm run build');
  });

  it('publishes only what runs: bin, the bundle, the version, the skill, README and LICENSE', () => {
    expect(pkg.files).toEqual(['bin', 'dist/bundle', 'dist/version.js', 'skills', 'README.md', 'LICENSE']);
    expect(pkg.bin).toEqual({ 'celigo-manage': 'bin/celigo-manage.js' });
    expect(read('LICENSE')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} The celigo-manage authors\n/);
    expect(pkg.license).toBe('MIT');
  });
});

describe('what the package runs loads nothing outside it', () => {
  it('bin/ imports only its own files, dist/ and Node built-ins', () => {
    for (const f of ['bin/celigo-manage.js', 'bin/load-bundle.js']) {
      const ids = [...read(f).matchAll(/(?:from\s+|import\(\s*)'([^']+)'/g)].map((m) => m[1]);
      expect(ids.length, f).toBeGreaterThan(0);
      expect(ids.filter((id) => !id.startsWith('./') && !id.startsWith('../dist/') && !isBuiltin(id)), f).toEqual([]);
    }
  });

  it.runIf(built)('the bundle requires only Node built-ins (and carries the licences of what it bundles)', () => {
    const ids = requiredIds(read(BUNDLE));
    expect(ids).toContain('node:url');
    expect(ids.filter((id) => !isBuiltin(id))).toEqual([]);
    const notices = read('dist/bundle/THIRD-PARTY-LICENSES.txt');
    for (const p of ['zod', 'commander', '@modelcontextprotocol/server', 'cli-table3', 'string-width', 'croner']) expect(notices).toMatch(new RegExp(`^${p}@\\d`, 'm'));
    // The team server's packages are bundled too, in a file of their own that only a team setting loads
    // (scripts/bundle.mjs TEAM_PACKAGES); pg's optional libpq binding is not (NOT_BUNDLED).
    for (const p of ['pg', 'ioredis', 'jose']) expect(notices).toMatch(new RegExp(`^${p}@\\d`, 'm'));
    const team = read('dist/bundle/team-deps.cjs');
    expect(requiredIds(team).filter((id) => !isBuiltin(id))).toEqual([]);
    expect(team).toContain('pg-native is not bundled with celigo-manage');
    expect(read(BUNDLE)).not.toContain('pg-native');
    expect(read(BUNDLE)).toContain('__cmTeamDeps().pg');
  });

  it.skipIf(built)('needs a build', () => {
    throw new Error(`${BUNDLE} is missing: run npm run build (npm test builds first)`);
  });

  it('the checks see what they look for', () => {
    expect(requiredIds(`a=require("cli-table3");b=(0,m.createRequire)(u)("string-width");c='require("ajv/x")'`)).toEqual(['cli-table3', 'string-width']);
    expect(['node:fs', 'fs', 'fs/promises', 'events'].every(isBuiltin)).toBe(true);
    expect(isBuiltin('zod')).toBe(false);
    const inputs = ['node_modules/a/x.js', '../main/node_modules/@s/p/node_modules/q/y.js', 'zod-locales:/m/node_modules/zod/z.js', 'src/x.js'];
    expect(packageDirs(inputs)).toEqual(['../main/node_modules/@s/p/node_modules/q', 'node_modules/a']);
  });
});
