// Multi-value query parameters as a `qs`-style parser reads them (celigo-api.md W1): bracket arrays
// (`type_in[0]=flow&type_in[1]=bulk_retry`) and repeated keys (`status=failed&status=canceled`). A
// comma-joined value is one literal value, so `type_in=flow,retry` matches nothing, as it would for real.
// With the `array-filters` row in its other form, bracket keys are ignored (a parser without bracket
// support), and only repeated keys count.
import type { RuntimeConfig } from './config.js';
import { otherForm } from './config.js';

const BRACKET = /^(.+)\[(\d*)\]$/;

/** Every value of `name`, in order: bracket entries by index, then repeated plain keys. Undefined when absent. */
export function multi(query: URLSearchParams, name: string, config: RuntimeConfig): string[] | undefined {
  const indexed: [number, string][] = [];
  const plain: string[] = [];
  const brackets = !otherForm(config, 'array-filters');
  for (const [k, v] of query) {
    if (k === name) plain.push(v);
    else if (brackets) {
      const m = BRACKET.exec(k);
      if (m && m[1] === name) indexed.push([m[2] === '' ? Number.MAX_SAFE_INTEGER : Number(m[2]), v]);
    }
  }
  if (!indexed.length && !plain.length) return undefined;
  return [...indexed.sort((a, b) => a[0] - b[0]).map(([, v]) => v), ...plain];
}

/** Whether a key is a bracket-array entry (`type_in[0]`), which equality filters skip. */
export function isBracketKey(key: string): boolean {
  return BRACKET.test(key);
}
