// How an operation ended and what to do next, as data: ops decide them, the front ends write them out
// (src/operations/outcome.ts maps the outcome to isError and an exit code, next.ts writes the steps).

/**
 * ok; partial (some of it done, some not); nothing (there was nothing to do, or nothing was done);
 * failed; pending (started, still running when we stopped following it).
 */
export type Outcome = 'ok' | 'partial' | 'nothing' | 'failed' | 'pending';

/** A step the person or model may take next: an operation by name, its arguments, and why. */
export interface NextStep {
  op: string;
  args?: Record<string, unknown>;
  why?: string;
}

/**
 * The one rule for work of many items that was followed to its end (a waited retry: errors resolved and
 * failed again; a waited run: records succeeded and failed): ok when nothing was left undone, failed when
 * nothing was done (every error failed again), partial in between (issue 13 item 6).
 */
export function doneOutcome(done: number, notDone: number): Outcome {
  if (notDone <= 0) return 'ok';
  if (done <= 0) return 'failed';
  return 'partial';
}
