// MCP prompts for the product's three workflows (issue 4 item 11). Text only: they name our tools and
// never quote data from the account (argument values are the person's own words, inserted as given).

export interface PromptArg {
  name: string;
  description: string;
  required: boolean;
}

export interface PromptDef {
  name: string;
  title: string;
  description: string;
  args: PromptArg[];
  render(args: Record<string, string | undefined>): string;
}

const clean = (v: string | undefined) => (v ?? '').replace(/[\r\n]+/g, ' ').trim().slice(0, 200);

export const prompts: PromptDef[] = [
  {
    name: 'daily_health_check',
    title: 'Daily health check',
    description: 'Check how the integrations ran over a period and what needs attention.',
    args: [{ name: 'range', description: 'Period to check, e.g. "last 24 hours" or "since Monday" (default last 24 hours)', required: false }],
    render: (a) => {
      const range = clean(a.range) || 'last 24 hours';
      return [
        `Run a health check of the Celigo account for the period "${range}".`,
        '',
        `1. Call daily_health_check with range "${range}". Start your answer with its summary line.`,
        '2. List the failing integrations first, then the degraded ones, each with its reasons. Say which connections failed their test and which scheduled flows are disabled or did not run.',
        '3. For each failing or degraded integration, call troubleshoot with that integration and report the likely cause, the fix, and any change made just before the errors began.',
        '4. Propose next steps (retry_failed_jobs for transient errors, fixing a connection, undoing a change with restore_backup) but do not run anything that changes the account until I agree.',
        'Keep it short: a verdict table, then the problems in order of impact.',
      ].join('\n');
    },
  },
  {
    name: 'create_integration',
    title: 'Create a new integration',
    description: 'Set up a new integration between two systems, safely and step by step.',
    args: [
      { name: 'source', description: 'Source system or connection, e.g. Salesforce', required: true },
      { name: 'destination', description: 'Destination system or connection, e.g. NetSuite', required: true },
      { name: 'recordType', description: 'Record type to move, e.g. customer', required: true },
      { name: 'name', description: 'Name of the new integration', required: false },
    ],
    render: (a) => {
      const src = clean(a.source);
      const dst = clean(a.destination);
      const rt = clean(a.recordType);
      const name = clean(a.name) || `${src} - ${dst} ${rt}`;
      return [
        `Set up a new integration "${name}" that moves ${rt} records from ${src} to ${dst}.`,
        '',
        `1. Call list_connections to find existing connections for ${src} and ${dst}; reuse one when it exists, and call test_connection on each.`,
        '2. If a connection is missing, ask me for its settings (never guess credentials); setup_integration can create it.',
        '3. Agree the key field mappings with me (destination field <- source field, or a fixed value).',
        '4. Call setup_integration with the name, recordType, source, destination and mappings. The flow is created disabled; show me the preview of a sample record and any missing source fields.',
        '5. If a step failed, explain it, then call setup_integration again with the same spec and the returned resume ids; or undo with restore_backup.',
        '6. Only when I confirm: enable the flow (update_flow enabled true) and run it once with run_and_monitor. Report every id created.',
        'Try it on a sandbox profile first if one is available.',
      ].join('\n');
    },
  },
  {
    name: 'troubleshoot_failed_jobs',
    title: 'Troubleshoot failed jobs',
    description: 'Find why jobs failed, fix the cause, and retry what can succeed.',
    args: [
      { name: 'target', description: 'A job id, or a flow or integration id or name (default: the whole account)', required: false },
      { name: 'range', description: 'Period of the failures, e.g. "yesterday" (default last 24 hours)', required: false },
    ],
    render: (a) => {
      const target = clean(a.target);
      const range = clean(a.range) || 'last 24 hours';
      return [
        `Troubleshoot the failed jobs${target ? ` of "${target}"` : ''} in the period "${range}".`,
        '',
        target
          ? `1. Call troubleshoot with "${target}" as job, flow or integration (a 24-hex job id is a job; otherwise try flow, then integration).`
          : `1. Call daily_health_check with range "${range}", then troubleshoot each failing or degraded integration.`,
        '2. For each error pattern report: count, step, first and last seen, the likely cause and the fix. Point out any change (mapping, step, connection) made shortly before the first error.',
        '3. Fix the cause first: a connection (test_connection after fixing), a mapping (update_mapping with dryRun, then for real), or undo a bad change (diff_backup, restore_backup). Check dependencies (check_dependencies) before disabling or changing shared resources.',
        `4. Then retry: retry_failed_jobs scoped to the flow or integration, range "${range}" and, if useful, the error pattern. It previews and asks first; transient errors (rate limits, remote 5xx) can be retried at once, data errors need the data fixed.`,
        '5. Errors that are handled or cannot be fixed: clear_errors with the same scope and pattern, after I agree.',
        'Do not change anything without telling me what will change first.',
      ].join('\n');
    },
  },
];
