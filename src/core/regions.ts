// celigo-api.md §1.1: NA and EU are documented; AU and CA appear only in Celigo's MCP manifest [?],
// so they are accepted but an explicit base URL always wins.
import { UsageError } from './errors.js';
import { isLoopbackName } from './loopback.js';

export const REGIONS = {
  na: 'https://api.integrator.io/v1',
  us: 'https://api.integrator.io/v1',
  eu: 'https://api.eu.integrator.io/v1',
  au: 'https://api.au.integrator.io/v1',
  ca: 'https://api.ca.integrator.io/v1',
} as const;

export type Region = keyof typeof REGIONS;

/** The switch that lets a base URL be plain http to another machine (a test emulator on another host). */
export const INSECURE_HTTP_VAR = 'CELIGO_MANAGE_INSECURE_HTTP';

/**
 * The API base URL of a region, or the one given. Plain http is for this machine only (an emulator):
 * to another host the token would cross the network unencrypted, so it is refused unless `insecureHttp`.
 */
export function baseUrlFor(region: string | undefined, baseUrl?: string, o: { insecureHttp?: boolean } = {}): string {
  if (baseUrl) {
    let u: URL;
    try {
      u = new URL(baseUrl);
    } catch {
      throw new UsageError(`Invalid base URL "${baseUrl}": give a full URL such as https://api.integrator.io/v1.`);
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new UsageError(`Base URL must be http(s): ${baseUrl}`);
    if (u.protocol === 'http:' && !isLoopbackName(u.hostname) && !o.insecureHttp) {
      throw new UsageError(
        `Base URL ${u.protocol}//${u.host} is plain http to another machine: the API token would cross the network unencrypted. ` +
          `Use https://, or, for a test emulator on another host, set ${INSECURE_HTTP_VAR}=1.`,
      );
    }
    return baseUrl.replace(/\/+$/, '');
  }
  const key = (region ?? 'na').toLowerCase();
  if (!(key in REGIONS)) {
    throw new UsageError(`Unknown region "${region}". Use one of: na, eu, au, ca, or set a base URL.`);
  }
  return REGIONS[key as Region];
}
