import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listRoutes, renderCoverageMarkdown } from '../../src/emulator/index.js';

const DOC = fileURLToPath(new URL('../../docs/emulator-coverage.md', import.meta.url));

describe('coverage', () => {
  it('docs/emulator-coverage.md is up to date (UPDATE_COVERAGE=1 rewrites it)', () => {
    const md = renderCoverageMarkdown();
    if (process.env.UPDATE_COVERAGE === '1') writeFileSync(DOC, md);
    let current = '';
    try {
      current = readFileSync(DOC, 'utf8');
    } catch {
      // missing file: fall through to the failure below
    }
    expect(current, 'docs/emulator-coverage.md is stale: run UPDATE_COVERAGE=1 npx vitest run test/emulator/coverage.test.ts').toBe(md);
  });

  it('listRoutes() lists the route table and the Appendix B endpoints it lacks', () => {
    const routes = listRoutes();
    const has = (m: string, p: string) => routes.find((r) => r.method === m && r.path === p);
    expect(has('POST', '/flows/{id}/run')).toMatchObject({ implemented: true });
    expect(has('GET', '/flows/{id}/{stepId}/errors')).toMatchObject({ implemented: true });
    expect(has('PUT', '/jobs/{id}/cancel')).toMatchObject({ implemented: true });
    expect(has('GET', '/scripts')).toMatchObject({ implemented: true });
    expect(has('POST', '/scripts')).toMatchObject({ implemented: false });
    expect(routes.filter((r) => r.implemented).length).toBeGreaterThan(100);
  });
});
