// The flows noun: derived from the operations (src/operations/flows.ts). `flows list` checks its --json
// fields and --limit before opening the account, as every list command does.
import { z } from 'zod';
import { UsageError } from '../../core/errors.js';
import { adaptedNoun } from '../adapt.js';
import type { NounSpec } from '../spec.js';

const ListOpts = z.object({ limit: z.number().optional() });

export function flowsNoun(): Promise<NounSpec> {
  return adaptedNoun('flows', {
    list: {
      async prepare(rc) {
        const { FLOW_FIELDS } = await import('../../ops/read/flows.js');
        rc.out.expectFields(FLOW_FIELDS);
        const { limit } = ListOpts.parse(rc.opts);
        if (limit !== undefined && limit < 1) throw new UsageError('--limit must be a positive integer.');
      },
    },
  });
}
