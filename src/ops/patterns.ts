// Error grouping: one pattern per (step, code, message with ids, numbers and quoted values normalised),
// and a likely cause with the fix to try (issue 4 item 2).
import { UsageError } from '../core/errors.js';
import type { FlowStepError } from '../core/schemas.js';
import { ms, truncate } from './util.js';
import { connectionInApp } from './web-app.js';

export type CauseKind =
  | 'auth' // authentication or permission
  | 'connection' // connection down or offline
  | 'mapping' // mapping or a missing field
  | 'validation' // the target rejected the data
  | 'rate_limit'
  | 'remote_server' // remote server error or timeout
  | 'missing_resource' // a resource the step uses no longer exists
  | 'unknown';

/** Whether retrying can succeed: now, once the cause is fixed, or not with the same data. */
export type RetryAdvice = 'now' | 'after_fix' | 'no';

export interface CauseInfo {
  cause: CauseKind;
  label: string;
  fix: string;
  retry: RetryAdvice;
}

const CAUSES: Record<CauseKind, (connection?: string) => Omit<CauseInfo, 'cause'>> = {
  auth: (name) => ({
    label: 'authentication or permission',
    fix: `Re-authorise or update the credentials of ${name ? `connection ${JSON.stringify(name)}` : "the step's connection"} (${connectionInApp(name)}; an OAuth connection: Save & authorize) and test it, and check the user's permissions in the target system; then retry the errors.`,
    retry: 'after_fix',
  }),
  connection: (name) => ({
    label: 'connection down',
    fix: `Bring ${name ? `connection ${JSON.stringify(name)}` : 'the connection'} back online or fix its endpoint (${connectionInApp(name)}: correct it and Save, which tests it) and test it, then retry the errors.`,
    retry: 'after_fix',
  }),
  mapping: () => ({
    label: 'mapping or missing field',
    fix: "Check the import's mapping against a sample record (a dry run of the mapping change), map or default the missing field, then retry the errors.",
    retry: 'after_fix',
  }),
  validation: () => ({
    label: 'data validation',
    fix: "The target rejected the record: correct the source data, or add a default in the mapping or a transformation (in integrator.io: Integrations → the integration → the flow → the step → Transformation); retrying the same data fails again.",
    retry: 'no',
  }),
  rate_limit: () => ({
    label: 'rate limit',
    fix: `Transient: retry the errors later; if it recurs, lower the connection's concurrency (${connectionInApp()} → Advanced → Concurrency level) or spread the schedule.`,
    retry: 'now',
  }),
  remote_server: () => ({
    label: 'remote server error or timeout',
    fix: "Transient: retry the errors; if it persists, check the target system's status.",
    retry: 'now',
  }),
  missing_resource: () => ({
    label: 'missing resource',
    fix: 'A resource the step uses no longer exists: restore it from a backup or point the step at another one, then retry.',
    retry: 'after_fix',
  }),
  unknown: () => ({
    label: 'unknown',
    fix: 'Read a sample error and the job; fix the cause, then retry.',
    retry: 'after_fix',
  }),
};

/** The cause's label, fix and retry advice; `connection` names the step's connection in the fix, when known. */
export function causeInfo(cause: CauseKind, connection?: string): CauseInfo {
  return { cause, ...CAUSES[cause](connection) };
}

// Status numbers count only as a code or next to "HTTP"/"status", never inside record data ("key 500").
const status = (re: string) => new RegExp(`(^|\\b(http|status|statuscode|code)\\W{0,3})(${re})\\b`, 'i');
const AUTH_STATUS = status('401|403');
const RATE_STATUS = status('429');
const REMOTE_STATUS = status('5\\d\\d');
const VALIDATION_STATUS = status('400|409|422');
const AUTH = /unauthori[sz]ed|forbidden|invalid[_ ]login|login (failed|incorrect)|\beauth\b|authenticat|invalid (api key|access token|token|credentials|session)|invalid_grant|access ?key|access denied|permission|insufficient[_ ](access|privileges)|not authori[sz]ed|expired (token|session|credentials)|invalid_session/i;
const RATE = /rate[ _-]?limit|too many requests|throttl|request_limit_exceeded|concurrency limit/i;
const CONN_DOWN = /connection[_ ](is )?(offline|down|refused|reset|closed)|\boffline\b|econnrefused|econnreset|enotfound|ehostunreach|getaddrinfo|socket hang up|unreachable|could not connect/i;
const REMOTE = /internal server error|service unavailable|bad gateway|gateway timeout|timed? ?out|etimedout|temporarily unavailable|try again later/i;
const MISSING_RES = /resource_not_found|no longer exists|resource .*not found/i;
const MAPPING = /mapping|required field|field.{0,40}(is )?(required|missing)|missing[_ ](required[_ ])?field|fields? (are|is) missing|cannot read propert|undefined|no such field|unknown field/i;
const VALIDATION = /invalid|validation|not valid|must (be|have)|dup_rcrd|duplicate|already exists|unprocessable|out of range|too long|format/i;

/** Likely cause of an error from its code, message, source and (Celigo's own) classification. */
export function classifyCause(code: string | undefined, message: string | undefined, source?: string, classification?: string): CauseInfo {
  const c = (code ?? '').trim();
  const msg = message ?? '';
  const text = `${c} ${msg}`;
  const st = (re: RegExp) => re.test(c) || re.test(msg);
  const cls = (classification ?? '').toLowerCase();
  let cause: CauseKind;
  if (st(AUTH_STATUS) || AUTH.test(text)) cause = 'auth';
  else if (st(RATE_STATUS) || RATE.test(text) || cls === 'governance' || cls === 'ratelimit' || cls === 'rate limit') cause = 'rate_limit';
  else if (CONN_DOWN.test(text)) cause = 'connection';
  else if (MISSING_RES.test(text)) cause = 'missing_resource';
  else if (st(REMOTE_STATUS) || REMOTE.test(text) || cls === 'intermittent') cause = 'remote_server';
  else if (MAPPING.test(text) || source === 'mapping' || source === 'transformation' || cls === 'missing') cause = 'mapping';
  else if (st(VALIDATION_STATUS) || VALIDATION.test(text) || cls === 'value' || cls === 'duplicate' || cls === 'parse') cause = 'validation';
  else if (source === 'connection' || cls === 'connection') cause = 'connection';
  else cause = 'unknown';
  return causeInfo(cause);
}

/**
 * The pattern of an error: its code, then its message with URLs, e-mails, quoted values, ids and numbers
 * replaced by placeholders, so that the same failure on different records reads the same.
 */
export function normalisePattern(code: string | undefined, message: string | undefined): string {
  let m = (message ?? '').trim();
  m = m
    .replace(/\bhttps?:\/\/[^\s"'<>]+/gi, '<url>')
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '<email>')
    .replace(/"(?:[^"\\]|\\.)*"/g, '"<v>"')
    .replace(/(^|[\s(=:,[{])'(?:[^'\\]|\\.)*'/g, "$1'<v>'")
    .replace(/`[^`]*`/g, '`<v>`')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>')
    .replace(/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{12,}\b/gi, '<id>')
    .replace(/\b(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{16,}\b/g, '<id>')
    .replace(/(?<![A-Za-z_<])-?\d+(?:[.,:]\d+)*/g, '<n>')
    .replace(/\s+/g, ' ');
  const c = (code ?? '').trim() || 'error';
  // Messages often repeat the code first ("DUP_RCRD: ..."); keep it once.
  const body = m.startsWith(c) ? m.slice(c.length).replace(/^[:\s-]+/, '') : m;
  return truncate(`${c}: ${body}`, 240)!;
}

export interface ErrorSample {
  errorId: string;
  occurredAt: string;
  message?: string;
  traceKey?: string;
  retryDataKey?: string;
  _flowJobId?: string;
  source?: string;
}

export interface ErrorGroup {
  pattern: string;
  code: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
  /** Up to three examples, newest first. */
  samples: ErrorSample[];
  flowId?: string;
  stepId?: string;
  cause: CauseKind;
  causeLabel: string;
  fix: string;
  retry: RetryAdvice;
  /** Flow jobs the errors belong to (at most 20 listed; `jobCount` has them all). */
  jobIds: string[];
  jobCount: number;
}

/** An error with the flow and step it was read from (the wire object does not carry them). */
export type ScopedError = FlowStepError & { flowId?: string; stepId?: string };

/** Groups errors by (flow, step, pattern), largest group first. */
export function groupErrors(errors: readonly ScopedError[]): ErrorGroup[] {
  const groups = new Map<string, { g: ErrorGroup; jobs: Set<string>; first: number; last: number; all: ScopedError[] }>();
  for (const e of errors) {
    const pattern = normalisePattern(e.code, e.message);
    const key = `${e.flowId ?? ''}|${e.stepId ?? ''}|${pattern}`;
    let entry = groups.get(key);
    const t = ms(e.occurredAt) ?? 0;
    if (!entry) {
      const info = classifyCause(e.code, e.message, e.source, typeof e.classification === 'string' ? e.classification : undefined);
      entry = {
        g: {
          pattern,
          code: e.code ?? 'error',
          count: 0,
          firstSeen: e.occurredAt,
          lastSeen: e.occurredAt,
          samples: [],
          flowId: e.flowId,
          stepId: e.stepId,
          cause: info.cause,
          causeLabel: info.label,
          fix: info.fix,
          retry: info.retry,
          jobIds: [],
          jobCount: 0,
        },
        jobs: new Set(),
        first: t,
        last: t,
        all: [],
      };
      groups.set(key, entry);
    }
    entry.g.count++;
    if (t < entry.first) {
      entry.first = t;
      entry.g.firstSeen = e.occurredAt;
    }
    if (t > entry.last) {
      entry.last = t;
      entry.g.lastSeen = e.occurredAt;
    }
    if (e._flowJobId) entry.jobs.add(e._flowJobId);
    entry.all.push(e);
  }
  const out: ErrorGroup[] = [];
  for (const { g, jobs, all } of groups.values()) {
    g.jobCount = jobs.size;
    g.jobIds = [...jobs].slice(0, 20);
    g.samples = all
      .sort((a, b) => (ms(b.occurredAt) ?? 0) - (ms(a.occurredAt) ?? 0))
      .slice(0, 3)
      .map((e) => ({
        errorId: e.errorId,
        occurredAt: e.occurredAt,
        message: truncate(e.message, 300),
        traceKey: typeof e.traceKey === 'string' ? e.traceKey : undefined,
        retryDataKey: e.retryDataKey,
        _flowJobId: e._flowJobId,
        source: e.source,
      }));
    out.push(g);
  }
  return out.sort((a, b) => b.count - a.count || a.firstSeen.localeCompare(b.firstSeen));
}

const regexCache = new Map<string, RegExp | undefined>();

/**
 * A `/regex/flags` filter as a RegExp, or undefined for a plain-text filter. Refuses (UsageError) an
 * invalid expression, and one with a nested quantifier such as (a+)+, which can backtrack for ever.
 */
export function patternRegex(filter: string): RegExp | undefined {
  const key = filter.trim();
  if (regexCache.has(key)) return regexCache.get(key);
  const m = /^\/(.+)\/([a-z]*)$/s.exec(key);
  let rx: RegExp | undefined;
  if (m) {
    if (m[1].length > 200) throw new UsageError('The /regex/ pattern is too long (at most 200 characters); use a plain text filter.');
    if (/\([^)]*[+*][^)]*\)\s*[+*{]/.test(m[1])) {
      throw new UsageError(`The pattern ${key.slice(0, 60)} nests quantifiers (like (a+)+), which can take for ever; simplify it or use plain text.`);
    }
    try {
      rx = new RegExp(m[1], m[2].includes('i') ? m[2] : m[2] + 'i');
    } catch (err) {
      throw new UsageError(`Invalid pattern ${key.slice(0, 60)}: ${(err as Error).message}. Use plain text, or a valid /regex/.`);
    }
  }
  regexCache.set(key, rx);
  return rx;
}

/** Does an error match a user's pattern filter? Substring (case-insensitive) of its pattern, code or message, or /regex/. */
export function matchesPattern(filter: string | undefined, e: { code?: string; message?: string }): boolean {
  if (!filter) return true;
  const pattern = normalisePattern(e.code, e.message);
  const rx = patternRegex(filter);
  if (rx) return rx.test(pattern) || rx.test(e.message ?? '') || rx.test(e.code ?? '');
  const f = filter.trim().toLowerCase();
  return pattern.toLowerCase().includes(f) || (e.message ?? '').toLowerCase().includes(f) || (e.code ?? '').toLowerCase() === f;
}
