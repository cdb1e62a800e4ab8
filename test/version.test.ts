// src/version.ts is generated from package.json by the build (scripts/gen-version.mjs) and committed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../src/version.js';
import { packageVersion } from '../src/cli/main.js';

describe('VERSION', () => {
  it("is package.json's version", () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
    expect(packageVersion()).toBe(VERSION);
  });
});
