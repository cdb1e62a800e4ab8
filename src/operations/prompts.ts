// MCP prompts for the product's three workflows (issue 4 item 11). Text only: they name our tools and
// never quote data from the account (argument values are the person's own words, inserted as given).
// A prompt is offered only when the tools it needs are served, and a step that names a tool the server
// does not serve is left out (issue 12 item 4), so the model is never sent to a tool it cannot call.
import { unservedIn } from './served.js';

export interface PromptArg {
  name: string;
  description: string;
  required: boolean;
}

export interface PromptDef {
  name: string;
  title: string;
  description: string;
  /** Without these tools the prompt is not offered. */
  needs: string[];
  args: PromptArg[];
  /** The text; `serves` and `names` (every tool of the catalogue) leave out steps naming unserved tools. */
  render(args: Record<string, string | undefined>, serves?: (tool: string) => boolean, names?: readonly string[]): string;
}

/** First line, numbered steps (those naming only served tools), last line. */
function steps(head: string, list: string[], tail: string, serves?: (tool: string) => boolean, names?: readonly string[]): string {
  const kept = serves && names ? list.filter((l) => unservedIn(l, serves, names).length === 0) : list;
  return [head, '', ...kept.map((l, i) => `${i + 1}. ${l}`), tail].join('\n');
}

const clean = (v: string | undefined) => (v ?? '').replace(/[\r\n]+/g, ' ').trim().slice(0, 200);

export const prompts: PromptDef[] = [
  {
    name: 'daily_health_check',
    title: 'Daily health check',
    description: 'Check how the integrations ran over a period and what needs attention.',
    needs: ['daily_health_check'],
    args: [{ name: 'range', description: 'Period to check, e.g. "last 24 hours" or "since Monday" (default last 24 hours)', required: false }],
    render: (a, serves, names) => {
      const range = clean(a.range) || 'last 24 hours';
      return steps(
        `Run a health check of the Celigo account for the period "${range}".`,
        [
          `Call daily_health_check with range "${range}". Start your answer with its summary line.`,
          'List the failing integrations first, then the degraded ones, each with its reasons. Say which connections failed their test and which scheduled flows are disabled or did not run.',
          'For each failing or degraded integration, call troubleshoot with that integration and report the likely cause, the fix, and any change made just before the errors began.',
          'Propose next steps (retry_failed_jobs for transient errors, fixing a connection, undoing a change with restore_backup).',
        ],
        'Do not change anything in the account until I agree. Keep it short: a verdict table, then the problems in order of impact.',
        serves,
        names,
      );
    },
  },
  {
    name: 'create_integration',
    title: 'Create a new integration',
    description: 'Set up a new integration between two systems, safely and step by step.',
    needs: ['setup_integration'],
    args: [
      { name: 'source', description: 'Source system or connection, e.g. Salesforce', required: true },
      { name: 'destination', description: 'Destination system or connection, e.g. NetSuite', required: true },
      { name: 'recordType', description: 'Record type to move, e.g. customer', required: true },
      { name: 'name', description: 'Name of the new integration', required: false },
    ],
    render: (a, serves, names) => {
      const src = clean(a.source);
      const dst = clean(a.destination);
      const rt = clean(a.recordType);
      const name = clean(a.name) || `${src} - ${dst} ${rt}`;
      return steps(
        `Set up a new integration "${name}" that moves ${rt} records from ${src} to ${dst}.`,
        [
          `Call list_connections to find existing connections for ${src} and ${dst}; reuse one when it exists.`,
          'When several connections could fit, call test_connection to choose a working one (setup_integration tests the ones it uses).',
          'If a connection is missing, ask me for its settings (never guess credentials); setup_integration can create it.',
          'Agree the key field mappings with me (destination field <- source field, or a fixed value), and for an HTTP source the API path to read.',
          'Call setup_integration with the name, recordType, source, destination and mappings. The flow is created disabled; show me the preview of a sample record and any missing source fields.',
          'If a step failed, explain it, then call setup_integration again with the same spec and the returned resume ids.',
          'To undo it all, call restore_backup with the backup id it returned.',
          'Only when I confirm: enable the flow with update_flow (enabled true).',
          'Then run it once with run_and_monitor and report every id created.',
        ],
        'Try it on a sandbox profile first if one is available.',
        serves,
        names,
      );
    },
  },
  {
    name: 'troubleshoot_failed_jobs',
    title: 'Troubleshoot failed jobs',
    description: 'Find why jobs failed, fix the cause, and retry what can succeed.',
    needs: ['troubleshoot'],
    args: [
      { name: 'target', description: 'A job id, or a flow or integration id or name (default: the whole account)', required: false },
      { name: 'range', description: 'Period of the failures, e.g. "yesterday" (default last 24 hours)', required: false },
    ],
    render: (a, serves, names) => {
      const target = clean(a.target);
      const range = clean(a.range) || 'last 24 hours';
      return steps(
        `Troubleshoot the failed jobs${target ? ` of "${target}"` : ''} in the period "${range}".`,
        [
          target
            ? `Call troubleshoot with target "${target}" (a job id, flow or integration).`
            : !serves || serves('daily_health_check')
              ? `Call daily_health_check with range "${range}", then troubleshoot each failing or degraded integration it names.`
              : 'Ask me which job, flow or integration to look at, then call troubleshoot with it as target.',
          'For each error pattern report: count, step, first and last seen, the likely cause and the fix. Point out any change (mapping, step, connection) made shortly before the first error.',
          'If a connection fails, say how to fix it in integrator.io, then call test_connection to check it.',
          'If a mapping is wrong, fix it with update_mapping (dryRun first, then for real).',
          'If a recent change broke it, compare with diff_backup and undo it with restore_backup.',
          'Before disabling or changing a shared resource, call check_dependencies.',
          `Then retry: retry_failed_jobs scoped to the flow or integration, range "${range}" and, if useful, the error pattern. Transient errors (rate limits, remote 5xx) can be retried at once; data errors need the data fixed first.`,
          'Errors that are handled or cannot be fixed: clear_errors with the same scope and pattern, after I agree.',
        ],
        'Do not change anything without telling me what will change first.',
        serves,
        names,
      );
    },
  },
];
