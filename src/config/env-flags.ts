// The one reader of celigo-manage's environment switches and lists (CELIGO_MANAGE_READ_ONLY,
// CELIGO_MANAGE_TOOLSETS, …), so that every front end reads them the same way.
import { UsageError } from '../core/errors.js';
import { DEFAULT_LIST_CACHE_MS, MAX_LIST_CACHE_MS } from '../core/shared-reads.js';

/** `1`, `true`, `yes`, `on` (any non-empty value but 0/false/no/off) → true; those four → false; unset or blank → undefined. */
export function envFlag(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const v = env[name];
  if (v === undefined || v.trim() === '') return undefined;
  return !/^(0|false|no|off)$/i.test(v.trim());
}

/** A comma-separated list, trimmed, blanks dropped; undefined when unset or empty. */
export function envList(env: NodeJS.ProcessEnv, name: string): string[] | undefined {
  const v = env[name];
  if (v === undefined) return undefined;
  const out = v.split(',').map((s) => s.trim()).filter(Boolean);
  return out.length ? out : undefined;
}

/** Whether the base URL may be plain http to another host (CELIGO_MANAGE_INSECURE_HTTP=1: a test emulator elsewhere). */
export function insecureHttpFromEnv(env: NodeJS.ProcessEnv): boolean {
  return envFlag(env, 'CELIGO_MANAGE_INSECURE_HTTP') ?? false;
}

/** Read-only mode as the environment asks for it (CELIGO_MANAGE_READ_ONLY). */
export function readOnlyFromEnv(env: NodeJS.ProcessEnv): boolean {
  return envFlag(env, 'CELIGO_MANAGE_READ_ONLY') ?? false;
}

/**
 * How long an MCP session reuses a resource list it read (CELIGO_MANAGE_LIST_CACHE_MS, milliseconds;
 * 0 turns the cache off; default 30 s). Anything but a whole number from 0 to MAX_LIST_CACHE_MS is an error
 * that names the variable: a typo must not silently leave lists cached, or uncached.
 */
export function listCacheMsFromEnv(env: NodeJS.ProcessEnv): number {
  const v = env.CELIGO_MANAGE_LIST_CACHE_MS?.trim();
  if (v === undefined || v === '') return DEFAULT_LIST_CACHE_MS;
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  if (!(n <= MAX_LIST_CACHE_MS)) {
    throw new UsageError(
      `CELIGO_MANAGE_LIST_CACHE_MS must be a whole number of milliseconds from 0 (no list cache) to ${MAX_LIST_CACHE_MS}, not ${JSON.stringify(env.CELIGO_MANAGE_LIST_CACHE_MS)}; unset it for the default (${DEFAULT_LIST_CACHE_MS}).`,
    );
  }
  return n;
}

/** Whether the platform knows this IANA time zone name (e.g. Europe/Paris). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The person's time zone, in which time phrases are read (issue 13 item 11): TZ (an IANA name, a leading
 * ":" allowed), else the profile's `timeZone`, else the system's, else UTC. Flag > environment > profile,
 * as for every setting; a TZ the platform does not know is passed over.
 */
export function timeZoneOf(env: NodeJS.ProcessEnv, profileZone?: string): string {
  const tz = env.TZ?.trim().replace(/^:/, '');
  if (tz && isTimeZone(tz)) return tz;
  if (profileZone && isTimeZone(profileZone)) return profileZone;
  const system = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return system && isTimeZone(system) ? system : 'UTC';
}
