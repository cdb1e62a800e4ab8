// One rule for `wait`, in the same words on every tool that has it (issue 12 items 5 and 7).
//
// The rule: the workflow tools (run_and_monitor, retry_failed_jobs) follow what they start to the end by
// default; the single-call tools (trigger_flow_run, trigger_export) start it and return unless asked to
// wait; retry_job and retry_errors never wait on the MCP wire (they return the retry jobs to check; their
// commands take --wait). Over MCP no call follows a job past MODEL_FOLLOW_MS: it then returns `pending`
// with the job ids and the get_job call to check on them, the job still running (ops/follow.ts). A
// terminal follows up to --timeout (default 600 s, exit 8 when still running).
import { z } from 'zod';

/** How long an MCP call follows a job before it answers: under a client's usual 60 s timeout. */
export const MODEL_FOLLOW_MS = 50_000;

const SECONDS = MODEL_FOLLOW_MS / 1000;

/** The `wait` argument: `byDefault` is what the tool does when it is not given (see the rule above). */
export function waitArg(byDefault: boolean) {
  return z.boolean().optional().describe(`Follow to the end (default ${byDefault}); pending after ${SECONDS} s`);
}

/** What the model reads of a `timeoutSec` argument (the terminal's --timeout has its own words). */
export const TIMEOUT_SEC_DESCRIPTION = `Max wait in s, at most ${SECONDS}`;
