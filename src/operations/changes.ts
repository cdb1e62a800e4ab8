// The change log (issue 18): every change made through celigo-manage, by whom, when, through which tool
// or command, to which objects. In the `manage` toolset (not served by default); at a terminal
// `backups changes`, beside `backups list`. Read-only, and it reads the store only, never the account.
import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import type { ChangeEntry, ChangeLog, ChangeTarget } from '../ops/backups/changes.js';
import { truncate } from '../ops/util.js';
import { listArgs, listResult, LOCAL_READ } from './format.js';
import { CLI_LIST, terminalLimit } from './jobs.js';
import { defineOperation, entry, surfacesOf, type Operation, type Terminal } from './types.js';

export const CHANGE_FIELDS = ['at', 'by', 'byName', 'operation', 'reason', 'backupId', 'applied', 'targets', 'via', 'account'] as const;
const MODEL_COLUMNS = ['at', 'by', 'byName', 'operation', 'reason', 'backupId', 'applied', 'targets'];
const TERMINAL_COLUMNS = ['at', 'by', 'operation', 'reason', 'applied', 'targets', 'backupId'];

interface ChangeList extends ChangeLog {
  /** The `operation` asked for names no tool or command of this version: it was matched as written. */
  unknownOperation?: string;
  /** Tool or command names close to that one (a misspelling). */
  closeOperations?: string[];
}

/** Edits (insert, delete, replace) between two short names. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** One touched object in a line: `import "Post Orders" (6a1f…) 1a2b3c4d→5e6f7a8b`. */
function targetText(t: ChangeTarget): string {
  const what = `${t.type} ${t.name !== undefined ? `${JSON.stringify(t.name)} (${t.id})` : t.id}`;
  switch (t.change) {
    case 'changed':
      return `${what} ${t.before ?? 'none'}→${t.after}`;
    case 'created':
      return `${what} created`;
    case 'deleted':
      return `${what} ${t.before ? `${t.before}→` : ''}deleted`;
    default:
      return `${what} ${t.before ?? 'missing'} (backed up, not written)`;
  }
}

const flat = (r: ChangeEntry) => ({ ...r, targets: r.targets.map(targetText) });

/**
 * The tool and command names an `operation` filter stands for: a tool with all its commands, or a command
 * with its tool and sibling commands (`flows disable` is update_flow), so a change made over MCP and one
 * made at a terminal are found alike. A name of neither kind is matched as written (a log may hold names
 * of an older version), and said so.
 */
async function operationNames(name: string): Promise<{ names: string[]; known: boolean; close?: string[] }> {
  const { OPERATIONS } = await import('./index.js');
  const commands = (op: Operation) => surfacesOf(op).map((s) => (s.verb ? `${s.noun} ${s.verb}` : s.noun));
  const op = OPERATIONS.find((o) => o.name === name || commands(o).includes(name));
  if (op) return { names: [op.name, ...commands(op)], known: true };
  const close = OPERATIONS.flatMap((o) => [o.name, ...commands(o)]).filter((n) => distance(n, name) <= 2);
  return { names: [name], known: false, ...(close.length ? { close: close.slice(0, 5) } : {}) };
}

const listChangesOp = defineOperation({
  name: 'list_changes',
  toolset: 'manage',
  title: 'List changes',
  description: 'Who changed what through celigo-manage, newest first: when, who, which tool, which objects (digests before→after), backup ids.',
  input: {
    since: z.string().optional().describe('From this time on, e.g. yesterday, last 7 days, 2026-12-01; A..B: between'),
    by: z.string().optional().describe('Only this person: a subject as rows show it, e.g. local:alice'),
    target: z.string().optional().describe('Only changes to this resource (id or name), e.g. "Orders to NetSuite"'),
    operation: z.string().optional().describe('Only this tool or command, e.g. update_mapping'),
    ...listArgs(),
  },
  annotations: LOCAL_READ,
  cli: {
    noun: 'backups',
    verb: 'changes',
    summary: 'The change log: who changed what, when and how, newest first (local files, or the team database)',
    flags: {
      since: { flags: '--since <time>', description: 'Only changes from this time on, in your time zone: ISO, a phrase (yesterday, "last 7 days", "since Monday"), or "A..B" for a span' },
      by: { flags: '--by <subject>', description: 'Only changes by this person, as the BY column shows them (e.g. local:alice)' },
      target: { flags: '--target <id-or-name>', description: 'Only changes to this resource' },
      operation: { flags: '--operation <name>', description: 'Only changes made by this tool or command (update_mapping, "mapping update": either finds both)' },
      ...CLI_LIST,
    },
    details:
      'Every change made through celigo-manage is logged with its backup: who made it, when, with which tool or command, and each object\'s ' +
      'content digest before and after. Nothing in the account is read. Undo one: backups restore <backup id>.',
    examples: ['backups changes', 'backups changes --since yesterday --by local:alice', 'backups changes --target "Shopify Orders to NetSuite" --json at,by,reason,backupId'],
  },
  async run(ctx, a): Promise<ChangeList> {
    const { readChangeLog } = await import('../ops/backups/changes.js');
    if (a.operation !== undefined && a.operation.trim() === '') {
      throw new UsageError('operation needs a tool or command name (e.g. update_mapping, "flows update"); leave it out for changes by any tool.');
    }
    const op = a.operation === undefined ? undefined : await operationNames(a.operation);
    const log = await readChangeLog(ctx, { since: a.since, by: a.by, target: a.target, ...(op ? { tools: op.names } : {}) });
    return { ...log, ...(op && !op.known ? { unknownOperation: a.operation, ...(op.close ? { closeOperations: op.close } : {}) } : {}) };
  },
  forModel(r, a) {
    const rows = r.rows.map((x) => ({ ...flat(x), reason: truncate(x.reason, 100) }));
    const page = listResult('changes', rows, a, CHANGE_FIELDS, MODEL_COLUMNS);
    const notes = notesOf(r);
    return { text: notes.length ? `${notes.join('\n')}\n${page.text}` : page.text, structured: page.structured };
  },
  forTerminal(r, t: Terminal, a) {
    t.expectFields(CHANGE_FIELDS);
    if (!t.jsonMode) for (const n of notesOf(r)) t.note(t.c.dim(n));
    t.list(t.jsonMode ? r.rows.map((x) => ({ ...x })) : r.rows.map(flat), { noun: 'changes', fields: CHANGE_FIELDS, columns: TERMINAL_COLUMNS, limit: terminalLimit(a.limit) });
  },
});

/** What a reader should know beside the rows: how `since` was read, an operation name matched as written. */
function notesOf(r: ChangeList): string[] {
  return [
    ...(r.since ? [`Changes ${r.since}.`] : []),
    ...(r.unknownOperation !== undefined
      ? [`"${r.unknownOperation}" is no tool or command of this version: matched as written.${r.closeOperations ? ` Did you mean ${r.closeOperations.map((n) => JSON.stringify(n)).join(' or ')}?` : ''}`]
      : []),
    ...(r.knownBy ? [r.knownBy.length ? `No change by that subject; the log holds changes by: ${r.knownBy.join(', ')}.` : 'The log holds no change at all.'] : []),
  ];
}

export const changeOperations: Operation[] = [entry(listChangesOp)];
