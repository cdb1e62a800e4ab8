// CELIGO_MANAGE_DATABASE_URL: which PostgreSQL a team's servers share. The URL may carry a password, so
// it is never shown: messages name the database by `host:port/database` only, and the URL and its
// password join the values every output redacts.
import { StoreError } from './types.js';

export const DATABASE_URL_VAR = 'CELIGO_MANAGE_DATABASE_URL';

/** The database URL of the environment, when one is set. */
export function databaseUrlOf(env: NodeJS.ProcessEnv): string | undefined {
  return env.CELIGO_MANAGE_DATABASE_URL?.trim() || undefined;
}

function parsed(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new StoreError(`${DATABASE_URL_VAR} is not a URL. Set it to postgres://USER:PASSWORD@HOST:5432/DATABASE.`);
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new StoreError(`${DATABASE_URL_VAR} must be a postgres:// (or postgresql://) URL; it says ${u.protocol.replace(/:$/, '')}://. Set it to postgres://USER:PASSWORD@HOST:5432/DATABASE.`);
  }
  return u;
}

function decoded(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** `host:port/database` of the URL, for messages (host may come from `?host=`, a socket folder). */
export function databaseTarget(url: string): string {
  const u = parsed(url);
  const host = decoded(u.hostname) || u.searchParams.get('host') || 'localhost';
  const db = decoded(u.pathname.replace(/^\//, '')) || decoded(u.username) || 'postgres';
  return `${host}:${u.port || '5432'}/${db}`;
}

/** What no output may show: the URL itself and its password (as written and decoded). */
export function databaseSecrets(url: string): string[] {
  const out = [url];
  try {
    const u = new URL(url);
    if (u.password) out.push(u.password, decoded(u.password));
    const q = u.searchParams.get('password');
    if (q) out.push(q);
  } catch {
    // not a URL: the whole value is the secret
  }
  return [...new Set(out.filter(Boolean))];
}
