import { describe, expect, it } from 'vitest';
import type { Flow } from '../../src/core/schemas.js';
import { causeInfo, type CauseKind, type ErrorGroup } from '../../src/ops/patterns.js';
import {
  changeWindow,
  firstErrorTime,
  judgeTrouble,
  MAX_UNDO_CHANGES,
  type ChangeEvent,
  type StepFinding,
  type TroubleFacts,
} from '../../src/ops/troubleshoot-judge.js';
import { summarySentence } from '../../src/ops/troubleshoot-report.js';
import type { NextStep } from '../../src/operations/types.js';

const T0 = Date.parse('2026-01-10T12:00:00.000Z');
/** Minutes from T0 as an ISO time. */
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

const flow: Flow = { _id: 'f1', name: 'Zendesk users to Salesforce', pageGenerators: [{ _exportId: 'exp1' }], pageProcessors: [{ type: 'import', _importId: 'imp1' }] };

function group(cause: CauseKind, o: Partial<ErrorGroup> = {}): ErrorGroup {
  const info = causeInfo(cause);
  return {
    pattern: 'E: something failed',
    code: 'E',
    count: 12,
    firstSeen: at(0),
    lastSeen: at(90),
    samples: [],
    flowId: 'f1',
    stepId: 'imp1',
    cause,
    causeLabel: info.label,
    fix: info.fix,
    retry: info.retry,
    jobIds: ['j1'],
    jobCount: 1,
    ...o,
  };
}

const okConn = { connectionId: 'c1', name: 'Salesforce', ok: true, code: 200 };
const steps = (imp1Connection: StepFinding['connection'] = okConn): StepFinding[] => [
  { stepId: 'exp1', kind: 'export', name: 'Get Zendesk users', connection: { connectionId: 'c2', name: 'Zendesk', ok: true, code: 200 } },
  { stepId: 'imp1', kind: 'import', name: 'Upsert contacts', connection: imp1Connection },
];

function change(o: Partial<ChangeEvent> & { at: string }): ChangeEvent {
  return { resourceType: 'import', resourceId: 'imp1', resourceName: 'Upsert contacts', action: 'update', fields: [], source: 'audit', minutesBeforeFirstError: 0, ...o };
}

const mappingEdit = change({
  at: at(-30),
  fields: ['mapping.fields'],
  by: 'Priya',
  mappingEffect: { removed: [{ generate: 'LastName', was: 'last_name' }], added: [], changed: [{ generate: 'Lifecycle', was: '"lead"', now: 'stage' }] },
});
const renamed = change({ at: at(-5), fields: ['name'] });

interface Case {
  name: string;
  facts: Partial<Omit<TroubleFacts, 'firstErrorAt'>>;
  cause: CauseKind | undefined;
  suspect: { resourceId: string; at: string; minutesBeforeFirstError: number } | undefined;
  next: NextStep[];
}

/** Looking at the changed import. */
const review = (when: string, detail: string): NextStep => ({ op: 'get_import', args: { import: 'imp1' }, why: `review the change to import Upsert contacts at ${when}${detail}; revert it if it caused the errors` });
const PUT_BACK: NextStep = {
  op: 'update_mapping',
  args: { flow: 'f1', import: 'imp1', changes: [{ op: 'add', generate: 'LastName', extract: 'last_name' }, { op: 'change', generate: 'Lifecycle', hardCodedValue: 'lead' }], dryRun: true },
  why: 'put the mapping back as it was (a dry run on a sample first; then again for real)',
};
const DATA_FIXED = 'once the source records of the errors the target rejected as data are corrected';

const CASES: Case[] = [
  {
    name: 'no errors and nothing failed: nothing to judge',
    facts: {},
    cause: undefined,
    suspect: undefined,
    next: [],
  },
  {
    name: 'a failed job without errors: its failed connection test is the cause',
    facts: { target: { type: 'job', id: 'j1', name: flow.name }, jobStatus: 'failed', steps: steps({ connectionId: 'c1', name: 'Salesforce', ok: false, code: 0, message: 'ECONNREFUSED' }) },
    cause: 'connection',
    suspect: undefined,
    next: [{ op: 'test_connection', args: { connection: 'c1' }, why: 'after fixing connection Salesforce (credentials or online state; in integrator.io: Resources → Connections → "Salesforce" → Edit)' }],
  },
  {
    name: 'a 401 connection test outranks a validation message',
    facts: { groups: [group('validation')], steps: steps({ connectionId: 'c1', name: 'Salesforce', ok: false, code: 401, message: 'expired' }) },
    cause: 'auth',
    suspect: undefined,
    next: [
      { op: 'test_connection', args: { connection: 'c1' }, why: 'after fixing connection Salesforce (credentials or online state; in integrator.io: Resources → Connections → "Salesforce" → Edit)' },
      { op: 'retry_failed_jobs', args: { flow: 'f1' }, why: 'after the fix' },
      { op: 'clear_errors', args: { flow: 'f1' }, why: DATA_FIXED },
    ],
  },
  {
    name: 'a mapping-cause group blames the mapping edit over a later change, with the undo',
    facts: { groups: [group('mapping')], changes: [renamed, mappingEdit] },
    cause: 'mapping',
    suspect: { resourceId: 'imp1', at: at(-30), minutesBeforeFirstError: 30 },
    next: [
      review(at(-30), ' (removed LastName (was last_name); changed Lifecycle: "lead" -> stage)'),
      PUT_BACK,
      { op: 'retry_failed_jobs', args: { flow: 'f1' }, why: 'after the fix' },
    ],
  },
  {
    name: 'any other group blames the latest change, and transient errors are retried now',
    facts: { groups: [group('remote_server')], changes: [renamed, mappingEdit] },
    cause: 'remote_server',
    suspect: { resourceId: 'imp1', at: at(-5), minutesBeforeFirstError: 5 },
    next: [review(at(-5), ' (name)'), { op: 'retry_failed_jobs', args: { flow: 'f1' }, why: 'the transient errors should succeed now' }],
  },
  {
    name: 'a mapping change turns a validation message into a mapping cause',
    facts: { groups: [group('validation')], changes: [change({ at: at(-10), fields: ['mapping.fields'] })] },
    cause: 'mapping',
    suspect: { resourceId: 'imp1', at: at(-10), minutesBeforeFirstError: 10 },
    next: [
      review(at(-10), ' (mapping.fields)'),
      { op: 'get_mapping', args: { flow: 'f1', import: 'imp1' }, why: 'see the mapping against a sample record; then fix it with update_mapping, a dry run first' },
      { op: 'retry_failed_jobs', args: { flow: 'f1' }, why: 'after the fix' },
      { op: 'clear_errors', args: { flow: 'f1' }, why: DATA_FIXED },
    ],
  },
  {
    name: 'no suspect: a change over a day before, one after the first error, one to an unrelated resource',
    facts: {
      target: { type: 'job', id: 'j1', name: flow.name },
      jobStatus: 'completed',
      groups: [group('unknown')],
      changes: [change({ at: at(-25 * 60) }), change({ at: at(10) }), change({ at: at(-5), resourceId: 'other' })],
    },
    cause: 'unknown',
    suspect: undefined,
    next: [{ op: 'retry_job', args: { job: 'j1' }, why: 'after the fix' }],
  },
  {
    name: "a backup of the step's connection is undone by restore, on an integration",
    facts: {
      target: { type: 'integration', id: 'i1', name: 'Zendesk' },
      groups: [group('unknown')],
      changes: [change({ at: at(-10), resourceType: 'connection', resourceId: 'c1', resourceName: 'Salesforce', action: 'update (update_connection)', source: 'backup', backupId: 'bk-1' })],
    },
    cause: 'unknown',
    suspect: { resourceId: 'c1', at: at(-10), minutesBeforeFirstError: 10 },
    next: [
      { op: 'diff_backup', args: { id: 'bk-1' }, why: 'see what the change made just before the errors did' },
      { op: 'restore_backup', args: { id: 'bk-1' }, why: 'undo the change made just before the errors' },
      { op: 'retry_failed_jobs', args: { integration: 'i1' }, why: 'after the fix' },
    ],
  },
  {
    name: 'the largest group decides the cause; the suspect may come from a smaller one',
    facts: { groups: [group('rate_limit', { stepId: 'exp1', count: 40, firstSeen: at(10) }), group('mapping', { count: 2 })], changes: [mappingEdit] },
    cause: 'rate_limit',
    suspect: { resourceId: 'imp1', at: at(-30), minutesBeforeFirstError: 30 },
    next: [
      review(at(-30), ' (removed LastName (was last_name); changed Lifecycle: "lead" -> stage)'),
      PUT_BACK,
      { op: 'retry_failed_jobs', args: { flow: 'f1' }, why: 'the transient errors should succeed now' },
    ],
  },
];

function facts(f: Case['facts']): TroubleFacts {
  const groups = f.groups ?? [];
  return {
    target: { type: 'flow', id: 'f1', name: flow.name },
    flows: [flow],
    steps: steps(),
    changes: [],
    ...f,
    groups,
    firstErrorAt: firstErrorTime(groups, undefined, T0),
  };
}

describe('troubleshoot judgement', () => {
  it.each(CASES)('$name', (c) => {
    const j = judgeTrouble(facts(c.facts));
    expect(j.likely?.cause).toBe(c.cause);
    expect(j.suspect && { resourceId: j.suspect.resourceId, at: j.suspect.at, minutesBeforeFirstError: j.suspect.minutesBeforeFirstError }).toEqual(c.suspect);
    expect(j.next).toEqual(c.next);
  });

  it('says each fix in plain words: the operations it names become next steps', () => {
    const causes: CauseKind[] = ['auth', 'connection', 'mapping', 'validation', 'rate_limit', 'remote_server', 'missing_resource', 'unknown'];
    for (const c of causes) {
      const fix = causeInfo(c).fix;
      expect(fix, c).not.toMatch(/\b[a-z]+_[a-z_]+\b|\(\s*\)|\s[,;.]/);
    }
    expect(causeInfo('missing_resource').fix).toBe('A resource the step uses no longer exists: restore it from a backup or point the step at another one, then retry.');
    const j = judgeTrouble(facts({ groups: [group('auth')] }));
    expect(j.groups[0].fix).toBe(causeInfo('auth', 'Salesforce').fix);
  });

  it('a fix that needs the web app says where in it, naming the connection when the step has one', () => {
    const causes: CauseKind[] = ['auth', 'connection', 'mapping', 'validation', 'rate_limit', 'remote_server', 'missing_resource', 'unknown'];
    for (const c of causes) {
      for (const fix of [causeInfo(c).fix, causeInfo(c, 'Salesforce').fix]) {
        if (/integrator\.io|web app/.test(fix)) expect(fix, c).toMatch(/in integrator\.io: [A-Z][\w ]+ → /);
      }
    }
    expect(causeInfo('auth').fix).toContain("credentials of the step's connection (in integrator.io: Resources → Connections → the step's connection → Edit; an OAuth connection: Save & authorize)");
    expect(causeInfo('connection', 'NetSuite Sandbox').fix).toBe(
      'Bring connection "NetSuite Sandbox" back online or fix its endpoint (in integrator.io: Resources → Connections → "NetSuite Sandbox" → Edit: correct it and Save, which tests it) and test it, then retry the errors.',
    );
    const j = judgeTrouble(facts({ groups: [group('connection')], steps: steps({ connectionId: 'c1', name: 'NetSuite Sandbox', ok: false, code: 503, message: 'offline' }) }));
    expect(j.groups[0].fix).toBe(causeInfo('connection', 'NetSuite Sandbox').fix);
    expect(j.likely?.fix).toBe(causeInfo('connection', 'NetSuite Sandbox').fix);
  });

  it('gives the evidence: the connection test, the top pattern, then the change', () => {
    const j = judgeTrouble(facts({ groups: [group('validation')], steps: steps({ connectionId: 'c1', name: 'Salesforce', ok: false, code: 403, message: 'no access' }), changes: [mappingEdit] }));
    expect(j.likely).toMatchObject({ cause: 'auth', pattern: 'E: something failed', stepId: 'imp1' });
    expect(j.likely?.evidence).toEqual([
      'connection "Salesforce" failed its test (403: "no access")',
      `12x "E: something failed" on "Upsert contacts" since ${at(0)}`,
      `import "Upsert contacts" was changed by Priya 30 min before the first error (removed LastName (was last_name); changed Lifecycle: "lead" -> stage)`,
    ]);
  });

  it('names the groups, dates every change against the first error, and leaves its input alone', () => {
    const input = facts({ groups: [group('mapping'), group('unknown', { stepId: 'exp1', firstSeen: at(20) })], changes: [renamed, mappingEdit] });
    const before = JSON.stringify(input);
    const j = judgeTrouble(input);
    expect(j.groups.map((g) => g.stepName)).toEqual(['Upsert contacts', 'Get Zendesk users']);
    expect(j.groups[1].changedBefore).toBeUndefined();
    expect(j.changes.map((c) => c.minutesBeforeFirstError)).toEqual([5, 30]);
    expect(JSON.stringify(input)).toBe(before);
  });

  it(`undoes a mapping edit in one step only up to ${MAX_UNDO_CHANGES} changes; a larger one is reviewed, in a reason of bounded length`, () => {
    const removed = (n: number) => Array.from({ length: n }, (_, k) => ({ generate: `Field${k}`, was: `source_field_${k}` }));
    const edit = (n: number) => change({ at: at(-30), fields: ['mapping.fields'], mappingEffect: { removed: removed(n), added: [], changed: [] } });
    const undo = (n: number) => judgeTrouble(facts({ groups: [group('mapping')], changes: [edit(n)] })).next.find((s) => s.op === 'update_mapping');
    expect((undo(MAX_UNDO_CHANGES)?.args?.changes as unknown[]).length).toBe(MAX_UNDO_CHANGES);
    expect(undo(MAX_UNDO_CHANGES + 1)).toBeUndefined();
    const next = judgeTrouble(facts({ groups: [group('mapping')], changes: [edit(200)] })).next;
    expect(next.map((s) => s.op)).toEqual(['get_import', 'get_mapping', 'retry_failed_jobs']);
    expect(next[0].why!.length).toBeLessThan(450);
  });

  it.each([
    { name: 'the earliest group', groups: [group('unknown', { firstSeen: at(5) }), group('unknown', { firstSeen: at(-7) })], job: at(-100), first: T0 - 7 * 60_000 },
    { name: 'the job without groups', groups: [], job: at(-100), first: T0 - 100 * 60_000 },
    { name: 'now without groups or job', groups: [], job: undefined, first: T0 },
  ])('errors began at $name', ({ groups, job, first }) => {
    expect(firstErrorTime(groups, job, T0)).toBe(first);
  });

  it('reads changes from the lookback before the first error to the last error', () => {
    expect(changeWindow([group('unknown')], T0)).toEqual({ from: T0 - 7 * 86_400_000, to: T0 + 90 * 60_000 });
    expect(changeWindow([], T0, 2)).toEqual({ from: T0 - 2 * 86_400_000, to: T0 });
  });

  it.each([
    { name: 'a job without errors', s: { target: { type: 'job' as const, id: 'j1', name: 'F' }, job: { jobId: 'j1', status: 'failed' }, totalErrors: 0, groups: [] }, text: 'Job j1 ("F") is failed with no open errors.' },
    { name: 'a flow without errors', s: { target: { type: 'flow' as const, id: 'f1', name: 'F' }, totalErrors: 0, groups: [] }, text: 'No open errors for flow "F".' },
    { name: 'an unnamed target', s: { target: { type: 'integration' as const, id: 'i1' }, totalErrors: 0, groups: [] }, text: 'No open errors for integration i1.' },
  ])('sums up $name', ({ s, text }) => {
    expect(summarySentence(s)).toBe(text);
  });

  it('sums up errors with the suspect change and the fix', () => {
    const j = judgeTrouble(facts({ groups: [group('mapping'), group('unknown', { stepId: 'exp1' })], changes: [mappingEdit] }));
    expect(summarySentence({ target: { type: 'flow', id: 'f1' }, totalErrors: 14, groups: j.groups, likely: j.likely, suspect: j.suspect })).toBe(
      '14 open errors in 2 patterns; the largest (12x on Upsert contacts) looks like mapping or missing field. ' +
        'import Upsert contacts was changed by Priya 30 min before the errors began (mapping: removed LastName (was last_name); changed Lifecycle: "lead" -> stage). ' +
        "Fix: Check the import's mapping against a sample record (a dry run of the mapping change), map or default the missing field, then retry the errors.",
    );
  });
});
