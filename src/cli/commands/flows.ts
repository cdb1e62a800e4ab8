// The flows noun: derived from the operations (src/operations/flows.ts). `flows list` checks its --json
// fields and --limit before opening the account, as every list command does.
import { z } from 'zod';
import { UsageError } from '../../core/errors.js';
import type { RunReport } from '../../ops/run.js';
import { adaptedNoun } from '../adapt.js';
import type { NounSpec, RunContext } from '../spec.js';

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

/**
 * A run report at the terminal, with its next steps and exit code: for `exports run`, until that command
 * is derived from its operation too.
 */
export async function printRun(rc: RunContext, r: RunReport): Promise<number> {
  const [{ runForTerminal }, { nextForTerminal }, { OUTCOMES }, { operationMap }] = await Promise.all([
    import('../../operations/run-view.js'),
    import('../../operations/next.js'),
    import('../../operations/outcome.js'),
    import('../../operations/index.js'),
  ]);
  runForTerminal(r, rc.out);
  const next = nextForTerminal(r.next, operationMap(), rc.global);
  if (next.length && !rc.out.jsonMode) rc.out.print(['', rc.out.c.bold('Next'), ...next.map((l) => `  ${l}`)].join('\n'));
  return OUTCOMES[r.outcome ?? 'ok'].exitCode;
}
