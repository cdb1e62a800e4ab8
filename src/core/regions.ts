// celigo-api.md §1.1: NA and EU are documented; AU and CA appear only in Celigo's MCP manifest [?],
// so they are accepted but an explicit base URL always wins.
export const REGIONS = {
  na: 'https://api.integrator.io/v1',
  us: 'https://api.integrator.io/v1',
  eu: 'https://api.eu.integrator.io/v1',
  au: 'https://api.au.integrator.io/v1',
  ca: 'https://api.ca.integrator.io/v1',
} as const;

export type Region = keyof typeof REGIONS;

export function baseUrlFor(region: string | undefined, baseUrl?: string): string {
  if (baseUrl) {
    let u: URL;
    try {
      u = new URL(baseUrl);
    } catch {
      throw new Error(`Invalid base URL "${baseUrl}": give a full URL such as https://api.integrator.io/v1.`);
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(`Base URL must be http(s): ${baseUrl}`);
    return baseUrl.replace(/\/+$/, '');
  }
  const key = (region ?? 'na').toLowerCase();
  if (!(key in REGIONS)) {
    throw new Error(`Unknown region "${region}". Use one of: na, eu, au, ca, or set a base URL.`);
  }
  return REGIONS[key as Region];
}
