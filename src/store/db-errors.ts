// What a database failure says to a person: where (host:port/database, never the URL or its password),
// why in a few words, and what to do. Never a stack, never pg's raw error object.
import { DATABASE_URL_VAR } from './url.js';
import { StoreError } from './types.js';

/** Connection failures: no database answered, or it would not let us in. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EAI_AGAIN', 'EPIPE', 'ENOENT', 'EACCES']);
/** PostgreSQL codes that mean "cannot get in": bad password or user, no such database, starting up, too many connections. */
const REFUSED_LOGIN = /^(08|28|3D|57P0|53300)/;

function codeOf(err: unknown): string | undefined {
  const c = (err as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c : undefined;
}

/** The error's message without any of `secrets` and without a URL's user:password part. */
export function scrubbed(text: string, secrets: readonly string[]): string {
  let out = text.replace(/(postgres(?:ql)?:\/\/)[^@\s/]*@/gi, '$1***@');
  for (const s of secrets) if (s.length >= 3) out = out.split(s).join('***');
  return out.replace(/\s+/g, ' ').trim();
}

function isUnreachable(err: unknown): boolean {
  const code = codeOf(err);
  if (code && (UNREACHABLE_CODES.has(code) || REFUSED_LOGIN.test(code))) return true;
  const msg = err instanceof Error ? err.message : '';
  return /timeout exceeded when trying to connect|Connection terminated|connect ECONN|does not support SSL|self[- ]signed certificate|getaddrinfo/i.test(msg);
}

/** A StoreError for `err`, met while the store tried to `what` (e.g. "save backup bk-…"). */
export function databaseError(err: unknown, where: string, what: string, secrets: readonly string[]): StoreError {
  if (err instanceof StoreError) return err;
  const raw = err instanceof Error ? err.message || err.name : String(err);
  const code = codeOf(err);
  const reason = scrubbed(code && !raw.includes(code) ? `${code}: ${raw}` : raw, secrets).slice(0, 300);
  if (isUnreachable(err)) {
    return new StoreError(
      `Cannot reach the database at ${where} (${reason}). Check ${DATABASE_URL_VAR} (host, port, database, user, password) and that PostgreSQL accepts connections there.`,
    );
  }
  if (code === '42501') return new StoreError(`The database at ${where} refused to ${what} (${reason}). Give the user of ${DATABASE_URL_VAR} the right to create and write tables in that database.`);
  return new StoreError(`The database at ${where} could not ${what} (${reason}). Check the database's log; retry once it is healthy.`);
}
