// One table of outcomes drives both front ends. Each case is a result an operation's run returns (stubbed,
// so the case is exactly what it says); the MCP tool derived from the operation must answer with the
// isError of OUTCOMES, and the CLI command derived from it must exit with OUTCOMES' exit code. The same
// retry result gives the same verdict in retry_job, retry_errors and retry_failed_jobs, tool and command.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CeligoClient } from '../../src/core/client.js';
import { commandsOf } from '../../src/cli/derive.js';
import { Output } from '../../src/cli/output.js';
import type { RunContext } from '../../src/cli/spec.js';
import { operationMap } from '../../src/operations/index.js';
import { OUTCOMES } from '../../src/operations/outcome.js';
import { toolOf } from '../../src/operations/tool.js';
import type { Operation, OperationContext, Outcome } from '../../src/operations/types.js';
import { clearOutcome, type ClearReport } from '../../src/ops/clear.js';
import type { ScopedError } from '../../src/ops/patterns.js';
import type { RetryReport, RetryRun } from '../../src/ops/retry.js';
import { planRetry } from '../../src/ops/retry-plan.js';
import type { BatchOutcome, PostResult } from '../../src/ops/retry-post.js';
import { nothingToRetryReport, retryReport, type WaitResult } from '../../src/ops/retry-report.js';
import { runOutcome, type RunReport } from '../../src/ops/run.js';

// ---- retry results, built by the ops' own report code from a plan and how its batches ended ----

const err = (id: string, step: string, key?: string): ScopedError => ({
  errorId: id, occurredAt: '2026-01-01T00:00:00.000Z', code: '503', message: 'Service unavailable', flowId: 'F', stepId: step, _flowJobId: 'j1',
  ...(key ? { retryDataKey: key } : {}),
});
const FLOWS = new Map([['F', { name: 'Orders' }]]);
const posted: BatchOutcome = { kind: 'posted' };
const refused: BatchOutcome = { kind: 'rejected', err: new Error('bad keys'), attempts: 1 };
const unconfirmed: BatchOutcome = { kind: 'unconfirmed', err: new Error('timeout'), why: 'the retry request timed out' };

/** Errors on steps S, T, U (one batch each), the first `n` on S; how each step's batch ended; what waiting found. */
function retried(errors: ScopedError[], ends: Record<string, BatchOutcome>, wait: WaitResult = {}): RetryReport {
  const plan = planRetry(errors, FLOWS, { scope: 'flow Orders', kind: 'change' });
  if (plan.totalKeys === 0) return nothingToRetryReport(plan);
  const settled = plan.batches.map((batch) => ({ batch, outcome: ends[batch.stepId] ?? posted }));
  const jobs = settled.filter((s) => s.outcome.kind === 'posted').map((s, i) => ({
    jobId: `r${i + 1}`, flowId: 'F', stepId: s.batch.stepId, keys: s.batch.keys.length,
    ...(wait.errorsResolvedAfter !== undefined ? { status: 'completed', resolved: s.batch.keys.length - (i === 0 ? (wait.stillOpenAfter ?? 0) : 0), failedAgain: i === 0 ? (wait.stillOpenAfter ?? 0) : 0 } : {}),
  }));
  const post: PostResult = { jobs, createdAt: new Map(), settled, unseenJobs: 0, recoveredAmbiguous: 0 };
  return retryReport(plan, errors, post, wait);
}
const onS = (n: number) => Array.from({ length: n }, (_, i) => err(`s${i}`, 'S', `ks${i}`));
const THREE_STEPS = [err('1', 'S', 'a'), err('2', 'S', 'b'), err('3', 'T', 'c'), err('4', 'U', 'd')];

// ---- clear results ----

function cleared(matched: number, done: number, failed: number, unsupported = false): ClearReport {
  const counts = { matched, cleared: done, failed, ...(unsupported ? { unsupported } : {}) };
  const outcome = clearOutcome(counts);
  return {
    state: 'open', scope: 'flow Orders', flows: [], patterns: [], failures: [], notCleared: [], summary: `Resolved ${done} of ${matched}.`, ...counts,
    ...(outcome === 'ok' ? {} : { outcome }), next: [],
  };
}

// ---- the table ----

const RETRY_OPS = ['retry_job', 'retry_errors', 'retry_failed_jobs'];

interface Case {
  name: string;
  ops: string[];
  /** What the operation's run returns. */
  result: () => unknown;
  outcome: Outcome;
}

/** A retry that was posted and will not be followed again (the stub's follow returns the same report). */
const run = (report: RetryReport): RetryRun => ({ report, follow: async () => report });

const CASES: Case[] = [
  { name: 'every error retried (not waited for)', ops: RETRY_OPS, result: () => run(retried(THREE_STEPS, {})), outcome: 'ok' },
  { name: 'every error retried and resolved', ops: RETRY_OPS, result: () => run(retried(onS(10), {}, { errorsResolvedAfter: 10, stillOpenAfter: 0 })), outcome: 'ok' },
  { name: 'a second error of the same record is retried with it', ops: RETRY_OPS, result: () => run(retried([err('1', 'S', 'a'), err('2', 'S', 'a')], {})), outcome: 'ok' },
  { name: '10 retried, 5 failed again', ops: RETRY_OPS, result: () => run(retried(onS(10), {}, { errorsResolvedAfter: 5, stillOpenAfter: 5 })), outcome: 'partial' },
  { name: '10 retried, every one failed again', ops: RETRY_OPS, result: () => run(retried(onS(10), {}, { errorsResolvedAfter: 0, stillOpenAfter: 10 })), outcome: 'failed' },
  { name: '10 asked, the retry job took none', ops: RETRY_OPS, result: () => run(retried(onS(10), {}, { errorsResolvedAfter: 0, stillOpenAfter: 0, notTakenAfter: 10 })), outcome: 'nothing' },
  { name: '10 asked, 4 taken and resolved', ops: RETRY_OPS, result: () => run(retried(onS(10), {}, { errorsResolvedAfter: 4, stillOpenAfter: 0, notTakenAfter: 6 })), outcome: 'partial' },
  { name: 'one step refused', ops: RETRY_OPS, result: () => run(retried(THREE_STEPS, { T: refused })), outcome: 'partial' },
  { name: 'one step unconfirmed', ops: RETRY_OPS, result: () => run(retried(THREE_STEPS, { U: unconfirmed })), outcome: 'partial' },
  { name: 'some errors without retry data', ops: RETRY_OPS, result: () => run(retried([...onS(2), err('9', 'S')], {})), outcome: 'partial' },
  { name: 'still running, and one step refused', ops: RETRY_OPS, result: () => run(retried(THREE_STEPS, { T: refused }, { waitNote: 'still running', stillRunning: 1 })), outcome: 'partial' },
  { name: 'every step refused', ops: RETRY_OPS, result: () => run(retried(THREE_STEPS, { S: refused, T: refused, U: refused })), outcome: 'failed' },
  { name: 'every step unconfirmed', ops: RETRY_OPS, result: () => run(retried(THREE_STEPS, { S: unconfirmed, T: unconfirmed, U: unconfirmed })), outcome: 'failed' },
  { name: 'no open errors match', ops: RETRY_OPS, result: () => run(retried([], {})), outcome: 'nothing' },
  { name: 'no selected error has retry data', ops: RETRY_OPS, result: () => run(retried([err('9', 'S')], {})), outcome: 'nothing' },
  { name: 'still running when we stopped waiting', ops: RETRY_OPS, result: () => run(retried(THREE_STEPS, {}, { waitNote: 'still running', stillRunning: 2 })), outcome: 'pending' },
  { name: 'every matched error cleared', ops: ['clear_errors'], result: () => cleared(5, 5, 0), outcome: 'ok' },
  { name: 'some errors left open', ops: ['clear_errors'], result: () => cleared(5, 3, 2), outcome: 'partial' },
  { name: 'no error cleared', ops: ['clear_errors'], result: () => cleared(5, 0, 5), outcome: 'failed' },
  { name: 'no errors match', ops: ['clear_errors'], result: () => cleared(0, 0, 0), outcome: 'nothing' },
  { name: 'purging is not offered by the API', ops: ['clear_errors'], result: () => cleared(5, 0, 0, true), outcome: 'nothing' },
  { name: 'an empty list is not an error', ops: ['list_jobs'], result: () => ({ rows: [], total: 0 }), outcome: 'ok' },
];

// ---- the two front ends, with the operation's run stubbed ----

const ops = operationMap();
const ctx: OperationContext = { api: new CeligoClient({ baseUrl: 'http://127.0.0.1:9', token: 'unused-token' }) };

function stubbed(name: string, result: unknown): Operation {
  const op = ops.get(name);
  if (!op) throw new Error(`no operation ${name}`);
  return { ...op, run: async () => result };
}

/** The smallest valid call of each operation: MCP arguments, and the command line's positionals and options. */
const CALLS: Record<string, { args: Record<string, unknown>; argv: string[]; opts: Record<string, unknown> }> = {
  retry_job: { args: { job: 'J1' }, argv: ['J1'], opts: {} },
  retry_errors: { args: { flow: 'F', all: true }, argv: [], opts: { flow: 'F' } },
  retry_failed_jobs: { args: { flow: 'F' }, argv: [], opts: { flow: 'F' } },
  clear_errors: { args: { flow: 'F' }, argv: [], opts: { flow: 'F' } },
  list_jobs: { args: {}, argv: [], opts: {} },
  trigger_flow_run: { args: { flow: 'F' }, argv: ['F'], opts: {} },
};

async function viaTool(name: string, result: unknown) {
  return toolOf(stubbed(name, result)).handler(CALLS[name].args, ctx);
}

async function viaCommand(name: string, result: unknown, extra: Record<string, unknown> = {}): Promise<{ code: number; stdout: string }> {
  const [cmd] = commandsOf(stubbed(name, result), ops);
  let stdout = '';
  const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true }, stdin: new PassThrough(), isTTY: false, env: {}, columns: 100 };
  const global = { color: false };
  const rc: RunContext = {
    args: CALLS[name].argv,
    opts: { ...CALLS[name].opts, ...extra },
    global,
    io,
    out: new Output(io, global),
    signal: new AbortController().signal,
    ctx: async () => ctx,
    home: () => '/nonexistent',
    nouns: async () => [],
  };
  const code = await cmd.spec.run(rc);
  return { code: code ?? 0, stdout };
}

describe('one outcome table for both front ends', () => {
  const rows = CASES.flatMap((c) => c.ops.map((op) => ({ ...c, op })));

  it.each(rows)('$op: $name -> $outcome', async ({ op, result, outcome }) => {
    const tool = await viaTool(op, result());
    expect(tool.isError, tool.text).toBe(OUTCOMES[outcome].isError);
    const command = await viaCommand(op, result());
    expect(command.code, command.stdout).toBe(OUTCOMES[outcome].exitCode);
  });

  it('the ops decide the outcome the table expects (a report carries it unless ok)', () => {
    for (const c of CASES) {
      const r = c.result();
      const report = r && typeof r === 'object' && 'report' in r ? (r as RetryRun).report : r;
      const carried = report && typeof report === 'object' && 'outcome' in report ? report.outcome : undefined;
      expect(carried ?? 'ok', c.name).toBe(c.outcome);
    }
  });

  it('the three retry operations give one verdict for the same result, as tools and as commands', async () => {
    for (const c of CASES.filter((x) => x.ops === RETRY_OPS)) {
      const verdicts = new Set<string>();
      for (const op of RETRY_OPS) {
        const tool = await viaTool(op, c.result());
        const command = await viaCommand(op, c.result());
        verdicts.add(`isError=${tool.isError} exit=${command.code}`);
      }
      expect([...verdicts], c.name).toHaveLength(1);
    }
  });
});

describe('next steps and --wait', () => {
  it('what was not retried comes back as a retry_errors step: a tool call for the model, a command line at the terminal', async () => {
    const result = run(retried(THREE_STEPS, { T: refused }));
    expect(result.report.next).toEqual([
      { op: 'retry_errors', args: { flow: 'F', step: 'T', errorIds: ['3'] }, why: 'retry the errors of Orders step T that were not retried' },
      { op: 'get_job', args: { job: 'r1' }, why: 'see what the retry resolved (1 of 2 retry jobs)' },
    ]);
    const tool = await viaTool('retry_failed_jobs', result);
    expect(tool.text).toContain('\nNext:\n- retry_errors {"flow":"F","step":"T","errorIds":["3"]}: retry the errors of Orders step T that were not retried');
    expect(tool.text).not.toMatch(/retry them with|list_jobs \{/);
    const command = await viaCommand('retry_failed_jobs', result);
    expect(command.stdout).toContain('celigo-manage errors retry --flow F --step T --id 3   # retry the errors of Orders step T that were not retried');
    expect(command.stdout).toContain('celigo-manage jobs get r1   # see what the retry resolved (1 of 2 retry jobs)');
  });

  it('--wait follows the retry jobs at the terminal, and the verdict is the followed report\'s', async () => {
    const before = retried(onS(10), {});
    const cases: [WaitResult, Outcome][] = [
      [{ errorsResolvedAfter: 10, stillOpenAfter: 0 }, 'ok'],
      [{ errorsResolvedAfter: 5, stillOpenAfter: 5 }, 'partial'],
      [{ errorsResolvedAfter: 0, stillOpenAfter: 10 }, 'failed'],
      [{ waitNote: 'still running', stillRunning: 1 }, 'pending'],
    ];
    for (const [wait, outcome] of cases) {
      const after = retried(onS(10), {}, wait);
      for (const op of RETRY_OPS) {
        const followed: RetryRun = { report: before, follow: async () => (followed.report = after) };
        const waited = await viaCommand(op, followed, { wait: true, timeout: '30' });
        expect(waited.code, `${op} ${outcome}`).toBe(OUTCOMES[outcome].exitCode);
        const notWaited = await viaCommand(op, run(before));
        expect(notWaited.code, op).toBe(OUTCOMES.ok.exitCode);
      }
    }
  });
});

describe('every error failing again is failed, in errors retry --wait and flows run --wait alike (issue 13 item 6)', () => {
  const runReport = (status: string, succeeded: number, failed: number): RunReport => {
    const counts = { exported: succeeded + failed, succeeded, failed, ignored: 0 };
    const outcome = runOutcome(status, true, counts);
    return { jobId: 'J', flowId: 'F', flowName: 'Orders', status, counts, openErrors: failed, errorGroups: [], waited: true, summary: 's', ...(outcome ? { outcome } : {}), next: [] };
  };

  it('a waited retry whose every error failed again: exit 1 and a cross, not a tick', async () => {
    const report = retried(onS(10), {}, { errorsResolvedAfter: 0, stillOpenAfter: 10 });
    expect(report.outcome).toBe('failed');
    for (const op of RETRY_OPS) {
      const r = await viaCommand(op, run(report));
      expect(r.code, op).toBe(1);
      expect(r.stdout, op).toMatch(/^✗ /);
    }
  });

  it('a waited run: every record failed is failed, some is partial, none is ok; each with its mark', async () => {
    const cases: [RunReport, number, RegExp][] = [
      [runReport('completed', 0, 5), 1, /^✗ /],
      [runReport('failed', 0, 5), 1, /^✗ /],
      [runReport('completed', 3, 2), 1, /^✗ /],
      [runReport('completed', 5, 0), 0, /^✓ /],
    ];
    expect(cases.map(([r]) => r.outcome ?? 'ok')).toEqual(['failed', 'failed', 'partial', 'ok']);
    for (const [report, code, mark] of cases) {
      const r = await viaCommand('trigger_flow_run', report);
      expect([r.code, r.stdout]).toEqual([code, expect.stringMatching(mark)]);
      // A model is not told the run call failed (it would run the flow again): the result is not an error.
      expect((await viaTool('trigger_flow_run', report)).isError).toBe(false);
    }
  });
});
