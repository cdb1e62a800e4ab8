// Arguments several tools share, described once: what each takes, with an example (issue 12 item 4).
// Every word here is paid for in every tools/list, so each description is one short line.
import { z } from 'zod';
import { ERROR_SOURCES } from '../core/schemas.js';

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

/** Time ranges are read in UTC and include both ends (src/ops/timerange.ts). */
export const RANGE_DESC = 'UTC, ends included; default "last 24 hours"; e.g. "yesterday", "2026-11-30..2026-12-01"';
export const rangeArg = () => z.string().optional().describe(RANGE_DESC);

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
