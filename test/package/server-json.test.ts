// server.json, the entry for the MCP Registry (issue 15 item 3): valid against the registry's schema kept in
// schemas/, in step with package.json (scripts/sync-versions.mjs), and describing the environment the
// server reads: every variable it names is read by the code, and every variable the README's configuration
// table documents for the server is in it.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { REGIONS } from '../../src/core/regions.js';
import { TOOLSETS } from '../../src/operations/types.js';

const root = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const pkg = JSON.parse(read('package.json'));
const server = JSON.parse(read('server.json'));
const schemaText = read('schemas/server.schema.json');
const SCHEMA_SHA256 = '3fba09590c99f61735d234822279f4223fab9e300c0a81e81c91ab62a4114de0';
const SCHEMA_URL = 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json';
const npmEntry = server.packages.find((p: { registryType: string }) => p.registryType === 'npm');
const described: string[] = npmEntry.environmentVariables.map((v: { name: string }) => v.name);

/**
 * Variables read only by `mcp --http` (the registry entry runs stdio), only by the conformance tests, or only
 * by the replicas of a team server (issue 18; docs/deploy.md): a stdio install for one person has no use for
 * them, and the Redis and database URLs may hold a password.
 */
const NOT_FOR_STDIO = [
  'CELIGO_MANAGE_HTTP_TOKEN', 'CELIGO_MANAGE_HTTP_HOST', 'CELIGO_MANAGE_HTTP_ALLOWED_HOSTS', 'CELIGO_MANAGE_HTTP_ALLOWED_ORIGINS', 'CELIGO_MANAGE_HTTP_DRAIN_SECONDS', 'CELIGO_MANAGE_CONFORMANCE',
  // OAuth mode of `mcp --http` (issue 18 item 4).
  'CELIGO_MANAGE_OAUTH_ISSUER', 'CELIGO_MANAGE_OAUTH_AUDIENCE', 'CELIGO_MANAGE_OAUTH_JWKS_URL', 'CELIGO_MANAGE_PUBLIC_URL',
  'CELIGO_MANAGE_OAUTH_READ_SCOPE', 'CELIGO_MANAGE_OAUTH_WRITE_SCOPE',
  // The account's rate shared by the replicas (issue 18 item 2).
  'CELIGO_MANAGE_RATE_PER_SECOND', 'CELIGO_MANAGE_RATE_BURST', 'CELIGO_MANAGE_REDIS_URL', 'CELIGO_MANAGE_REPLICAS',
];

/** Variables read for the client by proxy-from-env (core/proxy-env.ts), not by name in our code. */
const READ_BY_PROXY_FROM_ENV = ['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY'];

/**
 * The schema compiled as the registry's own validation reads it: draft-07, formats checked (uri, ...).
 * Ajv's strict mode is off: it lints how a schema is written, and this one is the registry's, kept unchanged.
 */
function compileSchema() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  (addFormats as unknown as (a: Ajv) => Ajv)(ajv);
  return ajv.compile(JSON.parse(schemaText));
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Environment variables the code reads: `env.X`, `env['X']`, `envFlag(env, 'X')`, `envList(env, 'X')`. */
function readByCode(): Set<string> {
  const out = new Set<string>();
  const patterns = [/\benv(?:\.|\[\s*['"])([A-Z][A-Z0-9_]*)/g, /\benv(?:Flag|List)\(\s*\w+,\s*'([A-Z][A-Z0-9_]*)'/g];
  for (const file of sources(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const re of patterns) for (const m of text.matchAll(re)) out.add(m[1]);
  }
  return out;
}

/** The variables in the Environment column of the README's configuration table. */
function documentedInReadme(): string[] {
  const section = read('README.md').split(/^## Configuration$/m)[1].split(/^## /m)[0];
  const rows = section.split('\n').filter((l) => l.startsWith('|') && !/^\|\s*(Setting|---)/.test(l));
  return rows.flatMap((row) => [...(row.split('|')[3] ?? '').matchAll(/`([A-Z][A-Z0-9_]+)(?:=[^`]*)?`/g)].map((m) => m[1]));
}

describe('server.json', () => {
  it('is valid against the registry schema kept in schemas/ (an unchanged copy of the 2025-12-11 schema)', () => {
    expect(createHash('sha256').update(schemaText).digest('hex')).toBe(SCHEMA_SHA256);
    const schema = JSON.parse(schemaText);
    expect(schema.$id).toBe(SCHEMA_URL);
    expect(server.$schema).toBe(SCHEMA_URL);
    const validate = compileSchema();
    const ok = validate(server);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check catches a broken entry', () => {
    const validate = compileSchema();
    expect(validate({ ...server, name: 'no slash' })).toBe(false);
    expect(validate({ ...server, description: 'x'.repeat(101) })).toBe(false);
    expect(validate({ ...server, packages: [{ ...npmEntry, version: 'latest' }] })).toBe(false);
    expect(validate({ ...server, repository: { url: 'not a url', source: 'github' } })).toBe(false);
  });

  it("names the npm package and its version as package.json does, and package.json's mcpName is its name", () => {
    expect(server.version).toBe(pkg.version);
    expect(npmEntry.identifier).toBe(pkg.name);
    expect(npmEntry.version).toBe(pkg.version);
    expect(npmEntry.transport).toEqual({ type: 'stdio' });
    expect(npmEntry.packageArguments.map((a: { value: string }) => a.value)).toEqual(['mcp']);
    // The registry proves npm ownership by reading mcpName from the published package.json.
    expect(pkg.mcpName).toBe(server.name);
    const repo = String(pkg.repository.url).replace(/^git\+/, '').replace(/\.git$/, '');
    expect(server.repository).toEqual({ url: repo, source: 'github' });
    // A GitHub namespace is io.github.<owner>, spelt as GitHub spells the owner.
    const [, owner, name] = repo.match(/^https:\/\/github\.com\/([^/]+)\/([^/]+)$/) ?? [];
    expect(server.name).toBe(`io.github.${owner}/${name}`);
  });

  it('describes only variables the code reads, and every one the server reads', () => {
    // The proxy variables are read by proxy-from-env (core/proxy-env.ts), the way curl reads them.
    const read = new Set([...readByCode(), ...READ_BY_PROXY_FROM_ENV]);
    expect(described.filter((v) => !read.has(v))).toEqual([]);
    const serverVars = [...read].filter((v) => v.startsWith('CELIGO_') || v === 'TZ');
    expect(serverVars.filter((v) => !described.includes(v) && !NOT_FOR_STDIO.includes(v))).toEqual([]);
  });

  it("describes every variable of the README's configuration table (but the HTTP server's token)", () => {
    const documented = documentedInReadme();
    expect(documented).toContain('CELIGO_API_TOKEN');
    expect(documented).toContain('TZ');
    expect(documented.filter((v) => !described.includes(v) && !NOT_FOR_STDIO.includes(v))).toEqual([]);
  });

  it('marks the token secret and required, the database URL (it may carry a password) secret, and offers the regions and toolsets the code knows', () => {
    const byName = Object.fromEntries(npmEntry.environmentVariables.map((v: { name: string }) => [v.name, v]));
    expect(byName.CELIGO_API_TOKEN).toMatchObject({ isSecret: true, isRequired: true });
    expect(byName.CELIGO_MANAGE_DATABASE_URL).toMatchObject({ isSecret: true });
    expect(byName.CELIGO_MANAGE_DATABASE_URL.isRequired ?? false).toBe(false);
    // The database URL and the proxy URL may carry a password.
    expect(byName.HTTPS_PROXY).toMatchObject({ isSecret: true });
    const secrets = ['CELIGO_API_TOKEN', 'CELIGO_MANAGE_DATABASE_URL', 'HTTPS_PROXY'];
    for (const v of described.filter((n) => !secrets.includes(n))) expect(byName[v].isSecret ?? false, v).toBe(false);
    const regions = byName.CELIGO_REGION.choices as string[];
    for (const r of regions) expect(Object.keys(REGIONS)).toContain(r);
    // Every region the code accepts is one of the choices, or an alias of one (us = na).
    for (const [key, url] of Object.entries(REGIONS)) expect(regions.some((r) => r === key || REGIONS[r as keyof typeof REGIONS] === url), key).toBe(true);
    for (const t of TOOLSETS) expect(byName.CELIGO_MANAGE_TOOLSETS.description).toContain(t);
  });
});
