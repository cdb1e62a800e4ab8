// The one redactor of both front ends: the session's secrets (API token, demo token, HTTP bearer), any
// `Bearer …` credential, and secret-looking environment values never reach an output, a log or a result.
import { databaseSecrets } from '../store/url.js';

/** Environment variables whose values are treated as secrets wherever they appear. */
const SECRET_ENV = /(TOKEN|SECRET|PASSWORD|API_KEY|APIKEY)/i;

export function redact(text: string, secrets: Iterable<string> = []): string {
  let out = text.replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, '$1***');
  for (const s of secrets) if (s && s.length >= 6 && out.includes(s)) out = out.split(s).join('***');
  return out;
}

/** A database or Redis URL (CELIGO_MANAGE_DATABASE_URL, CELIGO_MANAGE_REDIS_URL, DATABASE_URL): it may carry a password. */
const DATABASE_ENV = /(DATABASE|REDIS|VALKEY)_URL$/i;

/** Secret-looking values of the environment (8 characters or more), and database URLs with their passwords. */
export function secretsFromEnv(env: NodeJS.ProcessEnv): string[] {
  const out = Object.entries(env).filter(([k, v]) => !!v && v.trim().length >= 8 && SECRET_ENV.test(k)).map(([, v]) => v!.trim());
  for (const [k, v] of Object.entries(env)) if (v?.trim() && DATABASE_ENV.test(k)) out.push(...databaseSecrets(v.trim()));
  return out;
}
