// Typed errors. Every error a user can see carries a one-line remedy; none carries the token or a stack.

export interface FieldError {
  field?: string;
  code: string;
  message: string;
}

/** An answer from integrator.io (or a transport failure talking to it) that the caller must handle. */
export class CeligoApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fieldErrors: FieldError[];
  readonly retryAfter?: number;
  readonly method: string;
  readonly path: string;
  readonly attempts: number;
  readonly remedy: string;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    fieldErrors?: FieldError[];
    retryAfter?: number;
    method: string;
    path: string;
    attempts?: number;
    remedy?: string;
  }) {
    super(init.message);
    this.name = 'CeligoApiError';
    this.status = init.status;
    this.code = init.code;
    this.fieldErrors = init.fieldErrors ?? [];
    this.retryAfter = init.retryAfter;
    this.method = init.method;
    this.path = init.path;
    this.attempts = init.attempts ?? 1;
    this.remedy = init.remedy ?? remedyFor(this);
  }

  /** One line for people and models: what happened and what to do. */
  get summary(): string {
    return `${this.message} (HTTP ${this.status || 'network'} ${this.code} on ${this.method} ${this.path}). ${this.remedy}`;
  }
}

/** Which list finds valid ids for a path, for 404 remedies (in plain words: MCP and CLI both read it). */
function listHintFor(path: string): string {
  const seg = path.replace(/^\/?(v1\/)?/, '').split(/[/?]/)[0] ?? '';
  const known = ['integrations', 'flows', 'exports', 'imports', 'connections', 'jobs', 'tags'];
  return known.includes(seg)
    ? `The id is wrong or belongs to another account or environment; list the ${seg} to find valid ids${seg === 'jobs' ? '' : ' (names work too)'}.`
    : 'Check the id; list the resources to find valid ids.';
}

export function remedyFor(e: Pick<CeligoApiError, 'status' | 'code' | 'fieldErrors' | 'retryAfter' | 'path' | 'attempts' | 'method'>): string {
  switch (true) {
    case e.code === 'read_only':
      return 'celigo-manage is in read-only mode; run without --read-only (and CELIGO_MANAGE_READ_ONLY unset) to make changes.';
    case e.code === 'timeout':
      return `The request timed out after ${e.attempts} attempt(s); check connectivity to integrator.io or raise the timeout.`;
    case e.status === 0:
      return `Could not reach integrator.io after ${e.attempts} attempt(s); check the network, the region and the base URL.`;
    case e.status === 401:
      return 'Check the API token: set CELIGO_API_TOKEN (or the profile\'s token variable) to a valid token for this region and environment.';
    case e.status === 403:
      return 'The token is valid but its scope does not cover this resource; use a full-access token or add the resource to its custom scope.';
    case e.status === 404:
      return listHintFor(e.path);
    case e.status === 422 || e.status === 400:
      return e.fieldErrors.length
        ? 'Fix: ' + e.fieldErrors.map((f) => `${f.field ?? '(body)'}: ${f.message}`).join('; ')
        : 'Fix the request and try again.';
    case e.status === 415:
      return 'Send the body as JSON.';
    case e.code === 'rate_budget':
      return 'Calls to this account take turns within its rate limit (integrator.io: 1000 requests, then 300/s); this one waited its whole time. Try again in a minute, or make fewer calls at once.';
    case e.status === 429:
      return `Rate limited by integrator.io; retry after ${e.retryAfter ?? 1} s.`;
    case e.status >= 500:
      return `Celigo failed (HTTP ${e.status}); retried ${Math.max(0, e.attempts - 1)} time(s). Try again in a few minutes or check status.celigo.com.`;
    default:
      return 'Check the request and try again.';
  }
}

/** Bad input from the person or model: the message already says what to do. */
export class UsageError extends Error {
  constructor(message: string, readonly candidates?: string[]) {
    super(message);
    this.name = 'UsageError';
  }
}

/** No API token to send: an authentication problem (exit 4), found before any request. */
export class MissingTokenError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'MissingTokenError';
  }
}

/** A command or tool that changes the account, asked for in read-only mode: refused before anything is sent. */
export class ReadOnlyRefused extends UsageError {
  constructor(what: string, byFlag: boolean) {
    super(
      `"${what}" changes the account, and read-only mode is on (${byFlag ? '--read-only' : 'CELIGO_MANAGE_READ_ONLY'}): nothing was read, planned, backed up or sent. ` +
        `Run without ${byFlag ? '--read-only' : 'CELIGO_MANAGE_READ_ONLY'} to make changes.`,
    );
    this.name = 'ReadOnlyRefused';
  }
}

/** A read-modify-write found the object changed between read and write; nothing was written. */
export class ConflictError extends Error {
  constructor(readonly resource: string, readonly id: string, readonly expected?: string, readonly actual?: string) {
    super(
      `${resource} ${id} was changed by someone else (lastModified ${expected ?? '?'} -> ${actual ?? '?'}) between read and write; nothing was written. Read it again and reapply the change.`,
    );
    this.name = 'ConflictError';
  }
}

/** Any error as one safe line (no stack, no token). */
export function describeError(err: unknown): string {
  if (err instanceof CeligoApiError) return err.summary;
  if (err instanceof Error) return err.message;
  return String(err);
}

/**
 * integrator.io answered with a shape we do not know (none of the documented or observed forms). Never
 * read as "nothing found": the caller stops and says which endpoint answered what (celigo-api.md,
 * corrections section). Only key names and types are named, never values.
 */
export class UnexpectedShapeError extends Error {
  constructor(readonly endpoint: string, readonly expected: string, readonly seen: string) {
    super(
      `integrator.io answered ${endpoint} with a shape celigo-manage does not know (expected ${expected}; got ${seen}). ` +
        'Nothing was concluded from it. Run `celigo-manage doctor` and attach its report to a bug report.',
    );
    this.name = 'UnexpectedShapeError';
  }
}

/** A short description of a body: its type, an object's keys, a list's length and first entry's keys; never values. */
export function describeShape(v: unknown): string {
  if (v === undefined || v === null || v === '') return 'no body';
  if (Array.isArray(v)) {
    if (v.length === 0) return 'an empty list';
    const first = v[0];
    return first && typeof first === 'object' && !Array.isArray(first) ? `a list of ${v.length} whose first entry has keys ${keysOf(first)}` : `a list of ${v.length} ${typeof first}s`;
  }
  if (typeof v === 'object') return Object.keys(v as object).length ? `an object with keys ${keysOf(v as object)}` : 'an empty object';
  return `a ${typeof v}`;
}

function keysOf(o: object): string {
  const keys = Object.keys(o);
  return keys.slice(0, 12).join(', ') + (keys.length > 12 ? ', …' : '');
}
