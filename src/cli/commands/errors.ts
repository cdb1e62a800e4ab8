import type { NounSpec } from '../spec.js';
import { LIMIT, opt } from '../spec.js';
import { FLOW, INTEGRATION, limitOf, optStr, RANGE, done } from './common.js';
import { printRetry, TIMEOUT, timeoutMs, WAIT } from './jobs.js';
import { cliWords } from '../words.js';
import { UsageError } from '../../core/errors.js';

const PATTERN = opt('--pattern <text>', 'Only errors whose code or message contains this text');
const STEP = opt('--step <step>', 'Only this step (export or import id or name; needs --flow)');

export const errors: NounSpec = {
  name: 'errors',
  verbs: [
    {
      name: 'list',
      summary: 'List open (or resolved) errors of an integration or a flow',
      options: [INTEGRATION, FLOW, RANGE, opt('--resolved', 'Resolved errors instead of open ones'), opt('--source <source>', 'Only errors from this source (e.g. application, connection)'), LIMIT],
      examples: ['errors list --flow "Shopify Customers to NetSuite"', 'errors list --integration "Shopify - NetSuite Orders" --range "last 7 days"', 'errors list --flow "Shopify Customers to NetSuite" --json errorId,code,message'],
      async run(rc) {
        const { listErrors, ERROR_FIELDS } = await import('../../ops/read/errors.js');
        rc.out.expectFields(ERROR_FIELDS);
        const r = await listErrors(await rc.ctx(), {
          integration: optStr(rc, 'integration'),
          flow: optStr(rc, 'flow'),
          range: optStr(rc, 'range'),
          resolved: !!rc.opts.resolved,
          source: optStr(rc, 'source'),
        });
        const withErrors = r.counts.filter((c) => c.open > 0);
        if (!rc.out.jsonMode && rc.io.isTTY && withErrors.length) {
          rc.out.print(rc.out.c.bold(`Open errors by step${r.range ? ` (${r.range})` : ''}`));
          rc.out.print(rc.out.table(withErrors, ['flow', 'step', 'open', 'lastErrorAt']) + '\n');
        }
        rc.out.list(r.errors, { noun: rc.opts.resolved ? 'resolved errors' : 'open errors', fields: ERROR_FIELDS, columns: ['occurredAt', 'flow', 'step', 'code', 'message', 'errorId'], limit: limitOf(rc) });
      },
    },
    {
      name: 'retry',
      summary: 'Retry open errors: of failed jobs in a scope, of a flow step, or chosen error ids',
      options: [
        INTEGRATION,
        FLOW,
        STEP,
        RANGE,
        PATTERN,
        opt('--id <errorId>', 'Retry only this error (repeatable; needs --flow)', { repeat: true }),
        opt('--concurrency <n>', 'Parallel retry requests (default: within the rate limit)', { int: true }),
        WAIT,
        TIMEOUT,
      ],
      details: 'Without --step or --id it retries every open error of failed jobs in the scope (bulk retry): it previews what it will retry and asks first (--yes to skip). The same error is never retried twice in one run.',
      mutating: true,
      examples: [
        'errors retry --flow "Shopify Customers to NetSuite"',
        'errors retry --integration "Shopify - NetSuite Orders" --range yesterday --pattern timeout --yes',
        'errors retry --flow "Shopify Customers to NetSuite" --id 812a… --id 812b… --wait',
      ],
      async run(rc) {
        const ids = rc.opts.id as string[] | undefined;
        const step = optStr(rc, 'step');
        const flow = optStr(rc, 'flow');
        const ctx = await rc.ctx();
        const { retryErrors, retryFailedJobs } = await import('../../ops/retry.js');
        if (ids?.length || step) {
          if (!flow) throw new UsageError('--step and --id need --flow (the flow the errors belong to).');
          const r = await retryErrors(ctx, { flow, step, errorIds: ids, all: !ids?.length, wait: !!rc.opts.wait, timeoutMs: timeoutMs(rc), concurrency: rc.opts.concurrency as number | undefined });
          return printRetry(rc, r);
        }
        const r = await retryFailedJobs(ctx, {
          range: optStr(rc, 'range'),
          integration: optStr(rc, 'integration'),
          flow,
          pattern: optStr(rc, 'pattern'),
          concurrency: rc.opts.concurrency as number | undefined,
          wait: !!rc.opts.wait,
          timeoutMs: timeoutMs(rc),
        });
        return printRetry(rc, r);
      },
    },
    {
      name: 'clear',
      summary: 'Resolve open errors (or purge resolved ones) by scope, time range and pattern',
      options: [INTEGRATION, FLOW, STEP, RANGE, PATTERN, opt('--resolved', 'Purge resolved errors instead of resolving open ones')],
      details: 'Shows what it will clear and asks first; without a terminal it needs --yes. Cleared errors cannot be retried afterwards.',
      mutating: true,
      examples: ['errors clear --flow "Salesforce Accounts to NetSuite Customers" --pattern INVALID_LOGIN', 'errors clear --integration "Shopify - NetSuite Orders" --range "last week" --yes', 'errors clear --flow "Shopify Customers to NetSuite" --resolved --yes'],
      async run(rc) {
        const { clearErrors } = await import('../../ops/clear.js');
        const r = await clearErrors(await rc.ctx(), {
          integration: optStr(rc, 'integration'),
          flow: optStr(rc, 'flow'),
          step: optStr(rc, 'step'),
          range: optStr(rc, 'range'),
          pattern: optStr(rc, 'pattern'),
          state: rc.opts.resolved ? 'resolved' : 'open',
        });
        const summary = (r as { summary?: string }).summary;
        const failed = (r as { failed?: number }).failed ?? 0;
        // Errors left open are a failure of the command, not a green check (and exit 1, like errors retry).
        const head = summary ? cliWords(summary) : 'Done.';
        done(rc, failed ? (c) => `${c.red('✗')} ${head}` : head, r);
        return failed ? 1 : 0;
      },
    },
  ],
};
