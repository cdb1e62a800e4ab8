// Before a retry: the connections of the steps whose errors are of the authentication or connection class
// (INVALID_LOGIN, offline, refused…), each tested once. Retrying those errors while the connection still
// fails its test only makes them fail again, so the plan leaves them out unless the caller forces them in,
// and the preview says which connection to fix and where (issue 12 item 6).
import { flowSteps } from '../core/flows.js';
import type { Flow } from '../core/schemas.js';
import type { OpContext } from './context.js';
import { classifyCause, type ScopedError } from './patterns.js';
import { mapPool, readWidth } from './pool.js';
import { plural, testConnection } from './util.js';
import { connectionInApp } from './web-app.js';

/** A connection that failed its test, and the selected errors that wait on it. */
export interface ConnectionProblem {
  connectionId: string;
  name: string;
  /** The remote status the test reported (401, 403, 503…), when it gave one. */
  code?: number;
  /** What the test said. */
  message: string;
  /** Selected errors, of the authentication or connection class, of steps that use this connection. */
  errors: number;
  /** Left out of the retry (true), or retried anyway because `force` said so (false). */
  heldBack: boolean;
}

/** What the connection tests decided for a retry. */
export interface ConnectionVerdict {
  problems: ConnectionProblem[];
  /** The problem that holds an error back, if any (never one when forced). */
  heldBy(e: ScopedError): ConnectionProblem | undefined;
}

/** A test's outcome, as the verdict reads it. */
export interface TestedConnection {
  ok: boolean;
  name: string;
  code?: number;
  message?: string;
}

/** At most this many steps are read one by one; more, and the export and import lists are read instead. */
const STEP_READS = 8;

/** An error whose likely cause is its connection: authentication, permission, or the connection down. */
export function isConnectionClass(e: ScopedError): boolean {
  const cause = classifyCause(e.code, e.message, e.source, typeof e.classification === 'string' ? e.classification : undefined).cause;
  return cause === 'auth' || cause === 'connection';
}

const stepKey = (flowId: string | undefined, stepId: string | undefined) => `${flowId ?? ''}/${stepId ?? ''}`;

/**
 * The verdict from what was read, with no I/O: `connectionOf` maps "flow/step" to its connection, `tests`
 * a connection to its test. A connection that passed, or could not be tested, holds nothing back.
 */
export function connectionVerdict(
  errors: readonly ScopedError[],
  connectionOf: ReadonlyMap<string, string>,
  tests: ReadonlyMap<string, TestedConnection | undefined>,
  force: boolean,
): ConnectionVerdict {
  const byError = new Map<ScopedError, ConnectionProblem>();
  const problems = new Map<string, ConnectionProblem>();
  for (const e of errors) {
    if (!isConnectionClass(e)) continue;
    const cid = connectionOf.get(stepKey(e.flowId, e.stepId));
    const t = cid ? tests.get(cid) : undefined;
    if (!cid || !t || t.ok) continue;
    let p = problems.get(cid);
    if (!p) problems.set(cid, (p = { connectionId: cid, name: t.name, ...(t.code ? { code: t.code } : {}), message: t.message ?? 'failed', errors: 0, heldBack: !force }));
    p.errors++;
    byError.set(e, p);
  }
  return { problems: [...problems.values()], heldBy: (e) => (force ? undefined : byError.get(e)) };
}

/** The steps with connection-class errors, and whether each is an export or an import. */
function stepsToCheck(errors: readonly ScopedError[], flows: ReadonlyMap<string, Flow>): Map<string, { stepId: string; kind: 'export' | 'import' }> {
  const steps = new Map<string, { stepId: string; kind: 'export' | 'import' }>();
  for (const e of errors) {
    const key = stepKey(e.flowId, e.stepId);
    if (steps.has(key) || !e.flowId || !e.stepId || !isConnectionClass(e)) continue;
    const flow = flows.get(e.flowId);
    const step = flow && flowSteps(flow).find((s) => s.id === e.stepId);
    if (step) steps.set(key, { stepId: step.id, kind: step.kind });
  }
  return steps;
}

/** Each step's connection: a read per step when there are few, else the two lists with only that field. */
async function connectionsOfSteps(ctx: OpContext, steps: Map<string, { stepId: string; kind: 'export' | 'import' }>): Promise<Map<string, string>> {
  const { api, signal } = ctx;
  const entries = [...steps.entries()];
  const out = new Map<string, string>();
  if (entries.length <= STEP_READS) {
    await mapPool(entries, readWidth(ctx), async ([key, s]) => {
      const doc = await (s.kind === 'export' ? api.exports.get(s.stepId, { signal }) : api.imports.get(s.stepId, { signal })).catch(() => undefined);
      if (typeof doc?._connectionId === 'string') out.set(key, doc._connectionId);
    }, signal);
    return out;
  }
  // `include` keeps the pages small (celigo-api.md §1.7); `name` is asked for since the schema needs it.
  const fields = { include: 'name,_connectionId' };
  const kinds = new Set(entries.map(([, s]) => s.kind));
  const [exps, imps] = await Promise.all([kinds.has('export') ? api.exports.list(fields, { signal }) : [], kinds.has('import') ? api.imports.list(fields, { signal }) : []]);
  const connectionOf = new Map<string, unknown>([...exps, ...imps].map((r) => [r._id, r._connectionId]));
  for (const [key, s] of entries) {
    const cid = connectionOf.get(s.stepId);
    if (typeof cid === 'string') out.set(key, cid);
  }
  return out;
}

/** Tests each connection once (as many at a time as the budget lets run); one that cannot be tested is left undefined. */
async function testEach(ctx: OpContext, ids: readonly string[]): Promise<Map<string, TestedConnection | undefined>> {
  const { api, signal } = ctx;
  const results = await mapPool(ids, readWidth(ctx), async (id) => {
    const [doc, ping] = await Promise.all([api.connections.get(id, { signal }).catch(() => undefined), testConnection(ctx, id).catch(() => undefined)]);
    if (!ping) return undefined;
    const message = ping.ok ? undefined : `${ping.errorCode ? `${ping.errorCode}: ` : ''}${ping.message ?? 'failed'}`;
    return { ok: ping.ok, name: doc?.name ?? id, code: ping.ok ? undefined : ping.code, message };
  }, signal);
  return new Map(ids.map((id, i) => [id, results[i]]));
}

/**
 * Tests the connections of the steps whose selected errors are of the connection or authentication class
 * (each connection once, in parallel), and decides which errors wait on a connection that fails.
 */
export async function checkRetryConnections(ctx: OpContext, errors: readonly ScopedError[], flows: ReadonlyMap<string, Flow>, force: boolean): Promise<ConnectionVerdict> {
  const steps = stepsToCheck(errors, flows);
  if (!steps.size) return connectionVerdict([], new Map(), new Map(), force);
  const connectionOf = await connectionsOfSteps(ctx, steps);
  const tests = await testEach(ctx, [...new Set(connectionOf.values())]);
  return connectionVerdict(errors, connectionOf, tests, force);
}

/** "3 errors will fail again until connection "X" is fixed (its connection test says: 401: …): left out; …". */
export function problemLine(p: ConnectionProblem): string {
  const said = `${p.code ? `${p.code}: ` : ''}${p.message}`;
  const what = p.heldBack
    ? `left out of this retry; fix it ${connectionInApp(p.name)}, or pass force to retry them anyway`
    : 'retried anyway (force)';
  return `${plural(p.errors, 'error')} will fail again until connection ${JSON.stringify(p.name)} is fixed (its connection test says: ${said}): ${what}`;
}

/** The skip reason of the errors a connection holds back. */
export function heldBackReason(p: ConnectionProblem): string {
  return `connection ${JSON.stringify(p.name)} fails its test`;
}
