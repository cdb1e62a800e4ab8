// Arguments several tools share, described once: what each takes, with an example (issue 12 item 4).
// Every word here is paid for in every tools/list, so each description is one short line.
import { z } from 'zod';
import { ERROR_SOURCES } from '../core/schemas.js';

// An argument given empty where one character is the least ("Too small: expected string to have >=1
// characters" is zod's wording) says so in plain words, at a terminal and to a model alike.
z.config({ customError: (iss) => (iss.code === 'too_small' && iss.origin === 'string' && Number(iss.minimum) === 1 ? 'must not be empty' : undefined) });

const EXAMPLES = {
  Integration: 'Shopify - NetSuite',
  Flow: 'Orders to NetSuite',
  Connection: 'NetSuite Prod',
  Export: 'Get Orders',
  Import: 'Post Orders',
  Step: 'Post Orders',
} as const;
export type Named = keyof typeof EXAMPLES;

/** `Flow id or name, e.g. "Shopify Orders to NetSuite"`: names match whole and case-insensitively. */
export const idOrNameText = (what: Named) => `${what} id or name, e.g. "${EXAMPLES[what]}"`;
export const idOrName = (what: Named) => z.string().describe(idOrNameText(what));
export const optionalIdOrName = (what: Named) => z.string().optional().describe(idOrNameText(what));

/**
 * Time ranges are read in the person's time zone (TZ, the profile's, the system's: named in results) and
 * exclude their end (src/ops/timerange.ts). No quotes: each costs two escaped bytes in every tools/list.
 */
export const RANGE_DESC = 'Local time zone, end excluded; default last 24 hours; e.g. yesterday, 2026-11-30..2026-12-01';
export const rangeArg = () => z.string().optional().describe(RANGE_DESC);

/**
 * A whole number from `min` to `max` (`unit` names what it counts, e.g. "seconds"). A value out of bounds
 * is refused with a message that says them, in both front ends (issue 13 item 12); the JSON Schema is the
 * same as `.int().min().max()` (the messages are not sent in tools/list).
 */
/** The value a bad input had, as the refusal quotes it: cut short, so a huge argument is not echoed back. */
function got(input: unknown): string {
  const s = JSON.stringify(input) ?? String(input);
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
}

export function wholeNumber(min: number, max: number, unit?: string) {
  const what = `a whole number${unit ? ` of ${unit}` : ''} from ${min} to ${max}`;
  const error = (issue: { input?: unknown }) => `must be ${what} (got ${got(issue.input)})`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

/** A whole number of at least `min`, with no upper bound but the largest safe integer. */
export function atLeast(min: number) {
  const error = (issue: { input?: unknown }) => `must be a whole number of at least ${min} (got ${got(issue.input)})`;
  return z.number({ error }).int({ error }).min(min, { error });
}

export const JOB_ID_DESC = 'Job id, 24 hex characters';

export const errorSourceArg = () =>
  z.enum(ERROR_SOURCES).optional().describe('Where errors arose');

/** The whole account, only when asked for by name: a missing scope is never "everything". */
export const accountScope = () => z.enum(['account']).optional().describe('"account": the whole account, when no integration or flow');

/** One mapping: a destination field from a source field or a fixed value. */
export const mappingField = {
  generate: z.string().min(1).describe('Destination field, e.g. "email"'),
  extract: z.string().optional().describe('Source field, e.g. "customer.email"'),
  hardCodedValue: z.string().optional().describe('Fixed value, e.g. "web"'),
};
export const mappingChange = z.object({ op: z.enum(['add', 'change', 'remove']).describe('add a field, change its source, or remove it'), ...mappingField });
