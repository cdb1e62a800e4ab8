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
