// What every operation in src/ops receives from its front end (MCP tool, CLI command, test).
// Front ends decide how to report progress and how to ask for confirmation; ops only call these.
import type { CeligoClient } from '../core/client.js';
import type { Actor } from '../app/actor.js';
import type { BackupStore } from '../store/types.js';

export interface Progress {
  done: number;
  total?: number;
  message?: string;
}

/** What a destructive or mass action is about to do, shown to a person before it happens. */
export interface ConfirmPlan {
  /** Short verb phrase, e.g. "Resolve 42 errors in 3 flows". */
  action: string;
  /** Lines that describe exactly what will change (counts, names, ids). */
  details: string[];
  /** Stable digest of what will be touched; a confirmation is valid only for the same digest. */
  digest: string;
}

export interface OpContext {
  api: CeligoClient;
  signal?: AbortSignal;
  progress?: (p: Progress) => void | Promise<void>;
  /** Resolves true when the person agreed. Absent means "no one to ask": ops must not proceed with destructive work. */
  confirm?: (plan: ConfirmPlan) => Promise<boolean>;
  now?: () => Date;
  /** The person's time zone (IANA), in which time phrases are read; default UTC (app/session.ts decides it). */
  timeZone?: string;
  /** Local store for backups (CELIGO_MANAGE_HOME); default from the environment. */
  home?: string;
  /**
   * The session's shared store of backups and the change log (PostgreSQL, when CELIGO_MANAGE_DATABASE_URL
   * is set; store/). Absent: one file per backup under `home`.
   */
  store?: BackupStore;
  /** The MCP tool or CLI command this call serves; written into backups and the change log. */
  operation?: string;
  /** The session targets a production profile: mutating workflows confirm even in scripts unless `yes`. */
  production?: boolean;
  /** The person said --yes: skip confirmations. */
  yes?: boolean;
  /** How ops that poll wait; tests advance a manual clock instead of sleeping. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /**
   * When the front end needs the answer by (ms since the epoch, on the clock of `now`): an op that follows
   * a job stops following it by then and returns `pending` with the job ids, the job still running. MCP
   * sets it 50 s after the request arrives, under a client's usual 60 s timeout (operations/wait.ts); an
   * input timeout can shorten the wait, never lengthen it past this. Absent (CLI): the input's timeout.
   */
  followUntil?: number;
  /**
   * Another account of the session by profile name (app/accounts.ts): what a promotion reads from or
   * writes to. Absent: only the session's own account.
   */
  accounts?: (name: string) => Promise<{ api: CeligoClient; label: string; production: boolean }>;
  /** The session's environment (where a secret named by its variable is read); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Adds a value that no output of the front end may show (a secret read from the environment). */
  addSecret?: (value: string) => void;
  /** Who the call acts for (app/actor.ts); default: the local user. Written into backups and the change log. */
  actor?: Actor;
}

/**
 * Thrown by a front end's `confirm` when it cannot ask now (no elicitation): the caller shows the plan
 * and a token; the same call repeated with that token proceeds.
 */
export class ConfirmationRequired extends Error {
  constructor(readonly plan: ConfirmPlan, readonly token: string) {
    super(`Confirmation required: ${plan.action}`);
    this.name = 'ConfirmationRequired';
  }
}

/** The person declined, or the work was cancelled (signal aborted). */
export class Cancelled extends Error {
  constructor(message = 'Cancelled; nothing further was changed.') {
    super(message);
    this.name = 'Cancelled';
  }
}
