// What a doctor probe is given and what it answers (ops/doctor-probes.ts and the probe modules beside it).
import type { CeligoClient } from '../core/client.js';
import type { ApiForms } from '../core/forms.js';

export type ProbeVerdict = 'holds' | 'differs' | 'could not tell';

export interface ProbeOutcome {
  result: ProbeVerdict;
  /** One line for people: what was seen. */
  detail: string;
  /** Shapes only: statuses, key names, types, counts. */
  observed: Record<string, unknown>;
  /** Where the account uses the other form and the client can follow it. */
  learn?: Partial<ApiForms>;
}

export interface ProbeEnv {
  api: CeligoClient;
  /** Start of the job window probes read (ISO). */
  since: string;
  signal?: AbortSignal;
  /** Facts found by earlier probes (a flow with a step, a job with errors), to keep reads few. */
  facts: { flowId?: string; stepId?: string; errorFlowId?: string; errorJobId?: string; jobTypes?: string[] };
  /** Names of the headers of every answer the probes read (lower case). */
  headers: Set<string>;
}

export type Probe = (env: ProbeEnv) => Promise<ProbeOutcome>;
