// Named profiles: region or base URL, the variable that holds the token, and a production flag.
// Precedence for every setting: flag > environment > profile file (design.md §1 config/).
import { readFileSync, writeFileSync, mkdirSync, existsSync, chmodSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { z } from 'zod';
import { manageHome } from './home.js';
import { baseUrlFor } from '../core/regions.js';
import { MissingTokenError, UsageError } from '../core/errors.js';
import { DEFAULT_FORMS, type ApiForms } from '../core/forms.js';
import { insecureHttpFromEnv, isTimeZone } from './env-flags.js';

export const profileSchema = z.object({
  region: z.enum(['na', 'us', 'eu', 'au', 'ca']).optional(),
  baseUrl: z.string().url().optional(),
  /** Name of the environment variable that holds this profile's token. */
  tokenEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional(),
  /** A token kept in the profile file itself (the file is written 0600). */
  token: z.string().optional(),
  production: z.boolean().optional(),
  description: z.string().optional(),
  /** The time zone time phrases are read in for this account (IANA, e.g. Europe/Paris); TZ overrides it. */
  timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Paris or UTC').optional(),
  /**
   * API forms `celigo-manage doctor` found on this account where it differs from what we expect
   * (core/forms.ts), and the base URL they were found on: they apply only there.
   */
  forms: z.strictObject({ arrayFilters: z.enum(['brackets', 'repeat']).optional(), listPaging: z.enum(['link', 'skip']).optional() }).optional(),
  formsBaseUrl: z.string().optional(),
});
export type Profile = z.infer<typeof profileSchema>;

export const profilesFileSchema = z.object({
  current: z.string().optional(),
  profiles: z.record(z.string(), profileSchema).default({}),
});
export type ProfilesFile = z.infer<typeof profilesFileSchema>;

/** Letters, digits, ".", "_" and "-", starting with a letter or digit, at most 64: a name that is also a file-safe word. */
const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/**
 * A profile name that can be stored and found again (issue 13 item 10): none of Object.prototype's own
 * names ("__proto__" was accepted and silently lost, "toString" found a function), nothing that reads as a
 * flag or a path. Returns the name, or throws a UsageError that says what to give.
 */
export function checkProfileName(name: string): string {
  if (!PROFILE_NAME.test(name)) {
    throw new UsageError(`Invalid profile name "${name}": use up to 64 letters, digits, ".", "_" or "-", starting with a letter or digit (e.g. prod, sandbox-eu).`);
  }
  if (name in Object.prototype) throw new UsageError(`"${name}" is a reserved word and cannot be a profile name; choose another (e.g. prod, sandbox-eu).`);
  return name;
}

/** The profile of that name in the file, never a property every object has. */
export function profileIn(file: ProfilesFile, name: string): Profile | undefined {
  return Object.hasOwn(file.profiles, name) ? file.profiles[name] : undefined;
}

/** What a token pasted where a variable name goes looks like: a long run of letters and digits (no "_"), or 24+ hex digits. */
const TOKEN_LIKE = /^(?=.*[0-9])(?=.*[A-Za-z])[A-Za-z0-9.~+/=-]{20,}$|^[0-9a-fA-F]{24,}$/;

/**
 * A --token-env value: the NAME of the variable that holds the token. A value that looks like a token, or
 * is the value of a variable of the environment, is refused without being repeated (it would be stored in
 * clear in profiles.json).
 */
export function checkTokenEnv(value: string, env: NodeJS.ProcessEnv): string {
  const isValue = env[value] === undefined && Object.values(env).some((v) => v === value);
  if (TOKEN_LIKE.test(value) || isValue || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) {
    throw new UsageError(
      '--token-env takes the name of the environment variable that holds the token, e.g. --token-env CELIGO_PROD_TOKEN, not the token itself (the value given looks like a token, so it was not stored). Put the token in that variable: export CELIGO_PROD_TOKEN=… (never on the command line).',
    );
  }
  return value;
}

export function profilesPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(manageHome(env), 'profiles.json');
}

export function readProfiles(env: NodeJS.ProcessEnv = process.env): ProfilesFile {
  const p = profilesPath(env);
  if (!existsSync(p)) return { profiles: {} };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(p, 'utf8'));
  } catch {
    throw new UsageError(`The profile file ${p} is not valid JSON; fix or delete it.`);
  }
  const parsed = profilesFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new UsageError(`The profile file ${p} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

export function writeProfiles(file: ProfilesFile, env: NodeJS.ProcessEnv = process.env): void {
  const p = profilesPath(env);
  mkdirSync(dirname(p), { recursive: true, mode: 0o700 });
  writeFileSync(p, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
  chmodSync(p, 0o600);
}

export interface ResolvedProfile {
  name: string;
  baseUrl: string;
  token: string;
  production: boolean;
  /** Where the token came from, for messages (never the token itself). */
  tokenSource: string;
  /** API forms doctor learned for this profile's base URL (core/forms.ts). */
  forms?: Partial<ApiForms>;
  /** The profile's time zone, when it has one (env-flags.ts timeZoneOf decides the one used). */
  timeZone?: string;
}

export interface ResolveOptions {
  profile?: string;
  region?: string;
  baseUrl?: string;
  env?: NodeJS.ProcessEnv;
}

function blank(v: string | undefined): string | undefined {
  return v?.trim() ? v.trim() : undefined;
}

export function resolveProfile(opts: ResolveOptions = {}): ResolvedProfile {
  const env = opts.env ?? process.env;
  const file = readProfiles(env);
  const name = opts.profile ?? env.CELIGO_MANAGE_PROFILE ?? file.current ?? 'default';
  const profile = profileIn(file, name);
  if (!profile && (opts.profile || env.CELIGO_MANAGE_PROFILE)) {
    const known = Object.keys(file.profiles);
    throw new UsageError(
      `Unknown profile "${name}". ${known.length ? `Known profiles: ${known.join(', ')}.` : 'No profiles yet.'} Add one with: celigo-manage profiles add ${name} --region na`,
    );
  }
  // A blank variable counts as unset: hosts that fill the environment from a form (an MCP Bundle's
  // user_config) pass an empty string for a field left empty.
  const baseUrl = baseUrlFor(opts.region ?? blank(env.CELIGO_REGION) ?? profile?.region, opts.baseUrl ?? blank(env.CELIGO_BASE_URL) ?? profile?.baseUrl, { insecureHttp: insecureHttpFromEnv(env) });
  let token: string | undefined;
  let tokenSource = '';
  if (profile?.tokenEnv && env[profile.tokenEnv]) {
    token = env[profile.tokenEnv];
    tokenSource = `$${profile.tokenEnv}`;
  } else if (env.CELIGO_API_TOKEN) {
    token = env.CELIGO_API_TOKEN;
    tokenSource = '$CELIGO_API_TOKEN';
  } else if (profile?.token) {
    token = profile.token;
    tokenSource = `profile "${name}" in ${profilesPath(env)}`;
  }
  if (!token) {
    throw new MissingTokenError(
      `No API token. Set CELIGO_API_TOKEN${profile?.tokenEnv ? ` or ${profile.tokenEnv}` : ''} in the environment (never on the command line), or try the embedded demo account with --demo.`,
    );
  }
  const forms = profile?.forms && profile.formsBaseUrl === baseUrl ? profile.forms : undefined;
  return { name, baseUrl, token: token.trim(), production: !!profile?.production, tokenSource, ...(forms ? { forms } : {}), ...(profile?.timeZone ? { timeZone: profile.timeZone } : {}) };
}

/**
 * Keeps the forms doctor found for profile `name` (created if it does not exist yet, holding only this),
 * tied to `baseUrl`. Forms equal to the defaults are dropped, so a fixed account goes back to them.
 */
export function rememberForms(name: string, baseUrl: string, forms: ApiForms, env: NodeJS.ProcessEnv = process.env): void {
  const file = readProfiles(env);
  const keep = Object.fromEntries(Object.entries(forms).filter(([k, v]) => DEFAULT_FORMS[k as keyof ApiForms] !== v)) as Partial<ApiForms>;
  const cur: Profile = { ...(profileIn(file, name) ?? {}) };
  if (Object.keys(keep).length) Object.assign(cur, { forms: keep, formsBaseUrl: baseUrl });
  else {
    delete cur.forms;
    delete cur.formsBaseUrl;
  }
  // A profile that exists only to hold nothing is not written.
  if (!profileIn(file, name) && !Object.keys(keep).length) return;
  writeProfiles({ ...file, profiles: { ...file.profiles, [name]: cur } }, env);
}
