// Which endpoints of celigo-api.md Appendix B the emulator implements, computed from the route table
// (docs/emulator-coverage.md is this module's output; a test fails when the file is stale).
import { apiRouter } from './routes/index.js';

/** Appendix B, one method and path per line; `{x}` marks a path parameter. */
const APPENDIX_B: [string, string, string?][] = [
  ['GET', '/tokenInfo'],
  ['GET', '/integrations'], ['POST', '/integrations'], ['GET', '/integrations/{id}'], ['PUT', '/integrations/{id}'], ['PATCH', '/integrations/{id}'], ['DELETE', '/integrations/{id}'],
  ['POST', '/integrations/{id}/clone'],
  ['GET', '/integrations/{id}/flows'], ['GET', '/integrations/{id}/connections'], ['GET', '/integrations/{id}/exports'], ['GET', '/integrations/{id}/imports'],
  ['GET', '/integrations/{id}/ashares', 'users are not modelled'], ['GET', '/integrations/{id}/errors'], ['GET', '/integrations/{id}/audit'],
  ['GET', '/integrations/{id}/dependencies'], ['GET', '/integrations/{id}/template'], ['GET', '/integrations/{id}/jobs/latest'],
  ['PUT', '/integrations/{id}/connections/register', 'body unknown (§2.1)'], ['PUT', '/integrations/{id}/connections/{cid}/register'], ['DELETE', '/integrations/{id}/connections/{cid}/register'],
  ['POST', '/integrations/{id}/revisions/create', 'revisions are not modelled'], ['GET', '/integrations/{id}/revisions', 'revisions are not modelled'],
  ['GET', '/flows'], ['POST', '/flows'], ['GET', '/flows/{id}'], ['PUT', '/flows/{id}'], ['PATCH', '/flows/{id}'], ['DELETE', '/flows/{id}'],
  ['POST', '/flows/{id}/run'], ['POST', '/flows/{id}/clone'], ['PUT', '/flows/{id}/replaceConnection', 'body unknown (§11)'],
  ['GET', '/flows/{id}/audit'], ['GET', '/flows/{id}/template'], ['GET', '/flows/{id}/dependencies'], ['GET', '/flows/{id}/descendants'], ['GET', '/flows/{id}/lastExportDateTime'],
  ['GET', '/flows/{id}/jobs/latest'], ['GET', '/flows/{id}/errors'],
  ['GET', '/flows/{id}/{stepId}/errors'], ['GET', '/flows/{id}/{stepId}/resolved'], ['PUT', '/flows/{id}/{stepId}/resolved'], ['POST', '/flows/{id}/{stepId}/retry'],
  ['PUT', '/flows/{id}/{stepId}/errors/assign', 'conflicting sources (§11)'], ['PUT', '/flows/{id}/{stepId}/tags', 'conflicting sources (§11)'],
  ['POST', '/flows/runs/stats'],
  ['GET', '/exports'], ['POST', '/exports'], ['GET', '/exports/{id}'], ['PUT', '/exports/{id}'], ['PATCH', '/exports/{id}'], ['DELETE', '/exports/{id}'],
  ['POST', '/exports/{id}/clone'], ['POST', '/exports/{id}/invoke'], ['POST', '/exports/preview'], ['GET', '/exports/{id}/distributed'], ['PUT', '/exports/{id}/distributed'],
  ['GET', '/imports'], ['POST', '/imports'], ['GET', '/imports/{id}'], ['PUT', '/imports/{id}'], ['PATCH', '/imports/{id}'], ['DELETE', '/imports/{id}'],
  ['POST', '/imports/{id}/clone'], ['POST', '/imports/{id}/invoke'],
  ['GET', '/connections'], ['POST', '/connections'], ['GET', '/connections/{id}'], ['PUT', '/connections/{id}'], ['PATCH', '/connections/{id}'], ['DELETE', '/connections/{id}'],
  ['GET', '/connections/{id}/ping'], ['POST', '/connections/{id}/ping'], ['POST', '/connections/{id}/test'], ['POST', '/connections/ping'],
  ['GET', '/connections/{id}/debug'], ['GET', '/connections/{id}/debug/{resourceId}'],
  ['POST', '/connections/{id}/export'], ['POST', '/connections/{id}/export/pages'], ['POST', '/connections/{id}/import'], ['POST', '/connections/{id}/import/map'],
  ['GET', '/jobs'], ['GET', '/jobs/{id}'], ['PUT', '/jobs/{id}/cancel'], ['POST', '/jobs/current'],
  ['GET', '/jobs/{id}/joberrors'], ['GET', '/jobs/{id}/errors'], ['GET', '/jobs/{id}/diagnostics'], ['GET', '/jobs/{id}/errorFile/signedURL'], ['POST', '/jobs/{id}/files/signedURL'],
  ['GET', '/tags'], ['POST', '/tags'], ['GET', '/tags/{id}'], ['PUT', '/tags/{id}'], ['DELETE', '/tags/{id}'],
  ['GET', '/ashares'], ['GET', '/ashares/{id}'], ['PUT', '/ashares/{id}'], ['DELETE', '/ashares/{id}'], ['POST', '/invite'], ['POST', '/invite/multiple'],
  ['GET', '/state'], ['DELETE', '/state'], ['GET', '/state/{key}'], ['PUT', '/state/{key}'], ['DELETE', '/state/{key}'],
  ['GET', '/{resourceType}/{id}/state', 'integrations, flows, exports, imports, connections'], ['DELETE', '/{resourceType}/{id}/state'],
  ['GET', '/{resourceType}/{id}/state/{key}'], ['PUT', '/{resourceType}/{id}/state/{key}'], ['DELETE', '/{resourceType}/{id}/state/{key}'],
  ['GET', '/scripts'], ['POST', '/scripts'], ['GET', '/scripts/{id}'], ['PUT', '/scripts/{id}'], ['PATCH', '/scripts/{id}'], ['DELETE', '/scripts/{id}'], ['GET', '/scripts/{id}/logs'],
  ['GET', '/audit'],
  ['GET', '/lookupcaches'], ['POST', '/lookupcaches'], ['GET', '/lookupcaches/{id}'], ['PUT', '/lookupcaches/{id}'], ['PATCH', '/lookupcaches/{id}'], ['DELETE', '/lookupcaches/{id}'],
  ['POST', '/lookupcaches/{id}/data'], ['POST', '/lookupcaches/{id}/getData'], ['DELETE', '/lookupcaches/{id}/data'], ['DELETE', '/lookupcaches/{id}/data/purge'],
  ['GET', '/iclients'], ['POST', '/iclients'], ['GET', '/iclients/{id}'], ['PUT', '/iclients/{id}'], ['DELETE', '/iclients/{id}'],
  ['GET', '/templates'], ['POST', '/templates'], ['GET', '/templates/{id}'], ['PUT', '/templates/{id}'], ['DELETE', '/templates/{id}'], ['GET', '/templates/published'],
  ['GET', '/connectors'], ['POST', '/connectors'], ['GET', '/connectors/{id}'], ['PUT', '/connectors/{id}'], ['DELETE', '/connectors/{id}'],
  ['GET', '/connectors/{id}/installBase'], ['PUT', '/connectors/{id}/update'], ['GET', '/connectors/{id}/licenses'], ['POST', '/connectors/{id}/licenses'], ['GET', '/connectors/{id}/licenses/{lid}'],
  ['GET', '/environments'], ['GET', '/httpconnectors'], ['GET', '/httpconnectors/{id}'], ['GET', '/metadata/application/{appId}'], ['GET', '/tiles'], ['GET', '/licenses'],
  ['GET', '/apis'], ['GET', '/tools'], ['GET', '/mcpServers'], ['GET', '/asynchelpers'], ['GET', '/notifications'], ['GET', '/ediprofiles'], ['GET', '/ediTransactions'],
  ['GET', '/filedefinitions'], ['GET', '/stacks'], ['GET', '/recycleBinTTL'],
  ['POST', '/mirror'],
];

const SAMPLE: Record<string, string> = { resourceType: 'integrations', key: 'sample-key' };

function probe(method: string, path: string): { implemented: boolean; note?: string } {
  const segs = path.split('/').filter(Boolean).map((s) => {
    const m = /^\{(\w+)\}$/.exec(s);
    return m ? SAMPLE[m[1]] ?? '665f00000000000000000001' : s;
  });
  const m = apiRouter().match(method, segs);
  if (m && 'route' in m) return { implemented: true, note: m.route.note };
  return { implemented: false };
}

function toBraces(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}

export interface CoverageRow {
  method: string;
  path: string;
  implemented: boolean;
  note?: string;
}

export function appendixCoverage(): CoverageRow[] {
  return APPENDIX_B.map(([method, path, note]) => {
    const p = probe(method, path);
    return { method, path, implemented: p.implemented, note: p.implemented ? p.note ?? note : note };
  });
}

/** Every route in the table, plus the Appendix B endpoints the table lacks. */
export function routeCoverage(): CoverageRow[] {
  const rows: CoverageRow[] = apiRouter().routes().map((r) => ({ method: r.method, path: toBraces(r.path), implemented: true, ...(r.note ? { note: r.note } : {}) }));
  for (const r of appendixCoverage()) if (!r.implemented) rows.push(r);
  return rows;
}

const cell = (s: string | undefined): string => (s ?? '').replace(/\|/g, '\\|');

export function renderCoverageMarkdown(): string {
  const app = appendixCoverage();
  const done = app.filter((r) => r.implemented).length;
  const covered = new Set(app.filter((r) => r.implemented).map((r) => `${r.method} ${r.path}`));
  const lines = [
    '# Emulator coverage',
    '',
    '<!-- Generated by src/emulator/coverage.ts (renderCoverageMarkdown). Do not edit by hand:',
    '     UPDATE_COVERAGE=1 npx vitest run test/emulator/coverage.test.ts rewrites it. -->',
    '',
    `Endpoints of \`celigo-api.md\` Appendix B that the emulator implements: **${done} of ${app.length}**.`,
    'Paths are relative to `/v1`. Control endpoints (`/__emulator/*`) are described in `src/emulator/seed/README.md`.',
    '',
    '| Method | Path | Implemented | Note |',
    '|---|---|---|---|',
    ...app.map((r) => `| ${r.method} | \`${r.path}\` | ${r.implemented ? 'yes' : 'no'} | ${cell(r.note)} |`),
    '',
    '## Routes beyond Appendix B',
    '',
    '| Method | Path | Note |',
    '|---|---|---|',
  ];
  for (const r of apiRouter().routes()) {
    const path = toBraces(r.path);
    const generic = path.replace(/^\/(integrations|flows|exports|imports|connections)\/\{id\}\/state/, '/{resourceType}/{id}/state');
    if (covered.has(`${r.method} ${path}`) || covered.has(`${r.method} ${generic}`)) continue;
    if (app.some((a) => a.implemented && a.method === r.method && probeEq(a.path, path))) continue;
    lines.push(`| ${r.method} | \`${path}\` | ${cell(r.note)} |`);
  }
  lines.push('');
  return lines.join('\n');
}

/** True when an Appendix path and a route path are the same pattern (parameter names aside). */
function probeEq(a: string, b: string): boolean {
  const norm = (p: string): string => p.replace(/\{\w+\}/g, '{}');
  return norm(a) === norm(b);
}
