// How an operation ended, mapped once for both front ends: whether the model sees an error result, and
// which exit code the command returns. Every tool and command takes its verdict from this table.
import type { NextStep, Operation, Outcome } from './types.js';

export const OUTCOMES: Readonly<Record<Outcome, { isError: boolean; exitCode: number; meaning: string }>> = {
  ok: { isError: false, exitCode: 0, meaning: 'done' },
  partial: { isError: true, exitCode: 1, meaning: 'some of it done, some not: the result says which' },
  nothing: { isError: true, exitCode: 1, meaning: 'nothing was done (nothing matched, or nothing could be)' },
  failed: { isError: true, exitCode: 1, meaning: 'not done' },
  pending: { isError: false, exitCode: 8, meaning: 'started, still running when we stopped following it' },
};

const OUTCOME_NAMES = new Set(Object.keys(OUTCOMES));

/** The outcome of a result: the operation's own judgement, else the result's `outcome` field, else ok. */
export function outcomeOf(op: Operation, result: unknown): Outcome {
  if (op.outcome) return op.outcome(result);
  const o = (result as { outcome?: unknown } | null)?.outcome;
  return typeof o === 'string' && OUTCOME_NAMES.has(o) ? (o as Outcome) : 'ok';
}

/** The next steps of a result: the operation's own, else the result's `next` field. */
export function nextOf(op: Operation, result: unknown): NextStep[] {
  if (op.next) return op.next(result);
  const n = (result as { next?: unknown } | null)?.next;
  return Array.isArray(n) ? (n as NextStep[]).filter((s) => s && typeof s.op === 'string') : [];
}
