// Filters of the list reads as given. An empty filter would match every row, so a blank one (an unfilled
// template, a stray flag) is an error that says what to give, never "all of them".
import { UsageError } from '../../core/errors.js';

/** A "contains" filter in lower case; absent: none. `noun` is what is listed, `example` a sample value. */
export function containsText(text: string | undefined, arg: string, noun: string, example: string): string | undefined {
  const a = /^[aeiou]/i.test(noun) ? 'an' : 'a';
  return filterText(text, arg, `part of ${a} ${noun} name, e.g. "${example}"`, `every ${noun}`)?.toLowerCase();
}

/** A filter value as given; absent: none; blank: an error saying `what` to give instead, and what leaving it out reads. */
export function filterText(text: string | undefined, arg: string, what: string, leftOut: string): string | undefined {
  if (text === undefined) return undefined;
  if (!text.trim()) throw new UsageError(`${arg} is empty: give ${what}, or leave ${arg} out for ${leftOut}.`);
  return text;
}

export const INTEGRATION_REF = 'an integration id or name, e.g. "Shopify - NetSuite Orders"';
export const FLOW_REF = 'a flow id or name, e.g. "Shopify Orders to NetSuite"';
