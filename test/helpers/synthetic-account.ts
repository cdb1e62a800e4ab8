// Accounts ten times the large seed, built straight into the health check's and troubleshoot's pure
// functions (judging and reporting): an emulator seed of that size would take minutes to build. Names,
// reasons and messages are long on purpose, and some are far longer than any real one.
import type { Flow, Integration } from '../../src/core/schemas.js';
import { healthWindow } from '../../src/ops/health.js';
import { assembleHealthReport } from '../../src/ops/health-assemble.js';
import { integrationGroups, judgeFlows, judgeIntegrations, tallyByIntegration, withConnectionResults } from '../../src/ops/health-judge.js';
import { HealthTally } from '../../src/ops/health-tally.js';
import type { ConnectionCheck, HealthReport } from '../../src/ops/health-report.js';
import { rowMaker, type JobRow } from '../../src/ops/job-rows.js';
import { groupErrors, type ScopedError } from '../../src/ops/patterns.js';
import { judgeTrouble, type ChangeEvent, type StepFinding } from '../../src/ops/troubleshoot-judge.js';
import { troubleshootReport, type TroubleshootReport } from '../../src/ops/troubleshoot-report.js';

export const NOW = Date.parse('2026-01-15T12:00:00.000Z');
const HOUR = 3_600_000;
const iso = (t: number) => new Date(t).toISOString();
const hex = (kind: number, i: number) => `${kind.toString(16).padStart(4, '0')}${i.toString(16).padStart(20, '0')}`;
const APPS = ['NetSuite', 'Salesforce', 'Shopify', 'Zendesk', 'SFTP', 'Amazon S3', 'PostgreSQL', 'HubSpot'];

export interface HealthScale {
  integrations: number;
  flowsPerIntegration: number;
  /** Flows of the first integration, which is much larger than the rest. */
  giantFlows: number;
  standaloneFlows: number;
  connectionsTested: number;
  connectionsDown: number;
}

/** Ten times the large seed: 2,200 integrations, 22,000 flows and more, ~300,000 flow jobs. */
export const TEN_X: HealthScale = { integrations: 2_200, flowsPerIntegration: 10, giantFlows: 400, standaloneFlows: 60, connectionsTested: 800, connectionsDown: 40 };

/** Integration i's name: every 97th is absurdly long. */
export const integrationName = (i: number) => `${APPS[i % 8]} - ${APPS[(i * 3 + 1) % 8]} Orders #${i + 1}${i % 97 === 5 ? ' with a name far longer than anyone would give it'.repeat(8) : ''}`;

/** Flow jobs of one flow: every two hours in the window, two in the baseline; how they end depends on `health`. */
function jobsOf(f: Flow, health: 'failing' | 'flaky' | 'errors' | 'fine', k: number, toRow: (j: never) => JobRow): JobRow[] {
  const rows: JobRow[] = [];
  for (let h = 1; h <= 24 + 2 * 24 * 3; h += 2) {
    if (h > 24 && h % 72 !== 1) continue;
    const t = NOW - h * HOUR;
    const failed = health === 'failing' || (health === 'flaky' && h % 6 === 1);
    const numError = health === 'errors' && h <= 24 ? (k % 5) + 1 : failed ? 1 : 0;
    const job = { _id: `${f._id}-${h}`, type: 'flow', status: failed ? 'failed' : 'completed', createdAt: iso(t), startedAt: iso(t), endedAt: iso(t + 60_000 + k * 1_000), _flowId: f._id, _integrationId: f._integrationId, numError, numOpenError: numError, numSuccess: 10 };
    rows.push(toRow(job as never));
  }
  return rows;
}

/** A health report of a synthetic account of `scale`, judged and assembled by the health check's own functions. */
export function syntheticHealthReport(scale: HealthScale = TEN_X): HealthReport {
  const w = healthWindow(undefined, new Date(NOW));
  const toRow = rowMaker(w.from, w.to, w.days);
  const integrations: Integration[] = [];
  const flows: Flow[] = [];
  const tally = new HealthTally();
  const add = (f: Flow, health: Parameters<typeof jobsOf>[1], k: number) => {
    flows.push(f);
    for (const r of jobsOf(f, health, k, toRow)) tally.add(r);
  };
  for (let i = 0; i < scale.integrations; i++) {
    integrations.push({ _id: hex(1, i), name: integrationName(i), ...(i % 50 === 0 ? { tag: 'critical' } : {}) });
    const n = i === 0 ? scale.giantFlows : scale.flowsPerIntegration;
    for (let k = 0; k < n; k++) {
      const f: Flow = { _id: hex(2, i * 1000 + k), name: `${APPS[i % 8]} ${['Orders', 'Customers', 'Invoices', 'Items'][k % 4]} to ${APPS[(i * 3 + 1) % 8]} ${i + 1}.${k + 1}${k % 7 === 3 ? ' (nightly full resync of everything)'.repeat(3) : ''}`, _integrationId: hex(1, i), schedule: '? 0 */2 ? * *', disabled: k === 9 };
      add(f, i % 20 === 0 ? 'failing' : i % 3 === 0 ? 'flaky' : i % 3 === 1 ? 'errors' : 'fine', k);
    }
  }
  for (let k = 0; k < scale.standaloneFlows; k++) add({ _id: hex(3, k), name: `Standalone export ${k + 1}`, schedule: '? 0 1 ? * *' }, k % 2 ? 'flaky' : 'fine', k);

  const judged = judgeFlows(flows, tally.byFlow, tally.openByFlow, w.to - w.from);
  const bad = judged.flowHealth.filter((f) => f.verdict !== 'healthy');
  const checks: ConnectionCheck[] = Array.from({ length: scale.connectionsTested }, (_, c) => {
    const down = c < scale.connectionsDown;
    return {
      connectionId: hex(4, c),
      name: `${APPS[c % 8]} ${c + 1}${c % 13 === 0 ? ' production account (primary)'.repeat(5) : ''}`,
      type: 'http',
      ok: !down,
      ...(down ? { code: 401, message: `Login failed for user integration-${c}@example.com: the password has expired. ${'Contact your administrator. '.repeat(10)}` } : { code: 200, latencyMs: 120 }),
      reasons: ['used by failing flow'],
      usedByFlows: bad.slice(c * 20, c * 20 + 20).map((f) => f.flowId),
    };
  });
  const flowHealth = withConnectionResults(judged.flowHealth, checks);
  const byIntegration = tallyByIntegration(flowHealth, tally.byFlow);
  const judgedIntegrations = judgeIntegrations(integrationGroups(integrations, flowHealth), flowHealth, byIntegration, w.to - w.from);
  const body = assembleHealthReport({ window: w, integrationCount: integrations.length, integrations: judgedIntegrations, tally, byIntegration, flows, checks, scheduleIssues: judged.scheduleIssues });
  return { ...body, requests: 0 };
}

export interface TroubleScale {
  flows: number;
  errors: number;
  /** Distinct messages (each a pattern per flow and step it occurs on). */
  messages: number;
  connectionsDown: number;
  changes: number;
}

/** Ten times the largest integration of the large seed: 10x its flows and far more errors and patterns. */
export const TROUBLE_TEN_X: TroubleScale = { flows: 100, errors: 40_000, messages: 3_000, connectionsDown: 30, changes: 200 };

/** A troubleshoot report of one synthetic integration, judged and written by troubleshoot's own functions. */
export function syntheticTroubleshootReport(scale: TroubleScale = TROUBLE_TEN_X): TroubleshootReport {
  const target = { type: 'integration' as const, id: hex(1, 0), name: integrationName(5) };
  const flows: Flow[] = Array.from({ length: scale.flows }, (_, f) => ({
    _id: hex(2, f),
    name: `Flow ${f + 1} of a very busy integration${f % 9 === 0 ? ' that syncs everything'.repeat(6) : ''}`,
    _integrationId: target.id,
    pageGenerators: [{ _exportId: hex(5, f) }],
    pageProcessors: [{ type: 'import', _importId: hex(6, f) }, { type: 'import', _importId: hex(7, f) }],
  }));
  /** A word for a number, in letters only: digits in a message are not part of its pattern. */
  const word = (n: number) => [...n.toString(26)].map((d) => String.fromCharCode(97 + parseInt(d, 26))).join('');
  const codes = ['REQUIRED_FIELD_MISSING', 'INVALID_KEY_OR_REF', '422', '503', 'ETIMEDOUT', '429', 'DUP_RCRD', 'mapping_failed'];
  const errors: ScopedError[] = Array.from({ length: scale.errors }, (_, e) => {
    const m = e % scale.messages;
    const f = m % scale.flows;
    return {
      errorId: String(7_000_000 + e),
      occurredAt: iso(NOW - ((e * 37) % (48 * 60)) * 60_000),
      code: codes[m % codes.length],
      message: `Record rejected by the target: field${word(m)} ${'is not valid for this record type and cannot be saved; '.repeat(m % 11 === 0 ? 12 : 2)}(record ${e}).`,
      source: 'application',
      _flowJobId: `job-${f}-${e % 24}`,
      flowId: hex(2, f),
      stepId: hex(6 + (m % 2), f),
    };
  });
  const groups = groupErrors(errors);
  const steps: StepFinding[] = flows.flatMap((f, i) =>
    [hex(5, i), hex(6, i), hex(7, i)].map((id, s) => {
      const c = (i * 3 + s) % 90;
      const down = c < scale.connectionsDown;
      return { stepId: id, kind: s ? ('import' as const) : ('export' as const), name: `${s ? 'Upsert' : 'Get'} records ${i + 1}.${s}${i % 5 === 0 ? ' for the quarterly reconciliation run'.repeat(4) : ''}`, connection: { connectionId: hex(4, c), name: `Connection ${c}`, ok: !down, code: down ? 401 : 200, ...(down ? { message: `Invalid credentials. ${'The token has expired or was revoked. '.repeat(8)}` } : {}) } };
    }),
  );
  const changes: ChangeEvent[] = Array.from({ length: scale.changes }, (_, c) => ({
    at: iso(NOW - (49 * 60 + c) * 60_000),
    resourceType: 'import',
    resourceId: hex(6, c % scale.flows),
    resourceName: `Upsert records ${c % scale.flows}.1`,
    action: 'update',
    fields: Array.from({ length: 20 }, (_, k) => `mapping.fields.${k}.generate`),
    by: 'someone@example.com',
    source: 'audit',
    mappingEffect: { removed: Array.from({ length: 80 }, (_, k) => ({ generate: `Field${k}`, was: `source_field_${k}` })), added: [], changed: [] },
    minutesBeforeFirstError: 0,
  }));
  const firstErrorAt = Math.min(...groups.map((g) => Date.parse(g.firstSeen)));
  const judged = judgeTrouble({ target, flows, groups, steps, changes, firstErrorAt });
  return troubleshootReport({ target, flows, errors, steps }, judged);
}
